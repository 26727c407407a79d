"""The read model shared by the REST API and the web pages.

One ``Views`` object wraps the engine for a server: every store access runs
under one lock (the SQLite store's own write lock when it has one), because
the engine keeps a single connection that threads must not interleave on; a
small cache of per-article summaries (source, month, entities) makes search
facets cheap; and the optional linkers are reached through ``linked`` so
that a missing one answers "nothing yet".
"""
from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from typing import Any, Iterable

from marsad.api import linked
from marsad.engine import Engine
from marsad.errors import InputError, NotFound
from marsad.model import ENTITY_TYPES, Analysis
from marsad.store.snippets import snippet

MAX_LIMIT = 200
RANK_CAP = 2000  # hits ranked and faceted per search
ENTITY_FACET_CAP = 500  # top hits whose entities are counted


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise InputError(f"offset must be 0 or more, not {offset}")


def check_date(value: str | None, name: str) -> str | None:
    import datetime as dt

    if not value:
        return None
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None
    return value


class Views:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.store = engine.store
        self.lock: threading.RLock = getattr(engine.store, "_lock", None) or threading.RLock()
        self._summaries: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._summary_cap = 20000

    def invalidate(self) -> None:
        with self.lock:
            self._summaries.clear()

    # -- articles -------------------------------------------------------------
    def articles(self, *, source: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 entity: str | None = None, story: str | None = None, limit: int = 20,
                 offset: int = 0) -> dict[str, Any]:
        """Newest first, with filters and the total for pagination."""
        check_page(limit, offset)
        with self.lock:
            res = self.engine.search("", source=source, date_from=check_date(date_from, "date_from"),
                                     date_to=check_date(date_to, "date_to"), entity_id=entity or None,
                                     story_id=story or None, limit=limit, offset=offset)
        items = [{"id": h.article_id, "title": h.title, "source": h.source, "published": h.published,
                  "snippet": h.snippet} for h in res.hits]
        return {"total": res.total, "limit": limit, "offset": offset, "items": items}

    def article(self, article_id: str) -> dict[str, Any]:
        with self.lock:
            return self.engine.article_record(article_id)

    def analysis(self, article_id: str) -> Analysis:
        with self.lock:
            return self.engine.analysis(article_id)

    def titles(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """id -> {title, source, published} for the ids that exist."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, dict[str, Any]] = {}
        with self.lock:
            for aid in ids:
                a = self.store.get_article(aid)
                if a is not None:
                    out[aid] = {"id": aid, "title": a.title, "source": a.source, "published": a.published}
        return out

    def reuse(self, article_id: str, rec: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Reused passages of one article with both texts, for side by side
        (``rec``: its export record when the caller has it already)."""
        rec = rec if rec is not None else self.article(article_id)
        out = []
        with self.lock:
            for r in rec.get("reuse") or []:
                r = linked.to_plain(r)
                other = self.store.get_article(str(r.get("other_id")))
                item = dict(r)
                item["text"] = rec["text"][r.get("start", 0):r.get("end", 0)]
                item["other_text"] = other.text[r.get("other_start", 0):r.get("other_end", 0)] if other else None
                item["other_title"] = other.title if other else None
                out.append(item)
        return out

    def _has_table(self, name: str) -> bool:
        try:
            return bool(self.store.query("SELECT 1 FROM sqlite_master WHERE name = ?", [name]))
        except Exception:  # not SQLite
            return False

    # -- summaries for facets ---------------------------------------------------
    def summary(self, article_id: str) -> dict[str, Any] | None:
        s = self._summaries.get(article_id)
        if s is not None:
            self._summaries.move_to_end(article_id)
            return s
        a = self.store.get_analysis(article_id)
        if a is None:
            return None
        ents: dict[str, tuple[str, str]] = {}
        for m in a.mentions:
            if m.entity_id and m.entity_id not in ents:
                ents[m.entity_id] = (m.type, m.canonical or m.text)
        s = {"types": sorted({m.type for m in a.mentions}), "entities": ents}
        self._summaries[article_id] = s
        if len(self._summaries) > self._summary_cap:
            self._summaries.popitem(last=False)
        return s

    # -- search -------------------------------------------------------------------
    def _ranked_any(self, q: str, source: str | None, date_from: str | None, date_to: str | None,
                    entity: str | None) -> list[tuple[str, str | None, str | None, float]]:
        """(id, source, published, score) of every match, best first, capped:
        the store's ranking without snippets, for the facets."""
        res = self.engine.search(q, source=source, date_from=date_from, date_to=date_to, entity_id=entity,
                                 limit=RANK_CAP, snippets=False)
        return [(h.article_id, h.source, h.published, h.score) for h in res.hits]

    def search(self, q: str = "", *, source: str | None = None, date_from: str | None = None,
               date_to: str | None = None, entity: str | None = None, type: str | None = None,
               limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Ranked hits with snippets, the total, and facets over the matches:
        by source, by month, by entity type and by entity.  ``type`` keeps
        articles that mention an entity of that type (PER, LOC, ...)."""
        check_page(limit, offset)
        if len(q) > 1000:
            raise InputError("query over 1000 characters; shorten it")
        if type and type not in ENTITY_TYPES:
            raise InputError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {type!r}")
        date_from, date_to = check_date(date_from, "date_from"), check_date(date_to, "date_to")
        with self.lock:
            ranked = self._ranked_any(q, source or None, date_from, date_to, entity or None)
            if type:
                ranked = [r for r in ranked if type in ((self.summary(r[0]) or {}).get("types") or ())]
            by_source = Counter(r[1] or "?" for r in ranked)
            by_month = Counter((r[2] or "")[:7] or "?" for r in ranked)
            by_type: Counter[str] = Counter()
            by_entity: Counter[str] = Counter()
            names: dict[str, tuple[str, str]] = {}
            for r in ranked[:ENTITY_FACET_CAP]:
                s = self.summary(r[0]) or {}
                by_type.update(s.get("types") or ())
                for eid, (etype, name) in (s.get("entities") or {}).items():
                    by_entity[eid] += 1
                    names.setdefault(eid, (etype, name))
            page = ranked[offset:offset + limit]
            rows = {}
            if page:
                marks = ",".join("?" * len(page))
                for aid, title, text in self.store.query(
                        f"SELECT id, title, text FROM articles WHERE id IN ({marks})", [p[0] for p in page]):
                    rows[aid] = (title, text)
        hits = []
        for aid, src, pub, score in page:
            title, text = rows.get(aid, (None, ""))
            snip, hl, _ = snippet(text, q)
            hits.append({"id": aid, "title": title, "source": src, "published": pub, "score": round(score, 4),
                         "snippet": snip, "highlights": [list(x) for x in hl]})
        return {
            "query": {"q": q, "source": source, "date_from": date_from, "date_to": date_to, "entity": entity,
                      "type": type},
            "total": len(ranked), "capped": len(ranked) >= RANK_CAP, "limit": limit, "offset": offset,
            "hits": hits,
            "facets": {
                "source": [{"value": k, "count": v} for k, v in by_source.most_common()],
                "month": [{"value": k, "count": v} for k, v in sorted(by_month.items(), reverse=True)],
                "type": [{"value": k, "count": v} for k, v in by_type.most_common()],
                "entity": [{"value": k, "name": names[k][1], "type": names[k][0], "count": v}
                           for k, v in by_entity.most_common(30)],
            },
        }

    # -- entities -------------------------------------------------------------------
    def entities(self, *, q: str | None = None, type: str | None = None, limit: int = 50,
                 offset: int = 0) -> dict[str, Any]:
        check_page(limit, offset)
        with self.lock:
            rows, total = linked.list_of("entities", ("list_entities",), self.store, q=q, query=q, type=type,
                                         limit=limit, offset=offset)
        return {"total": total if total is not None else len(rows), "limit": limit, "offset": offset,
                "items": rows}

    def entity(self, entity_id: str) -> dict[str, Any]:
        """Aliases, titles, mentions (a timeline), quotes said, co-occurring
        entities.  Mentions and quotes are read from the stored analyses of
        the articles that mention the entity, so they agree with the article
        pages whatever the entity linker's own tables hold."""
        with self.lock:
            meta = linked.get_one("entities", ("get_entity",), self.store, entity_id) or {}
            ids = list(meta.get("articles") or [])
            res = self.engine.search("", entity_id=entity_id, limit=MAX_LIMIT)
            ids += [h.article_id for h in res.hits if h.article_id not in ids]
            analyses = [a for a in (self.store.get_analysis(i) for i in ids[:MAX_LIMIT]) if a is not None]
            co_rows = None
            co_fn = linked.function("entities", "cooccurring")
            if co_fn is not None:
                co_rows, _ = linked.as_rows(linked.call(co_fn, self.store, entity_id, limit=30))
        mentions, quotes, aliases, titles = [], [], Counter(), Counter()
        co: Counter[str] = Counter()
        co_names: dict[str, tuple[str, str]] = {}
        etype = meta.get("type")
        canonical = meta.get("canonical")
        for a in sorted(analyses, key=lambda x: (x.article.published or "", x.article.id)):
            art = a.article
            own = [i for i, m in enumerate(a.mentions) if m.entity_id == entity_id]
            if not own:
                continue
            for i in own:
                m = a.mentions[i]
                etype = etype or m.type
                canonical = canonical or m.canonical
                aliases[m.text] += 1
                if m.title:
                    titles[m.title] += 1
                lo, hi = max(0, m.start - 60), min(len(art.text), m.end + 60)
                mentions.append({"article_id": art.id, "published": art.published, "title": art.title,
                                 "source": art.source, "start": m.start, "end": m.end, "text": m.text,
                                 "kind": m.kind, "context": art.text[lo:hi], "context_start": lo})
            for q in a.quotes:
                sp = q.speaker
                if sp is None:
                    continue
                said = sp.entity_id == entity_id or (  # the speaker's mention may be linked when the quote is not
                    not sp.entity_id and 0 <= sp.mention < len(a.mentions) and a.mentions[sp.mention].entity_id == entity_id)
                if said:
                    quotes.append({"article_id": art.id, "published": art.published, "start": q.start,
                                   "end": q.end, "text": q.text, "direct": q.direct, "cue": q.cue})
            for eid in {m.entity_id for m in a.mentions if m.entity_id and m.entity_id != entity_id}:
                co[eid] += 1
            for m in a.mentions:
                if m.entity_id and m.entity_id != entity_id:
                    co_names.setdefault(m.entity_id, (m.type, m.canonical or m.text))
        if not meta and not mentions:
            raise NotFound(f"no entity {entity_id!r}")
        if co_rows is None:
            co_rows = [{"entity_id": k, "canonical": co_names[k][1], "type": co_names[k][0], "count": v}
                       for k, v in co.most_common(30)]
        else:  # the linker's own rows: {"id", "canonical", "type", "articles": n}
            co_rows = [{"entity_id": r.get("entity_id") or r.get("id"), "canonical": r.get("canonical"),
                        "type": r.get("type"),
                        "count": r.get("count") if isinstance(r.get("count"), int) else
                        (r.get("articles") if isinstance(r.get("articles"), int) else co.get(r.get("id"), 0))}
                       for r in co_rows]
        return {
            "id": entity_id, "canonical": canonical or entity_id, "type": etype,
            "aliases": sorted(set(meta.get("aliases") or ()) | set(aliases), key=lambda s: -aliases[s]),
            "titles": sorted(set(meta.get("titles") or ()) | set(titles), key=lambda s: -titles[s]),
            "qid": meta.get("qid"), "country": meta.get("country"),
            "mention_count": meta.get("mention_count") or len(mentions),
            "articles": ids, "mentions": mentions, "quotes": quotes, "cooccurring": co_rows,
        }

    def top_entities(self, limit: int = 15) -> list[dict[str, Any]]:
        return self.entities(limit=limit)["items"]

    # -- events and stories -----------------------------------------------------------
    def events(self, *, type: str | None = None, mode: str | None = None, date_from: str | None = None,
               date_to: str | None = None, actor: str | None = None, article: str | None = None,
               limit: int = 50, offset: int = 0) -> dict[str, Any]:
        check_page(limit, offset)
        filters = {"type": type, "mode": mode, "date_from": check_date(date_from, "date_from"),
                   "date_to": check_date(date_to, "date_to"), "actor": actor, "article_id": article}
        with self.lock:
            rows, total = linked.list_of("events", ("list_events",), self.store, limit=limit, offset=offset,
                                         **filters)
            if total is None:  # the linker pages without a total: count what the same filters give
                every, _ = linked.list_of("events", ("list_events",), self.store, limit=None, **filters)
                total = len(every)
        return {"total": total if total is not None else len(rows), "limit": limit, "offset": offset,
                "items": rows}

    def event(self, event_id: str) -> dict[str, Any]:
        with self.lock:
            ev = linked.get_one("events", ("get_event",), self.store, event_id)
        if ev is None:
            raise NotFound(f"no event {event_id!r}")
        return ev

    def stories(self, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        check_page(limit, offset)
        with self.lock:
            rows, total = linked.list_of("stories", ("list_stories",), self.store, limit=limit, offset=offset)
            if total is None and self._has_table("stories"):
                total = self.store.query("SELECT count(*) FROM stories WHERE size >= 1")[0][0]
        return {"total": total if total is not None else len(rows), "limit": limit, "offset": offset,
                "items": rows}

    def story(self, story_id: str) -> dict[str, Any]:
        with self.lock:
            st = linked.get_one("stories", ("get_story",), self.store, story_id)
        if st is None:
            raise NotFound(f"no story {story_id!r}")
        return st

    def story_page(self, story_id: str) -> dict[str, Any]:
        """A story with its articles in time order, their events, and the
        reuse passages between its articles."""
        st = self.story(story_id)
        ids, known_titles = [], {}
        for a in st.get("articles") or st.get("article_ids") or []:
            aid = str(a.get("id") or a.get("article_id")) if isinstance(a, dict) else str(a)
            ids.append(aid)
            if isinstance(a, dict) and a.get("title"):
                known_titles[aid] = a["title"]
        if not ids:
            with self.lock:
                ids = [h.article_id for h in self.engine.search("", story_id=story_id, limit=MAX_LIMIT).hits]
        arts, events, reuse = [], [], []
        seen: set[frozenset[Any]] = set()
        for aid in ids:
            try:
                rec = self.article(aid)
            except NotFound:
                continue
            arts.append({"id": aid, "title": rec.get("title") or known_titles.get(aid), "source": rec.get("source"),
                         "published": rec.get("published")})
            for e in rec.get("events") or []:
                events.append(dict(e, article_id=aid, published=rec.get("published"),
                                   text=rec["text"][e["trigger_start"]:e["trigger_end"]]))
            for r in self.reuse(aid, rec):
                pair = frozenset({(aid, r.get("start"), r.get("end")),
                                  (str(r.get("other_id")), r.get("other_start"), r.get("other_end"))})
                if pair not in seen:  # a passage is recorded on both articles
                    seen.add(pair)
                    reuse.append(dict(r, article_id=aid, title=rec.get("title") or known_titles.get(aid),
                                      other_title=r.get("other_title") or known_titles.get(str(r.get("other_id")))))
        arts.sort(key=lambda x: (x.get("published") or "", x["id"]))
        events.sort(key=lambda x: (x.get("date") or x.get("published") or ""))
        return {"story": st, "articles": arts, "events": events, "reuse": reuse}
