"""Events across articles: one event, many reports.

Each new event mention joins the stored event it is compatible with, or
starts one:

* same PLOVER type, and a mode family in common (happened and announced
  merge: an announced event becomes happened when a later article reports it;
  negated and hypothetical mentions only join their own kind);
* overlapping actors: an actor key (entity id, canonical name or country) in
  common (a group with no name and no country -- "المسلحون", sector set,
  no entity id -- carries no key: two gunmen attacks are not one by that), and no role present on both sides that disagrees (for symmetric
  types — CONSULT, AGREE, COOPERATE — the actors are compared as a set);
* compatible dates: the same day when both are known to the day (an
  announced date equal to the reported date is the same day); otherwise the
  publication date of the report within ``WINDOW_DAYS`` of the event;
* compatible place: equal, or unknown on one side; for events with no keyed
  actor (none, or only unnamed groups) the place must be known and equal.

Incremental: candidates come from ``event_keys`` (type, actor key, day) with
an index, a range query on the day: never a scan of the events.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Iterator

from marsad.model import Analysis, EventMention
from marsad.store.base import Schema, Store

WINDOW_DAYS = 3  # an undated report joins an event this many days around its publication
ANNOUNCE_DAYS = 14  # an undated announcement is matched this far ahead
SYMMETRIC = ("CONSULT", "AGREE", "COOPERATE")
FAMILY = {"happened": "real", "announced": "real", "negated": "negated", "hypothetical": "hypothetical"}

SCHEMA = Schema("events", 1, (
    """CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT NOT NULL, mode TEXT NOT NULL,
        date TEXT, place TEXT, source_actor TEXT, target_actor TEXT, first_reported TEXT,
        last_reported TEXT, reports INTEGER NOT NULL, event_mode TEXT, family TEXT NOT NULL,
        actors TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS events_date ON events(date)",
    """CREATE TABLE IF NOT EXISTS event_mentions (event_id TEXT NOT NULL, article_id TEXT NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, trigger TEXT, mode TEXT, date TEXT,
        trigger_start INTEGER, published TEXT)""",
    "CREATE INDEX IF NOT EXISTS event_mentions_event ON event_mentions(event_id)",
    "CREATE INDEX IF NOT EXISTS event_mentions_article ON event_mentions(article_id)",
    "CREATE TABLE IF NOT EXISTS event_keys (type TEXT NOT NULL, akey TEXT NOT NULL, day TEXT NOT NULL, event_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS event_keys_lookup ON event_keys(type, akey, day)",
))


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _generic(a: dict) -> bool:
    """A group named only by its kind (المسلحون، قوات الأمن) with no country."""
    return bool(a.get("sector")) and not a.get("entity_id") and not a.get("country")


def actor_keys(a: dict, *, country: bool = True) -> set[str]:
    out: set[str] = set()
    if _generic(a):
        return out
    if a.get("entity_id"):
        out.add("e:" + a["entity_id"])
    if a.get("canonical"):
        out.add("c:" + a["canonical"])
    if country and a.get("country"):
        out.add("n:" + a["country"])
    return out


def _same_actor(x: dict, y: dict) -> bool:
    """Two persons are the same only by id or name; otherwise a country will do
    (العراق ~ الرئيس العراقي)."""
    people = x.get("type") == "PER" and y.get("type") == "PER"
    return bool(actor_keys(x, country=not people) & actor_keys(y, country=not people))


def _actors_compatible(etype: str, mine: list[dict], theirs: list[dict]) -> bool:
    mine = [a for a in mine if not _generic(a)]
    theirs = [a for a in theirs if not _generic(a)]
    if not mine or not theirs:
        return not mine and not theirs and etype in ("PROTEST", "ASSAULT")
    if etype in SYMMETRIC:
        hits = sum(1 for x in mine if any(_same_actor(x, y) for y in theirs))
        return hits >= min(len(mine), len(theirs))
    shared = False
    for x in mine:
        other = [y for y in theirs if y["role"] == x["role"]]
        if not other:
            continue
        if not any(_same_actor(x, y) for y in other):
            return False
        shared = True
    return shared


