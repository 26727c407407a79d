"""The REST API and the pages, in process: every endpoint on the two seeds
plus an article written to attack the page (HTML and <script> in its text)."""
from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.web.render import Mark, highlight  # noqa: E402

SEED_000 = "000_869a8ed862cadf55"
SEED_003 = "003_7ef351cf9e1796e6"
EVIL_ID = "evil-1"
# Our own sentence: an article that carries markup and a script.
EVIL_TEXT = ("ايلاف من لندن: قال مسؤول في بغداد <script>window.pwned = 1</script> إن الوزير "
             "<b onmouseover=\"alert(1)\">سيزور</b> موسكو الاربعاء المقبل.")
TOKEN = "test-token-123"


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="module")
def engine(tmp_path_factory, seed_articles):
    from marsad.engine import Engine
    from marsad.ingest.files import article_from_text

    eng = Engine(str(tmp_path_factory.mktemp("api") / "api.db"), workers=1)
    eng.add(list(seed_articles.values()))
    eng.add([article_from_text(EVIL_TEXT, id=EVIL_ID, source="Test", published="2020-11-27")])
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def client(engine):
    return TestClient(create_app(engine, token=TOKEN, max_body=64 * 1024))


@pytest.fixture(scope="module")
def readonly(engine, monkeypatch_module):
    return TestClient(create_app(engine, token=None))


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.delenv("MARSAD_TOKEN", raising=False)
    yield mp
    mp.undo()


def error_of(r) -> str:
    body = r.json()
    assert set(body) == {"error"} and body["error"], body
    return body["error"]


# -- articles ------------------------------------------------------------------------

def test_articles_list_and_pagination(client):
    r = client.get("/api/articles")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 3 and {a["id"] for a in body["items"]} == {SEED_000, SEED_003, EVIL_ID}
    page1 = client.get("/api/articles", params={"limit": 2, "offset": 0}).json()
    page2 = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert page1["total"] == page2["total"] == 3
    assert len(page1["items"]) == 2 and len(page2["items"]) == 1
    assert not {a["id"] for a in page1["items"]} & {a["id"] for a in page2["items"]}


def test_articles_filters(client):
    ids = lambda **p: {a["id"] for a in client.get("/api/articles", params=p).json()["items"]}  # noqa: E731
    assert ids(source="Elaph") == {SEED_000, SEED_003}
    assert ids(date_from="2020-11-20", date_to="2020-11-26") == {SEED_000}
    assert ids(date_to="2020-11-19") == {SEED_003}
    assert ids(source="nowhere") == set()
    if has("marsad.link.stories"):
        story = client.get(f"/api/articles/{SEED_000}").json()["story_id"]
        assert SEED_000 in ids(story=story)


def test_articles_bad_parameters_are_json_errors(client):
    r = client.get("/api/articles", params={"date_from": "yesterday"})
    assert r.status_code == 400 and "date_from" in error_of(r)
    r = client.get("/api/articles", params={"limit": 0})
    assert r.status_code == 400 and "limit" in error_of(r)
    r = client.get("/api/articles", params={"limit": "many"})
    assert r.status_code == 422 and "limit" in error_of(r)


def test_article_record_offsets_are_true(client):
    r = client.get(f"/api/articles/{SEED_000}")
    assert r.status_code == 200
    rec = r.json()
    assert rec["id"] == SEED_000 and rec["source"] == "Elaph" and rec["published"] == "2020-11-26"
    for key in ("entities", "quotes", "amounts", "dates", "events", "reuse", "story_id"):
        assert key in rec
    text = rec["text"]
    assert "لافروف" in text
    for kind in ("entities", "quotes", "amounts", "dates"):
        for a in rec[kind]:
            assert text[a["start"]:a["end"]] == a["text"]


def test_unknown_article_is_404_json(client):
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404 and "no-such-article" in error_of(r)
    r = client.get("/api/no-such-endpoint")
    assert r.status_code == 404 and error_of(r)


def test_reuse(client):
    r = client.get(f"/api/articles/{SEED_000}/reuse")
    assert r.status_code == 200
    items = r.json()["items"]
    if not has("marsad.link.reuse"):
        assert items == []
        return
    # 000 repeats the Russian ambassador's statements from 003
    assert any(x["other_id"] == SEED_003 and "ماكسيموف" in x["text"] and "ماكسيموف" in (x["other_text"] or "")
               for x in items)
    assert client.get("/api/articles/nope/reuse").status_code == 404


