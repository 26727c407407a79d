"""Cross-article entity resolution: one Entity per real thing across the store.

Each article's mentions are first grouped in the article: a person's full
name, short forms and role mentions already share a ``canonical`` (the
``coref`` component); a place or organisation the gazetteer knows takes the
gazetteer's canonical name, so "أميركا", "امريكا" and "الولايات المتحدة" are
one group.  Each group is then matched against the store by alias keys
(SEARCH-normalised names) only -- an indexed lookup, so the cost of an
article grows with its mentions, never with the store:

1. exact: a stored alias with the same key and a compatible type;
2. fuzzy: a stored alias one edit away on each side, found through
   single-deletion blocks (``entity_blocks``, the SymSpell idea) and checked
   with Levenshtein.  For persons the check is strict: both names have two
   or more parts, the same number of parts, and the first and the last part
   each within one edit -- so "فؤاد حسين" never meets "صدام حسين"; or the
   same first and last parts with a middle name more or less (a first+last
   block finds those);  A short
   form ("حسين") is never a key across articles: it binds only inside its
   article, through coref;
3. otherwise a new entity.  Ids are stable: "E" + a hash of type and key.

Tables: ``entities``, ``entity_aliases`` (keys ``~...`` are short forms, kept
for display and never matched), ``entity_titles``, ``entity_mentions`` (used
by search filters) and ``entity_blocks``.  Query helpers for the API and web
UI: :func:`get_entity`, :func:`list_entities`, :func:`cooccurring`.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from rapidfuzz.distance import Levenshtein

from marsad.lang.ar.gazetteer import Entry, Gazetteer
from marsad.model import Analysis, Mention
from marsad.store.base import Schema, Store
from marsad.text.normalize import ORTHOGRAPHIC, SEARCH

SCHEMA = Schema("entities", 1, (
    """CREATE TABLE IF NOT EXISTS entities (
        id TEXT PRIMARY KEY, canonical TEXT NOT NULL, type TEXT NOT NULL, country TEXT, qid TEXT,
        mention_count INTEGER NOT NULL DEFAULT 0, first_seen TEXT, last_seen TEXT)""",
    "CREATE TABLE IF NOT EXISTS entity_aliases (entity_id TEXT NOT NULL, alias_key TEXT NOT NULL, alias TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entity_aliases_key ON entity_aliases(alias_key)",
    "CREATE INDEX IF NOT EXISTS entity_aliases_entity ON entity_aliases(entity_id)",
    "CREATE TABLE IF NOT EXISTS entity_titles (entity_id TEXT NOT NULL, title TEXT NOT NULL, "
    "article_id TEXT NOT NULL, published TEXT)",
    "CREATE INDEX IF NOT EXISTS entity_titles_entity ON entity_titles(entity_id)",
    "CREATE INDEX IF NOT EXISTS entity_titles_article ON entity_titles(article_id)",
    'CREATE TABLE IF NOT EXISTS entity_mentions (entity_id TEXT NOT NULL, article_id TEXT NOT NULL, '
    'start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL)',
    "CREATE INDEX IF NOT EXISTS entity_mentions_entity ON entity_mentions(entity_id)",
    "CREATE INDEX IF NOT EXISTS entity_mentions_article ON entity_mentions(article_id)",
    "CREATE TABLE IF NOT EXISTS entity_blocks (block TEXT NOT NULL, entity_id TEXT NOT NULL, alias_key TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entity_blocks_block ON entity_blocks(block)",
))

# Types that may name one thing: a country is LOC for one model and GPE for another.
TYPE_CLASS = {"PER": "PER", "LOC": "PLACE", "GPE": "PLACE", "ORG": "ORG", "MISC": "MISC"}
SHORT_PREFIX = "~"
MIN_FUZZY_LETTERS = 5  # shorter names (قطر، مصر) only match exactly
MAX_BLOCK_KEY = 40  # longer keys are matched exactly only


def alias_key(text: str) -> str:
    """The lookup key of a name: SEARCH-normalised words, single-spaced."""
    return " ".join(SEARCH.text(text).split())


def _display(text: str) -> str:
    return " ".join(ORTHOGRAPHIC.text(text).split())


NAME_PARTICLES = frozenset(SEARCH.text(w) for w in ("عبد", "أبو", "ابن", "بن", "آل", "أم"))
FIRST_LAST = "@"  # prefix of the first-and-last-part block of a person's name


def _first_last(key: str) -> tuple[str, str] | None:
    """A person's first and last name parts; a first part that is a particle
    takes the next word with it (عبد الله), so "عبد الله أوجلان" and "عبد
    الفتاح أوجلان" differ."""
    words = key.split()
    first = " ".join(words[:2]) if words and words[0] in NAME_PARTICLES else (words[0] if words else "")
    if len(words) < 2 or len(first.split()) >= len(words):
        return None
    return first, words[-1]