def _actor_dicts(e: EventMention, analysis: Analysis) -> list[dict]:
    ms = analysis.mentions
    return [{"role": a.role, "entity_id": a.entity_id, "canonical": a.canonical, "country": a.country,
             "sector": a.sector, "type": ms[a.mention].type if 0 <= a.mention < len(ms) else None}
            for a in e.actors]


def _label(actors: list[dict], role: str) -> str | None:
    x = next((a for a in actors if a["role"] == role), None)
    return (x["canonical"] or x["country"]) if x else None


_MERGED = ("mode", "date", "place", "source_actor", "target_actor", "first_reported", "last_reported", "actors")


def _merge_report(ev: dict, e: EventMention, actors: list[dict], published: str | None) -> dict:
    """The fields of a stored event (``_MERGED``) after one more report of
    it: an announced event reported as done by a later article becomes
    happened, a day-less date takes the report's day, missing place and
    actor labels are filled, new actors are added, and the reporting span
    widens.  Shared by the per-article and the batch paths."""
    mode, date, first, last = ev["mode"], ev["date"], ev["first_reported"], ev["last_reported"]
    if e.mode == "happened" and (not first or not published or published >= first):
        mode = "happened"
    if _day(date) is None and _day(e.date) is not None:
        date = e.date
    merged = json.loads(ev["actors"])
    for a in actors:
        if not any(_same_actor(a, b) or (_generic(a) and (a["role"], a["canonical"]) == (b["role"], b["canonical"]))
                   for b in merged):
            merged.append(a)
    if published:
        first = min(filter(None, (first, published)))
        last = max(filter(None, (last, published)))
    return dict(mode=mode, date=date, place=ev["place"] or e.place,
                source_actor=ev["source_actor"] or _label(actors, "source"),
                target_actor=ev["target_actor"] or _label(actors, "target"), first_reported=first,
                last_reported=last, actors=json.dumps(merged, ensure_ascii=False))