# -- entities, events, stories ---------------------------------------------------------

def test_entities(client):
    r = client.get("/api/entities", params={"limit": 100})
    assert r.status_code == 200
    body = r.json()
    assert {"total", "items", "limit", "offset"} <= set(body)
    assert client.get("/api/entities/no-such-entity").status_code == 404
    rec = client.get(f"/api/articles/{SEED_000}").json()
    lavrov = [m for m in rec["entities"] if "لافروف" in m["text"] and m["entity_id"]]
    if not lavrov:
        pytest.skip("entity linker not installed yet: mentions carry no entity_id")
    e = client.get(f"/api/entities/{lavrov[0]['entity_id']}").json()
    assert e["type"] == "PER"
    assert any("لافروف" in a for a in e["aliases"])
    assert any(m["article_id"] == SEED_000 for m in e["mentions"])
    for key in ("titles", "quotes", "cooccurring"):
        assert isinstance(e[key], list)
    eid = e["id"]
    if any("لافروف" in ((q["speaker"] or {}).get("canonical") or "") for q in rec["quotes"]):
        assert e["quotes"] and all(q["article_id"] in (SEED_000, SEED_003) for q in e["quotes"])
    assert any(x["id"] == eid for x in body["items"]) or body["total"] > len(body["items"])
    # the entity filters articles and search, and is a search facet
    assert SEED_000 in {a["id"] for a in client.get("/api/articles", params={"entity": eid}).json()["items"]}
    res = client.get("/api/search", params={"q": "العراق", "entity": eid}).json()
    assert SEED_000 in {h["id"] for h in res["hits"]} and EVIL_ID not in {h["id"] for h in res["hits"]}
    facet = client.get("/api/search", params={"q": "لافروف"}).json()["facets"]["entity"]
    assert any(f["value"] == eid and f["type"] == "PER" for f in facet)
    # his page: names, the timeline and a co-occurrence graph linking other entities
    html = client.get(f"/entities/{eid}").text
    assert 'dir="rtl"' in html and "لافروف" in html and f'href="/articles/{SEED_000}"' in html
    if e["cooccurring"]:
        assert "<svg" in html and 'href="/entities/' in html


def test_events(client):
    r = client.get("/api/events")
    assert r.status_code == 200 and isinstance(r.json()["items"], list)
    r = client.get("/api/events/no-such-event")
    assert r.status_code == 404 and error_of(r)
    assert client.get("/api/events", params={"date_from": "soon"}).status_code == 400
    rec = client.get(f"/api/articles/{SEED_000}").json()
    linked = [e for e in rec["events"] if e["event_id"]]
    if not linked:
        pytest.skip("event linker not installed yet: events carry no event_id")
    body = client.get("/api/events", params={"limit": 2}).json()
    assert body["total"] >= len(body["items"]) and len(body["items"]) <= 2
    mine = client.get("/api/events", params={"article": SEED_000, "limit": 200}).json()
    assert {e["event_id"] for e in linked} <= {e["id"] for e in mine["items"]}
    ev = client.get(f"/api/events/{linked[0]['event_id']}").json()
    assert ev["type"] == linked[0]["type"]
    assert any(m["article_id"] == SEED_000 for m in ev["mentions"])


def test_stories(client):
    r = client.get("/api/stories")
    assert r.status_code == 200
    body = r.json()
    assert client.get("/api/stories/no-such-story").status_code == 404
    if not has("marsad.link.stories"):
        assert body["items"] == []
        return
    # the two seeds tell one story
    sid = client.get(f"/api/articles/{SEED_000}").json()["story_id"]
    assert sid and sid == client.get(f"/api/articles/{SEED_003}").json()["story_id"]
    assert body["total"] >= 1 and any(s["id"] == sid for s in body["items"])
    st = client.get(f"/api/stories/{sid}").json()
    seeds_in_story = [a["id"] for a in st["articles"] if a["id"] in (SEED_000, SEED_003)]
    assert seeds_in_story == [SEED_003, SEED_000]  # time order


# -- search ------------------------------------------------------------------------------

