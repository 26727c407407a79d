// marsad article page: click or focus a highlight to read how it was resolved
// (the same text as its tooltip).  No network access, no dependencies.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  if (!tip) return;
  function show(el) {
    document.querySelectorAll(".hl.active").forEach(function (x) { x.classList.remove("active"); });
    el.classList.add("active");
    tip.textContent = el.getAttribute("title") || "";
    var eid = el.getAttribute("data-entity-id");
    if (eid) {
      var a = document.createElement("a");
      a.href = "/entities/" + encodeURIComponent(eid);
      a.textContent = " ← صفحة الكيان";
      tip.appendChild(a);
    }
    tip.hidden = false;
  }
  document.querySelectorAll("#text .hl").forEach(function (el) {
    if (el.tagName !== "A") {
      el.addEventListener("click", function (ev) { ev.stopPropagation(); show(el); });
    }
    el.addEventListener("focus", function () { show(el); });
  });
})();