class EventLinker:
    name = "events"
    schema = SCHEMA
    exports = ("events", "event_mentions")

    # -- linking -------------------------------------------------------------
    def link(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Link the batch's event mentions in order.  A batch of articles never
        linked before is linked on a ``_Batch`` view (a few queries for the
        whole batch); one holding a re-ingested article, article by article
        in SQL (the earlier ingestion's events are replaced on the way)."""
        ids = [a.article.id for a in batch if a.events]
        if not ids:
            return list(batch)
        if len(set(ids)) == len(ids) and not _any_linked(store, ids):
            return _Batch(store, batch).link()
        return self._link_each(store, batch)

    def _link_each(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Article by article, mention by mention, in SQL (re-ingestion; the
        reference the tests compare ``_Batch`` with)."""
        out = []
        for analysis in batch:
            if not analysis.events:
                out.append(analysis)
                continue
            aid = analysis.article.id
            seen = bool(store.query("SELECT 1 FROM event_mentions WHERE article_id=? LIMIT 1", (aid,)))
            if seen:  # re-ingest: replace
                store.execute("DELETE FROM event_mentions WHERE article_id=?", (aid,))
            published = analysis.article.published
            events = [e.replace(event_id=self._link_one(store, aid, published, e, _actor_dicts(e, analysis), seen))
                      for e in analysis.events]
            out.append(analysis.replace(events=tuple(events)))
        return out

    def _link_one(self, store: Store, aid: str, published: str | None, e: EventMention,
                  actors: list[dict], seen: bool = True) -> str:
        """The id of the event ``e`` reports (``seen``: the article was linked
        before, so the events it started may exist and are replaced)."""
        family = FAMILY.get(e.mode, e.mode)
        day = _day(e.date)
        pub = _day(published)
        if day is not None:
            lo = hi = day
        elif pub is not None:
            lo = pub - dt.timedelta(days=WINDOW_DAYS)
            hi = pub + dt.timedelta(days=ANNOUNCE_DAYS if e.mode == "announced" else 0)
        else:
            lo = hi = None
        keys = set().union(*(actor_keys(a) for a in actors)) if actors else set()
        keys = keys or {"-"}  # no keyed actor: joins only events with none either
        best = None
        if lo is not None:
            marks = ",".join("?" * len(keys))
            # candidates in a fixed order, the first compatible one wins: by key, day and the order the
            # keys were stored in (SQLite's index order), sorted here (text order does not depend on the
            # database's collation)
            rows = store.query(
                f"SELECT k.akey, k.day, k.{store.ROW_ORDER}, k.event_id FROM event_keys k WHERE k.type=? "
                f"AND k.akey IN ({marks}) AND k.day BETWEEN ? AND ?",
                (e.type, *sorted(keys), lo.isoformat(), hi.isoformat()))
            rows = sorted((a, d, _row_key(r), eid) for a, d, r, eid in rows)
            for eid in dict.fromkeys(r[3] for r in rows):
                ev = store.query("SELECT family, place, actors, date, mode FROM events WHERE id=?", (eid,))
                if not ev:
                    continue
                fam, place, theirs, edate, emode = ev[0]
                if fam != family or (place and e.place and place != e.place):
                    continue
                if keys == {"-"} and not (place and place == e.place):
                    continue  # no named actor on either side: only the same named place joins them
                if store.query("SELECT 1 FROM event_mentions WHERE event_id=? AND article_id=? AND mode<>? LIMIT 1",
                               (eid, aid, e.mode)):
                    continue  # one article telling an offer and a deed: two events
                if day is not None and _day(edate) is not None and _day(edate) != day:
                    continue
                if not _actors_compatible(e.type, actors, json.loads(theirs)):
                    continue
                best = eid
                break
        if best is None:
            best = "ev_" + hashlib.sha1(f"{aid}|{e.trigger_start}|{e.type}".encode()).hexdigest()[:12]
            # an id made from this article's own offsets exists only if the article was linked
            # before (event_keys has no index on event_id: scanned only then)
            if seen and store.query("SELECT 1 FROM events WHERE id=?", (best,)):
                store.execute("DELETE FROM events WHERE id=?", (best,))
                store.execute("DELETE FROM event_keys WHERE event_id=?", (best,))
            store.execute(
                "INSERT INTO events (id, type, mode, date, place, source_actor, target_actor, first_reported, "
                "last_reported, reports, event_mode, family, actors) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (best, e.type, e.mode, e.date, e.place, _label(actors, "source"), _label(actors, "target"),
                 published, published, 0, e.event_mode, family, json.dumps(actors, ensure_ascii=False)))
        else:
            self._update(store, best, e, actors, published)
        anchor = day or pub
        if anchor is not None:
            store.executemany("INSERT INTO event_keys (type, akey, day, event_id) VALUES (?,?,?,?)",
                              [(e.type, k, anchor.isoformat(), best) for k in sorted(keys)])
        store.execute(
            'INSERT INTO event_mentions (event_id, article_id, start, "end", trigger, mode, date, trigger_start, '
            "published) VALUES (?,?,?,?,?,?,?,?,?)",
            (best, aid, e.start, e.end, e.trigger, e.mode, e.date, e.trigger_start, published))
        store.execute("UPDATE events SET reports=(SELECT COUNT(DISTINCT article_id) FROM event_mentions "
                      "WHERE event_id=?) WHERE id=?", (best, best))
        return best

    def _update(self, store: Store, eid: str, e: EventMention, actors: list[dict], published: str | None) -> None:
        row = dict(zip(_MERGED, store.query(f"SELECT {', '.join(_MERGED)} FROM events WHERE id=?", (eid,))[0]))
        row = _merge_report(row, e, actors, published)
        store.execute(f"UPDATE events SET {', '.join(c + '=?' for c in _MERGED)} WHERE id=?",
                      (*(row[c] for c in _MERGED), eid))

    # -- reading ---------------------------------------------------------------
    def article_fields(self, store: Store, article_id: str) -> dict[str, Any]:
        return {}

    def export(self, store: Store, what: str) -> Iterator[dict[str, Any]]:
        if what == "events":
            yield from list_events(store, limit=None)
        elif what == "event_mentions":
            for row in store.query(
                    'SELECT event_id, article_id, start, "end", trigger, trigger_start, mode, date FROM event_mentions '
                    "ORDER BY article_id, start, trigger_start"):
                yield dict(zip(("event_id", "article_id", "start", "end", "trigger", "trigger_start", "mode", "date"),
                               row))

    def stats(self, store: Store) -> dict[str, Any]:
        n = store.query("SELECT COUNT(*) FROM events")[0][0]
        m = store.query("SELECT COUNT(*) FROM event_mentions")[0][0]
        return {"events": n, "event_mentions": m}


def _window(e: EventMention, published: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The days an event mention's candidates are looked up in (None: none)."""
    day = _day(e.date)
    pub = _day(published)
    if day is not None:
        return day, day
    if pub is not None:
        return pub - dt.timedelta(days=WINDOW_DAYS), pub + dt.timedelta(days=ANNOUNCE_DAYS if e.mode == "announced" else 0)
    return None, None


def _mention_keys(actors: list[dict]) -> set[str]:
    keys = set().union(*(actor_keys(a) for a in actors)) if actors else set()
    return keys or {"-"}  # no keyed actor: joins only events with none either


def _row_key(v: Any) -> tuple[int, ...]:
    """A row's place in its table (``Store.ROW_ORDER``: SQLite's rowid, PostgreSQL's ctid "(page,item)")."""
    if isinstance(v, int):
        return (0, v)
    return (0, *map(int, str(v).strip("()").split(",")))


def _any_linked(store: Store, ids: list[str]) -> bool:
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        if store.query(f"SELECT 1 FROM event_mentions WHERE article_id IN ({','.join('?' * len(chunk))}) LIMIT 1",
                       chunk):
            return True
    return False


_EV = ("family", "place", "actors", "date", "mode", "source_actor", "target_actor", "first_reported",
       "last_reported", "type", "event_mode")


class _Batch:
    """``EventLinker._link_one`` for a whole batch of articles never linked
    before: the event keys and events the batch may meet are read at once;
    what linking adds or changes is kept here, so each mention sees the
    earlier ones of the batch exactly as if they had been stored, and is
    written at the end (one statement a table)."""

    def __init__(self, store: Store, batch: list[Analysis]):
        self.store, self.batch = store, batch
        self.items = []  # (analysis index, event index, mention, actors, keys, lo, hi)
        ranges: dict[tuple[str, str], tuple[str, str]] = {}
        for i, a in enumerate(batch):
            for j, e in enumerate(a.events):
                actors = _actor_dicts(e, a)
                keys = _mention_keys(actors)
                lo, hi = _window(e, a.article.published)
                self.items.append((i, j, e, actors, keys, lo, hi))
                if lo is not None:
                    for k in keys:
                        r = ranges.get((e.type, k))
                        lo_s, hi_s = lo.isoformat(), hi.isoformat()
                        ranges[(e.type, k)] = (min(r[0], lo_s), max(r[1], hi_s)) if r else (lo_s, hi_s)
        # (type, akey) -> [(day, place in the table, event id)]: the stored keys in the batch's windows,
        # then the batch's own (stored after all of those)
        self.keys: dict[tuple[str, str], list[tuple[str, tuple[int, ...], str]]] = {}
        q = [(t, k, lo, hi) for (t, k), (lo, hi) in sorted(ranges.items())]
        for c in range(0, len(q), 500):
            chunk = q[c:c + 500]
            values = ",".join(["(?,?,?,?)"] * len(chunk))
            for t, k, day, r, eid in store.query(
                    f"SELECT k.type, k.akey, k.day, k.{store.ROW_ORDER}, k.event_id FROM event_keys k JOIN "
                    f"(VALUES {values}) q ON k.type = q.column1 AND k.akey = q.column2 "
                    "AND k.day BETWEEN q.column3 AND q.column4", [v for row in chunk for v in row]):
                self.keys.setdefault((t, k), []).append((day, _row_key(r), eid))
        self.events: dict[str, dict[str, Any]] = {}
        ids = sorted({eid for rows in self.keys.values() for _, _, eid in rows})
        for c in range(0, len(ids), 500):
            chunk = ids[c:c + 500]
            for row in store.query(f"SELECT id, {', '.join(_EV)} FROM events WHERE id IN ({','.join('?' * len(chunk))})",
                                   chunk):
                self.events[row[0]] = dict(zip(_EV, row[1:]))
        self.created: list[str] = []
        self.updated: set[str] = set()
        self.new_keys: list[tuple[str, str, str, str]] = []
        self.mentions: list[tuple[Any, ...]] = []
        self.modes: dict[tuple[str, str], set[str]] = {}  # (event id, article id) -> modes of its mentions
        self.articles: dict[str, set[str]] = {}  # event id -> batch articles reporting it

    def link(self) -> list[Analysis]:
        ids: dict[tuple[int, int], str] = {}
        for i, j, e, actors, keys, lo, hi in self.items:
            a = self.batch[i].article
            ids[(i, j)] = self._link_one(a.id, a.published, e, actors, keys, lo, hi)
        self._write()
        out = []
        for i, a in enumerate(self.batch):
            if a.events:
                a = a.replace(events=tuple(e.replace(event_id=ids[(i, j)]) for j, e in enumerate(a.events)))
            out.append(a)
        return out

    def _candidates(self, etype: str, keys: set[str], lo: dt.date, hi: dt.date) -> list[str]:
        lo_s, hi_s = lo.isoformat(), hi.isoformat()
        rows = sorted((k, day, r, eid) for k in keys for day, r, eid in self.keys.get((etype, k), ())
                      if lo_s <= day <= hi_s)
        return list(dict.fromkeys(eid for _, _, _, eid in rows))

    def _link_one(self, aid: str, published: str | None, e: EventMention, actors: list[dict], keys: set[str],
                  lo: dt.date | None, hi: dt.date | None) -> str:
        """As ``EventLinker._link_one`` (its comments apply), on this view."""
        family = FAMILY.get(e.mode, e.mode)
        day = _day(e.date)
        best = None
        if lo is not None:
            for eid in self._candidates(e.type, keys, lo, hi):
                ev = self.events.get(eid)
                if ev is None:
                    continue
                place = ev["place"]
                if ev["family"] != family or (place and e.place and place != e.place):
                    continue
                if keys == {"-"} and not (place and place == e.place):
                    continue
                if self.modes.get((eid, aid), set()) - {e.mode}:
                    continue
                if day is not None and _day(ev["date"]) is not None and _day(ev["date"]) != day:
                    continue
                if not _actors_compatible(e.type, actors, json.loads(ev["actors"])):
                    continue
                best = eid
                break
        if best is None:
            best = "ev_" + hashlib.sha1(f"{aid}|{e.trigger_start}|{e.type}".encode()).hexdigest()[:12]
            self.events[best] = {"family": family, "place": e.place, "actors": json.dumps(actors, ensure_ascii=False),
                                 "date": e.date, "mode": e.mode, "source_actor": _label(actors, "source"),
                                 "target_actor": _label(actors, "target"), "first_reported": published,
                                 "last_reported": published, "type": e.type, "event_mode": e.event_mode}
            self.created.append(best)
        else:
            self._update(best, e, actors, published)
        anchor = day or _day(published)
        if anchor is not None:
            for k in sorted(keys):
                row = (e.type, k, anchor.isoformat(), best)
                self.keys.setdefault((e.type, k), []).append((row[2], (1, len(self.new_keys)), best))
                self.new_keys.append(row)
        self.mentions.append((best, aid, e.start, e.end, e.trigger, e.mode, e.date, e.trigger_start, published))
        self.modes.setdefault((best, aid), set()).add(e.mode)
        self.articles.setdefault(best, set()).add(aid)
        return best

    def _update(self, eid: str, e: EventMention, actors: list[dict], published: str | None) -> None:
        self.events[eid].update(_merge_report(self.events[eid], e, actors, published))
        self.updated.add(eid)

    def _write(self) -> None:
        store, created = self.store, set(self.created)
        reports = {eid: len(arts) for eid, arts in self.articles.items()}
        old = sorted(set(reports) - created)  # stored events: their earlier reports count too
        for c in range(0, len(old), 500):
            chunk = old[c:c + 500]
            for eid, n in store.query(f"SELECT event_id, COUNT(DISTINCT article_id) FROM event_mentions WHERE event_id "
                                      f"IN ({','.join('?' * len(chunk))}) GROUP BY event_id", chunk):
                reports[eid] += n
        if self.created:
            store.executemany(
                "INSERT INTO events (id, type, mode, date, place, source_actor, target_actor, first_reported, "
                "last_reported, reports, event_mode, family, actors) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(eid, ev["type"], ev["mode"], ev["date"], ev["place"], ev["source_actor"], ev["target_actor"],
                  ev["first_reported"], ev["last_reported"], reports[eid], ev["event_mode"], ev["family"], ev["actors"])
                 for eid in self.created for ev in (self.events[eid],)])
        if old:
            store.executemany(
                "UPDATE events SET mode=?, date=?, place=?, source_actor=?, target_actor=?, first_reported=?, "
                "last_reported=?, actors=?, reports=? WHERE id=?",
                [(ev["mode"], ev["date"], ev["place"], ev["source_actor"], ev["target_actor"], ev["first_reported"],
                  ev["last_reported"], ev["actors"], reports[eid], eid) for eid in old for ev in (self.events[eid],)])
        if self.new_keys:
            store.executemany("INSERT INTO event_keys (type, akey, day, event_id) VALUES (?,?,?,?)", self.new_keys)
        if self.mentions:
            store.executemany('INSERT INTO event_mentions (event_id, article_id, start, "end", trigger, mode, date, '
                              "trigger_start, published) VALUES (?,?,?,?,?,?,?,?,?)", self.mentions)


_COLUMNS = ("id", "date", "type", "mode", "event_mode", "source_actor", "target_actor", "place", "reports")


def _row(store: Store, row: tuple) -> dict[str, Any]:
    d = dict(zip(_COLUMNS, row))
    d["article_ids"] = [r[0] for r in store.query(
        "SELECT DISTINCT article_id FROM event_mentions WHERE event_id=? ORDER BY article_id", (d["id"],))]
    return d


def list_events(store: Store, *, type: str | None = None, mode: str | None = None, date_from: str | None = None,
                date_to: str | None = None, actor: str | None = None, article_id: str | None = None,
                limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Events, newest first, filtered; one dict per event (see ``exports``)."""
    where, params = [], []
    if type:
        where.append("type=?"); params.append(type)
    if mode:
        where.append("mode=?"); params.append(mode)
    if date_from:
        where.append("date>=?"); params.append(date_from)
    if date_to:
        where.append("date<=?"); params.append(date_to)
    if actor:
        where.append("(source_actor=? OR target_actor=? OR actors LIKE ?)")
        params += [actor, actor, f'%"{actor}"%']
    if article_id:
        where.append("id IN (SELECT event_id FROM event_mentions WHERE article_id=?)"); params.append(article_id)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY date DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [_row(store, r) for r in store.query(sql, params)]


def get_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with its actors and every mention (article, offsets, trigger)."""
    rows = store.query(f"SELECT {', '.join(_COLUMNS)}, actors FROM events WHERE id=?", (event_id,))
    if not rows:
        return None
    d = _row(store, rows[0][:-1])
    d["actors"] = json.loads(rows[0][-1])
    d["mentions"] = [dict(zip(("article_id", "start", "end", "trigger", "trigger_start", "mode", "date"), r))
                     for r in store.query('SELECT article_id, start, "end", trigger, trigger_start, mode, date '
                                          "FROM event_mentions WHERE event_id=? ORDER BY published, article_id",
                                          (event_id,))]
    return d


LINKER = EventLinker