def test_search_with_facets(client):
    r = client.get("/api/search", params={"q": "لافروف"})
    assert r.status_code == 200
    body = r.json()
    assert SEED_000 in {h["id"] for h in body["hits"]}
    assert EVIL_ID not in {h["id"] for h in body["hits"]}
    assert {"source", "month", "type", "entity"} == set(body["facets"])
    assert {"value": "Elaph", "count": body["total"]} in body["facets"]["source"]
    assert {f["value"] for f in body["facets"]["month"]} <= {"2020-11"}
    hit = next(h for h in body["hits"] if h["id"] == SEED_000)
    assert any("لافروف" in hit["snippet"][a:b] for a, b in hit["highlights"])


def test_search_filters_and_type(client):
    assert client.get("/api/search", params={"q": "العراق", "source": "Test"}).json()["total"] == 0
    both = client.get("/api/search", params={"q": "العراق"}).json()["total"]
    late = client.get("/api/search", params={"q": "العراق", "date_from": "2020-11-20"}).json()["total"]
    assert both >= 2 and late < both
    r = client.get("/api/search", params={"q": "العراق", "type": "BOGUS"})
    assert r.status_code == 400 and "type" in error_of(r)
    types = [f["value"] for f in client.get("/api/search", params={"q": "العراق"}).json()["facets"]["type"]]
    for t in types[:1]:
        assert client.get("/api/search", params={"q": "العراق", "type": t}).json()["total"] >= 1


@pytest.mark.parametrize("q", ["' OR 1=1 --", '"', "NEAR(", "لافروف\" OR \"", "'); DROP TABLE articles; --",
                               "title:*", "a AND (b", "%", "\\"])