def _blocks(key: str, cls: str = "") -> set[str]:
    """The key and its single-deletion variants: two keys one edit apart
    always share a block.  A person's name also gets a first+last block, so
    a fuller form of the name (سيرغي فيكتوروفيتش لافروف) meets it."""
    out = {key} if len(key) > MAX_BLOCK_KEY else {key} | {key[:i] + key[i + 1:] for i in range(len(key))}
    if cls == "PER" and (fl := _first_last(key)):
        out.add(f"{FIRST_LAST}{fl[0]}|{fl[1]}")
    return out


def _fuzzy_ok(cls: str, a: str, b: str) -> bool:
    """May two different keys of one type class name the same thing?"""
    if cls == "PER":
        pa, pb = a.split(), b.split()
        fa, fb = _first_last(a), _first_last(b)
        if fa is not None and fa == fb:
            return True  # same first and last parts, a middle name more or less
        if len(pa) < 2 or len(pa) != len(pb):
            return False
        if Levenshtein.distance(pa[0], pb[0]) > 1 or Levenshtein.distance(pa[-1], pb[-1]) > 1:
            return False
        if min(len(pa[0]), len(pa[-1])) < 3:
            return False
        return sum(x != y for x, y in zip(pa, pb)) <= 2 and all(
            Levenshtein.distance(x, y) <= 1 for x, y in zip(pa, pb))
    if min(len(a), len(b)) < MIN_FUZZY_LETTERS:
        return False
    return Levenshtein.distance(a, b, score_cutoff=1) <= 1


@dataclass
class _Unit:
    """One in-article entity: the mentions that name one thing in one article."""

    cls: str
    type: str
    key: str
    canonical: str
    mentions: list[int] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # key -> surface
    shorts: dict[str, str] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    qid: str | None = None
    gazetteer: bool = False


def _entity_id(cls: str, key: str) -> str:
    return "E" + hashlib.sha1(f"{cls}|{key}".encode("utf-8")).hexdigest()[:12]