def test_search_is_parameterised(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0 or all(h["id"] for h in r.json()["hits"])
    assert client.get("/api/articles").json()["total"] == 3  # the table is still there
    page = client.get("/search", params={"q": q})
    assert page.status_code == 200


def test_search_quotes_around_a_word_still_find_it(client):
    r = client.get("/api/search", params={"q": "\"لافروف\""}).json()
    assert SEED_000 in {h["id"] for h in r["hits"]}


# -- ingest --------------------------------------------------------------------------------

ARTICLE = {"id": "api-new-1", "source": "Test", "published": "2020-11-28", "title": "خبر تجريبي",
           "text": "ايلاف من لندن: استقبل الرئيس العراقي برهم صالح في بغداد اليوم سفير بريطانيا.",
           "url": "https://example.org/a/1"}


def test_ingest_without_token_is_401(client):
    r = client.post("/api/ingest", json=ARTICLE)
    assert r.status_code == 401 and "Bearer" in error_of(r)
    assert r.headers.get("www-authenticate") == "Bearer"


def test_ingest_with_wrong_token_is_403(client):
    r = client.post("/api/ingest", json=ARTICLE, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and error_of(r)


def test_ingest_disabled_without_configured_token(readonly):
    r = readonly.post("/api/ingest", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "disabled" in error_of(r)


def test_ingest_adds_then_skips_duplicates(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/ingest", json=[ARTICLE], headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["added"] == ["api-new-1"]
    try:
        rec = client.get("/api/articles/api-new-1").json()
        assert rec["title"] == "خبر تجريبي" and rec["url"] == ARTICLE["url"]
        assert client.get("/api/search", params={"q": "برهم صالح", "source": "Test"}).json()["total"] == 1
        again = client.post("/api/ingest", json=ARTICLE, headers=auth)
        assert again.status_code == 200 and again.json()["duplicates"] == ["api-new-1"]
    finally:  # keep the module's article count stable for the other tests
        client.app.state.engine.store.execute("DELETE FROM articles WHERE id='api-new-1'")
        client.app.state.views.invalidate()


def test_ingest_bad_bodies_are_400(client):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    r = client.post("/api/ingest", content=b"{not json", headers=auth)
    assert r.status_code == 400 and "JSON" in error_of(r)
    r = client.post("/api/ingest", json={"id": "x"}, headers=auth)
    assert r.status_code == 400 and "text" in error_of(r)
    r = client.post("/api/ingest", json={"id": "x", "text": "   "}, headers=auth)
    assert r.status_code == 400 and "empty" in error_of(r)
    r = client.post("/api/ingest", json=[], headers=auth)
    assert r.status_code == 400


def test_ingest_oversized_body_is_413(client):
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = b'{"id": "big", "text": "' + "كلمة ".encode() * 20000 + b'"}'  # ~200 KB over a 64 KB limit
    r = client.post("/api/ingest", content=big, headers=auth)
    assert r.status_code == 413 and "limit" in error_of(r)

    def chunks():  # no Content-Length: the streamed bytes are counted
        for i in range(0, len(big), 8192):
            yield big[i:i + 8192]

    r = client.post("/api/ingest", content=chunks(), headers=auth)
    assert r.status_code == 413 and "limit" in error_of(r)
    assert client.get("/api/articles/big").status_code == 404


# -- schema, docs, pages ---------------------------------------------------------------------

def test_openapi_and_local_docs(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/entities", "/api/entities/{entity_id}",
                 "/api/events", "/api/events/{event_id}", "/api/stories", "/api/stories/{story_id}",
                 "/api/articles/{article_id}/reuse", "/api/search", "/api/ingest"):
        assert path in schema["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


def test_pages_render_rtl(client):
    sid = client.get(f"/api/articles/{SEED_000}").json()["story_id"]
    urls = ["/", f"/articles/{SEED_000}", f"/articles/{SEED_003}", "/search", "/search?q=لافروف"]
    if sid:
        urls.append(f"/stories/{sid}")
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert '<html lang="ar" dir="rtl">' in r.text
        assert "https://" not in r.text.split("<main>")[0]  # no remote assets in the head
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_article_page_highlights(client):
    html = client.get(f"/articles/{SEED_000}").text
    rec = client.get(f"/api/articles/{SEED_000}").json()
    assert 'class="legend"' in html
    if rec["entities"]:
        assert 'data-kind="entity"' in html
    if rec["dates"]:
        assert 'data-kind="date"' in html
    linked = [m for m in rec["entities"] if m["entity_id"]]
    if linked:
        assert f'href="/entities/{linked[0]["entity_id"]}"' in html


def test_script_article_is_shown_as_text(client):
    r = client.get(f"/articles/{EVIL_ID}")
    assert r.status_code == 200
    assert "<script>window.pwned" not in r.text
    assert "&lt;script&gt;window.pwned" in r.text and "&lt;/script&gt;" in r.text
    assert "<b onmouseover" not in r.text and "&lt;b onmouseover=" in r.text
    hits = client.get("/search", params={"q": "مسؤول"}).text
    assert "<script>window.pwned" not in hits


def test_only_web_urls_become_links(client, engine):
    from marsad.ingest.files import article_from_text

    engine.add([article_from_text("ايلاف من لندن: خبر قصير عن بغداد.", id="js-url", source="Test",
                                  url="javascript:alert(1)")])
    try:
        html = client.get("/articles/js-url").text
        assert "javascript:" not in html
    finally:
        engine.store.execute("DELETE FROM articles WHERE id='js-url'")
        client.app.state.views.invalidate()


def test_search_page_keeps_query_in_url(client):
    html = client.get("/search", params={"q": "العراق", "source": "Elaph"}).text
    assert 'value="العراق"' in html
    assert "source=Elaph" in html  # facet links keep the query
    assert "q=%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82" in html


def test_missing_pages_are_404_html(client):
    for url in ("/articles/nope", "/entities/nope", "/stories/nope", "/nowhere"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert 'dir="rtl"' in r.text


# -- rendering and concurrency ------------------------------------------------------------------

class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag != "br":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def test_highlight_nested_and_crossing_spans_are_well_formed():
    text = "قال لافروف إن روسيا <مستعدة> للتعاون"
    quote = Mark(4, len(text), "quote", "اقتباس")
    person = Mark(4, 10, "entity", "PER: لافروف", {"data-entity-id": "e1"}, href="/entities/e1")
    crossing = Mark(8, 19, "date", "x")  # crosses the end of the person
    inner_link = Mark(14, 19, "entity", "GPE", href="/entities/e2")
    html = str(highlight(text, [quote, person, crossing, inner_link]))
    p = _Balance()
    p.feed(html)
    assert p.ok and not p.stack
    assert "&lt;مستعدة&gt;" in html and "<مستعدة>" not in html
    assert '<a class="hl hl-entity"' in html and 'href="/entities/e1"' in html
    import re

    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">") == text


def test_concurrent_reads_do_not_fail(client):
    views = client.app.state.views

    def work(i: int) -> int:
        if i % 3 == 0:
            return views.search("العراق", limit=5)["total"]
        if i % 3 == 1:
            return len(views.article(SEED_000)["text"])
        return views.articles(limit=2)["total"]

    with ThreadPoolExecutor(50) as ex:
        results = list(ex.map(work, range(300)))
    assert all(r > 0 for r in results)