class EntityLinker:
    name = "entities"
    schema = SCHEMA
    exports = ("entities",)

    def __init__(self, gazetteer: Gazetteer | None = None):
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    # -- grouping inside one article ------------------------------------------------
    def _gazetteer_entry(self, m: Mention) -> Entry | None:
        g = self.gazetteer
        if m.kind == "demonym":
            return g.demonym(m.text)
        # the canonical the extractor chose wins over the surface (عمان read as Amman)
        e = (g.named(m.canonical) if m.canonical else None) or g.lookup(m.text)
        if e is None and len(m.text.split()) == 1:
            e = g.fuzzy(m.text)
        return e

    def units(self, analysis: Analysis) -> list[_Unit]:
        """The article's mentions grouped into in-article entities."""
        from marsad.extract.titles import Lexicon

        lex = Lexicon.default()
        units: dict[tuple[str, str], _Unit] = {}
        for idx, m in enumerate(analysis.mentions):
            cls = TYPE_CLASS.get(m.type)
            if cls is None:
                continue
            entry = None if cls == "PER" else self._gazetteer_entry(m)
            if entry is not None:
                cls = TYPE_CLASS.get(entry.type, cls)
                canonical = entry.canonical
            elif cls == "PER" and m.kind in ("short", "role") and not m.canonical:
                continue  # unresolved by coref: no cross-article identity
            else:
                canonical = _display(m.canonical or m.text)
            key = alias_key(canonical)
            if not key:
                continue
            u = units.get((cls, key))
            if u is None:
                u = units[(cls, key)] = _Unit(cls, m.type, key, canonical, gazetteer=entry is not None)
                if entry is not None:
                    u.aliases[key] = canonical
                    u.qid = entry.qid
                    u.country = entry.country
            u.mentions.append(idx)
            surface = _display(m.text)
            if m.kind == "name" or (entry is not None and m.kind != "role"):
                u.aliases.setdefault(alias_key(m.text), surface)
            elif m.kind == "short":
                u.shorts.setdefault(SHORT_PREFIX + alias_key(m.text), surface)
            if m.title and m.kind == "name":
                ph_type = _title_type(lex, m.title)
                if ph_type not in ("counterpart", "honorific"):
                    u.titles.append(_display(m.title))
            if cls == "PER" and m.country and u.country is None:
                u.country = m.country
        return list(units.values())

    # -- matching against the store -------------------------------------------------
    def resolve(self, store: Store, u: _Unit) -> str | None:
        """The id of the stored entity ``u`` names, or None."""
        return _View(store, [u], self._fuzzy_eligible).resolve(u)

    @staticmethod
    def _fuzzy_eligible(cls: str, key: str) -> bool:
        if cls == "PER":
            return len(key.split()) >= 2
        return len(key) >= MIN_FUZZY_LETTERS

    # -- the Linker protocol -------------------------------------------------------------
    def link(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Link a batch: one ``_View`` for all its articles (a few queries per
        batch), applied article by article in order, so each article sees what
        the earlier ones of the batch changed exactly as if they had been
        written and read back.  A batch holding an article linked before (or
        one id twice) is linked article by article: re-ingestion first
        forgets what the earlier ingestion contributed."""
        if not batch:
            return []
        ids = [a.article.id for a in batch]
        if len(set(ids)) < len(ids) or self._linked(store, ids):
            return self._link_each(store, batch)
        units = [self.units(a) for a in batch]
        view = _View(store, [u for us in units for u in us], self._fuzzy_eligible)
        mention_rows: list[tuple[Any, ...]] = []
        title_rows: list[tuple[Any, ...]] = []
        out = [self._apply(view, a, us, mention_rows, title_rows) for a, us in zip(batch, units)]
        self._write(store, view, mention_rows, title_rows)
        return out

    def _link_each(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Article by article, each on its own view (re-ingestion; the reference the tests compare with)."""
        return [self._link_one(store, a) for a in batch]

    @staticmethod
    def _linked(store: Store, ids: list[str]) -> bool:
        """Whether any of these articles has mentions stored (re-ingestion)."""
        for chunk in _chunks(sorted(set(ids))):
            if store.query(f"SELECT 1 FROM entity_mentions WHERE article_id IN ({_marks(chunk)}) LIMIT 1", chunk):
                return True
        return False

    def _forget(self, store: Store, article_id: str) -> None:
        """Drop what an earlier ingestion of this article contributed (re-ingest)."""
        rows = store.query("SELECT entity_id, COUNT(*) FROM entity_mentions WHERE article_id=? "
                           "GROUP BY entity_id", (article_id,))
        if not rows:
            return
        store.executemany("UPDATE entities SET mention_count = mention_count - ? WHERE id=?",
                          [(n, eid) for eid, n in rows])
        store.execute("DELETE FROM entity_mentions WHERE article_id=?", (article_id,))
        store.execute("DELETE FROM entity_titles WHERE article_id=?", (article_id,))

    def _link_one(self, store: Store, analysis: Analysis) -> Analysis:
        """Link one article's units, in order, against a ``_View`` of the
        store (a few queries for the whole article instead of several per
        unit); what the view changed is written at the end, in bulk."""
        self._forget(store, analysis.article.id)
        units = self.units(analysis)
        view = _View(store, units, self._fuzzy_eligible)
        mention_rows: list[tuple[Any, ...]] = []
        title_rows: list[tuple[Any, ...]] = []
        out = self._apply(view, analysis, units, mention_rows, title_rows)
        self._write(store, view, mention_rows, title_rows)
        return out

    @staticmethod
    def _apply(view: "_View", analysis: Analysis, units: list[_Unit], mention_rows: list[tuple[Any, ...]],
               title_rows: list[tuple[Any, ...]]) -> Analysis:
        """Link one article's units, in order, on ``view``; its mention and
        title rows are added to the lists; the analysis with entity ids."""
        art = analysis.article
        mentions = list(analysis.mentions)
        published = art.published
        for u in units:
            eid, _ = view.apply(u, published)
            canonical = view.entities[eid][_CANONICAL]
            for idx in u.mentions:
                m = mentions[idx]
                mentions[idx] = m.replace(entity_id=eid, canonical=canonical)
                mention_rows.append((eid, art.id, m.start, m.end, m.text, m.kind))
            title_rows += [(eid, t, art.id, published) for t in dict.fromkeys(u.titles)]
        return propagate(analysis.replace(mentions=tuple(mentions)))

    @staticmethod
    def _write(store: Store, view: "_View", mention_rows: list[tuple[Any, ...]],
               title_rows: list[tuple[Any, ...]]) -> None:
        view.write()
        if mention_rows:
            store.executemany('INSERT INTO entity_mentions(entity_id, article_id, start, "end", text, kind) '
                              'VALUES (?,?,?,?,?,?)', mention_rows)
        if title_rows:
            store.executemany("INSERT INTO entity_titles(entity_id, title, article_id, published) "
                              "VALUES (?,?,?,?)", title_rows)

    def article_fields(self, store: Store, article_id: str) -> dict[str, Any]:
        return {}  # mentions carry entity_id and canonical already

    def export(self, store: Store, what: str) -> Iterator[dict[str, Any]]:
        if what != "entities":
            raise ValueError(f"the entity linker exports 'entities', not {what!r}")
        for (eid,) in store.query("SELECT id FROM entities WHERE mention_count > 0 "
                                  "ORDER BY mention_count DESC, id"):
            e = get_entity(store, eid, mentions=False)
            if e is not None:
                yield {k: e[k] for k in ("id", "canonical", "type", "aliases", "titles", "country", "qid",
                                         "mention_count", "articles")}

    def stats(self, store: Store) -> dict[str, Any]:
        return {"entities": store.query("SELECT COUNT(*) FROM entities WHERE mention_count > 0")[0][0]}


_ENTITY_COLS = "e.id, e.canonical, e.type, e.country, e.qid, e.first_seen, e.last_seen, e.mention_count"
_CANONICAL, _TYPE, _COUNTRY, _QID, _FIRST, _LAST, _COUNT = range(7)


class _View:
    """What linking one article (or a batch of articles) reads of the entity
    tables -- the aliases and blocks its units may match, the entities behind
    them and their known aliases -- read in four queries, and what linking
    changes, kept here (later units, and later articles of the batch, see it)
    until ``write``."""

    def __init__(self, store: Store, units: list[_Unit], eligible: Any):
        self.store = store
        self.eligible = eligible
        self.entities: dict[str, list[Any]] = {}  # id -> [canonical, type, country, qid, first, last, count]
        self.aliases: dict[str, list[str]] = {}  # alias key -> entity ids
        self.blocks: dict[str, list[tuple[str, str]]] = {}  # block -> (entity id, alias key), in insertion order
        self.known: dict[str, set[str]] = {}  # entity id -> its alias keys
        self.changed: set[str] = set()
        self.created: list[str] = []
        self.new_aliases: list[tuple[str, str, str]] = []
        self.new_blocks: list[tuple[str, str, str]] = []
        keys = sorted({k for u in units for k in (u.key, *u.aliases)})
        blocks = sorted({b for u in units if not u.gazetteer for k in {u.key, *u.aliases}
                         if eligible(u.cls, k) for b in _blocks(k, u.cls)})
        for chunk in _chunks(keys):
            for row in store.query(f"SELECT a.alias_key, {_ENTITY_COLS} FROM entity_aliases a JOIN entities e "
                                   f"ON e.id = a.entity_id WHERE a.alias_key IN ({_marks(chunk)})", chunk):
                self.aliases.setdefault(row[0], []).append(row[1])
                self.entities[row[1]] = list(row[2:])
        for chunk in _chunks(blocks):
            for row in store.query(f"SELECT b.block, b.alias_key, {_ENTITY_COLS} FROM entity_blocks b JOIN entities e "
                                   f"ON e.id = b.entity_id WHERE b.block IN ({_marks(chunk)})", chunk):
                self.blocks.setdefault(row[0], []).append((row[2], row[1]))
                self.entities[row[2]] = list(row[3:])
        fresh = sorted({_entity_id(u.cls, u.key) for u in units} - set(self.entities))
        for chunk in _chunks(fresh):
            for row in store.query(f"SELECT {_ENTITY_COLS} FROM entities e WHERE e.id IN ({_marks(chunk)})", chunk):
                self.entities[row[0]] = list(row[1:])
        ids = sorted(self.entities)
        for eid in ids:
            self.known[eid] = set()
        for chunk in _chunks(ids):
            for eid, key in store.query(f"SELECT entity_id, alias_key FROM entity_aliases WHERE entity_id IN "
                                        f"({_marks(chunk)})", chunk):
                self.known[eid].add(key)

    def _compatible(self, ids: list[tuple[str, str]], cls: str) -> list[tuple[str, str, int]]:
        return [(eid, key, self.entities[eid][_COUNT]) for eid, key in ids
                if TYPE_CLASS.get(self.entities[eid][_TYPE]) == cls]

    def resolve(self, u: _Unit) -> str | None:
        """The id of the entity ``u`` names, or None: an alias with the same
        key and a compatible type (most mentioned first), else -- not for a
        gazetteer name -- a fuzzy match through the blocks."""
        keys = sorted({u.key, *u.aliases})
        found = self._compatible([(eid, k) for k in keys for eid in self.aliases.get(k, ())], u.cls)
        if found:
            return max(found, key=lambda r: (r[2], r[0]))[0]
        if u.gazetteer:
            return None  # a gazetteer name is its own key: never fuzzy
        seen: set[tuple[str, str]] = set()
        rows = []
        for b in sorted({b for k in keys if self.eligible(u.cls, k) for b in _blocks(k, u.cls)}):
            for r in self.blocks.get(b, ()):
                if r not in seen:
                    seen.add(r)
                    rows.append(r)
        best = None
        for eid, key, count in self._compatible(rows, u.cls):
            if any(_fuzzy_ok(u.cls, k, key) for k in keys):
                if best is None or count > best[1]:
                    best = (eid, count)
        return best[0] if best else None

    def apply(self, u: _Unit, published: str | None) -> tuple[str, dict[str, str]]:
        """Link one unit: resolve it (or create its entity), add its mention
        count, country, QID and dates, and the aliases its entity did not
        know; returns the entity id and those new aliases (key -> display)."""
        eid = self.resolve(u)
        if eid is None:
            eid = _entity_id(u.cls, u.key)
            if eid not in self.entities:
                self.create(eid, u, published)
        e = self.entities[eid]
        e[_COUNT] += len(u.mentions)
        e[_COUNTRY] = e[_COUNTRY] or u.country
        e[_QID] = e[_QID] or u.qid
        e[_FIRST] = _min(e[_FIRST], published)
        e[_LAST] = _max(e[_LAST], published)
        self.changed.add(eid)
        new = {k: v for k, v in {**u.aliases, **u.shorts}.items() if k not in self.known.setdefault(eid, set())}
        for k, v in new.items():
            self.add_alias(eid, k, v, None if k.startswith(SHORT_PREFIX) or u.gazetteer
                           or not self.eligible(u.cls, k) else _blocks(k, u.cls))
        return eid, new

    def create(self, eid: str, u: _Unit, published: str | None) -> None:
        self.entities[eid] = [u.canonical, u.type, u.country, u.qid, published, published, 0]
        self.known[eid] = set()
        self.created.append(eid)

    def add_alias(self, eid: str, key: str, alias: str, blocks: set[str] | None) -> None:
        self.known[eid].add(key)
        self.aliases.setdefault(key, []).append(eid)
        self.new_aliases.append((eid, key, alias))
        for b in blocks or ():
            self.blocks.setdefault(b, []).append((eid, key))
            self.new_blocks.append((b, eid, key))

    def write(self) -> None:
        store, ents = self.store, self.entities
        created = set(self.created)
        if self.created:
            store.executemany("INSERT INTO entities(id, canonical, type, country, qid, mention_count, first_seen, "
                              "last_seen) VALUES (?,?,?,?,?,?,?,?)",
                              [(eid, *ents[eid][:_FIRST], ents[eid][_COUNT], ents[eid][_FIRST], ents[eid][_LAST])
                               for eid in self.created])
        updates = [(ents[eid][_COUNT], ents[eid][_COUNTRY], ents[eid][_QID], ents[eid][_FIRST], ents[eid][_LAST], eid)
                   for eid in sorted(self.changed - created)]
        if updates:
            store.executemany("UPDATE entities SET mention_count=?, country=?, qid=?, first_seen=?, last_seen=? "
                              "WHERE id=?", updates)
        if self.new_aliases:
            store.executemany("INSERT INTO entity_aliases(entity_id, alias_key, alias) VALUES (?,?,?)",
                              self.new_aliases)
        if self.new_blocks:
            store.executemany("INSERT INTO entity_blocks(block, entity_id, alias_key) VALUES (?,?,?)",
                              self.new_blocks)


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


def _chunks(items: list[Any], n: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _title_type(lex: Any, title: str) -> str | None:
    from marsad.text.tokenize import tokenize

    toks = tokenize(title)
    ph = lex.parse(toks, 0) if toks else None
    return ph.entry.type if ph is not None else None


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


# -- queries for the API and the web UI ------------------------------------------------------
_FIELDS = ("id", "canonical", "type", "country", "qid", "mention_count", "first_seen", "last_seen")


def get_entity(store: Store, entity_id: str, *, mentions: bool = True, limit: int = 1000) -> dict[str, Any] | None:
    """One entity with its aliases, titles over time, articles and (unless
    ``mentions=False``) its mentions with offsets, or None."""
    rows = store.query(f"SELECT {', '.join(_FIELDS)} FROM entities WHERE id=?", (entity_id,))
    if not rows:
        return None
    out: dict[str, Any] = dict(zip(_FIELDS, rows[0]))
    out["aliases"] = [r[0] for r in store.query(
        "SELECT alias FROM entity_aliases WHERE entity_id=? ORDER BY alias_key", (entity_id,))]
    titles = store.query("SELECT title, article_id, published FROM entity_titles WHERE entity_id=? "
                         "ORDER BY published, article_id", (entity_id,))
    out["titles"] = list(dict.fromkeys(t[0] for t in titles))
    out["title_history"] = [{"title": t, "article_id": a, "published": p} for t, a, p in titles]
    out["articles"] = [r[0] for r in store.query(
        "SELECT DISTINCT article_id FROM entity_mentions WHERE entity_id=? ORDER BY article_id", (entity_id,))]
    if mentions:
        out["mentions"] = [
            {"article_id": a, "start": s, "end": e, "text": t, "kind": k}
            for a, s, e, t, k in store.query(
                'SELECT article_id, start, "end", text, kind FROM entity_mentions WHERE entity_id=? '
                "ORDER BY article_id, start LIMIT ?", (entity_id, int(limit)))]
    return out


def list_entities(store: Store, type: str | None = None, q: str | None = None, *, limit: int = 50,
                  offset: int = 0) -> dict[str, Any]:
    """Entities by mention count, optionally of one type and whose alias
    contains ``q`` (any spelling the SEARCH normaliser folds): {"total", "items"}."""
    where, params = ["e.mention_count > 0"], []
    if type:
        where.append("e.type = ?")
        params.append(type)
    if q and alias_key(q):
        where.append("e.id IN (SELECT entity_id FROM entity_aliases WHERE alias_key LIKE ?)")
        params.append(f"%{alias_key(q).lstrip(SHORT_PREFIX)}%")
    cond = " AND ".join(where)
    total = store.query(f"SELECT COUNT(*) FROM entities e WHERE {cond}", params)[0][0]
    rows = store.query(f"SELECT {', '.join('e.' + f for f in _FIELDS)} FROM entities e WHERE {cond} "
                       "ORDER BY e.mention_count DESC, e.id LIMIT ? OFFSET ?", [*params, int(limit), int(offset)])
    return {"total": total, "items": [dict(zip(_FIELDS, r)) for r in rows]}


def cooccurring(store: Store, entity_id: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Entities mentioned in the same articles as ``entity_id``, by the number
    of shared articles."""
    rows = store.query(
        "SELECT e.id, e.canonical, e.type, COUNT(DISTINCT o.article_id) AS n FROM entity_mentions m "
        "JOIN entity_mentions o ON o.article_id = m.article_id AND o.entity_id <> m.entity_id "
        "JOIN entities e ON e.id = o.entity_id WHERE m.entity_id = ? "
        "GROUP BY e.id, e.canonical, e.type ORDER BY n DESC, e.id LIMIT ?", (entity_id, int(limit)))
    return [{"id": i, "canonical": c, "type": t, "articles": n} for i, c, t, n in rows]


def entity_counts(mentions: Sequence[Mention]) -> Counter[str]:
    """Mentions per entity id in one analysis (for summaries)."""
    return Counter(m.entity_id for m in mentions if m.entity_id)


LINKER = EntityLinker


def propagate(analysis: Analysis) -> Analysis:
    """Quote speakers and event actors point at mentions by index: give them
    the entity ids the mentions now carry."""
    ms = analysis.mentions

    def ent(i: int) -> tuple[str | None, str | None] | None:
        return (ms[i].entity_id, ms[i].canonical) if 0 <= i < len(ms) and ms[i].entity_id else None

    quotes = []
    for q in analysis.quotes:
        e = ent(q.speaker.mention) if q.speaker else None
        quotes.append(q.replace(speaker=q.speaker.replace(entity_id=e[0], canonical=e[1] or q.speaker.canonical))
                      if e else q)
    events = []
    for ev in analysis.events:
        actors = tuple((a.replace(entity_id=e[0], canonical=e[1] or a.canonical) if (e := ent(a.mention)) else a)
                       for a in ev.actors)
        events.append(ev.replace(actors=actors))
    return analysis.replace(quotes=tuple(quotes), events=tuple(events))
