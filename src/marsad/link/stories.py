"""Stories: articles threaded into stories over time, online and incremental.

Each new article joins the story of its most similar earlier article, or
starts a story of its own (single-link online clustering, as in TDT).

* *Features.*  Content words: SEARCH-normalised stems (clitics off, see
  ``text.tokenize.segment``) minus ``lang/ar/data/stopwords.txt``, weighted
  TF-IDF with an incremental document-frequency table (``story_df``);
  entity ids from ``Mention.entity_id`` and event ids from
  ``EventMention.event_id`` when the linkers before us filled them.
* *Candidates.*  An inverted index (``story_index``) over each article's
  ``INDEX_TERMS`` highest-weighted words and its entity ids, restricted to
  ``window_days`` around the publication date: a new article costs the length
  of a few posting lists, never a scan of the store.
* *Similarity.*  cosine(TF-IDF) + ``ENTITY_WEIGHT`` x Jaccard(entities) +
  ``EVENT_WEIGHT`` if an event id is shared.  ``threshold`` was tuned on ANT
  (eval/stories.py).
* *Threading.*  Links between the new article and the story members it
  matched: ``announcement_report`` when the earlier one announced an event
  (``EventMention.mode == "announced"``) that the later one reports as
  happened (same type, overlapping actors) -- or, failing that (no events,
  or events typed apart), when a sentence of the earlier article holding a future cue
  (``story_future_cues.txt``: "المقبل", "سيقوم" ...) is told again without
  one in a later article; ``same_event`` within a day; else ``follow_up``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, Iterator

from marsad.lang.ar import load_list
from marsad.model import Analysis, Token
from marsad.store.base import Schema, Store
from marsad.text.normalize import SEARCH
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize

WINDOW_DAYS = 14
THRESHOLD = 0.20  # chosen on the ANT dev day with the full pipeline (eval/stories.py --full)
VECTOR_TERMS = 40  # terms kept per article vector
INDEX_TERMS = 15  # terms posted to the inverted index
QUERY_TERMS = 25  # terms a new article looks up (more than it posts: its rarest words may be new to the store)
MAX_CANDIDATES = 60
ENTITY_WEIGHT = 0.1
EVENT_WEIGHT = 0.0  # measured: shared event ids merged stories apart (dev B3 F1 .960 -> .937); off until event merging is finer
ANNOUNCE_MIN_SHARED = 4
ANNOUNCE_MIN_SHARE = 0.4
MAX_LINKS = 5
COMMON_FLOOR, COMMON_SHARE = 200, 0.05  # a word in more articles than this is not looked up
IDF_PRIOR = 1000  # pseudo-documents: a small store does not yet know which words are common

SCHEMA = Schema("stories", 3, (
    """CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, title TEXT, first_published TEXT,
        last_published TEXT, size INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS stories_last ON stories(last_published)",
    """CREATE TABLE IF NOT EXISTS story_articles (story_id TEXT NOT NULL, article_id TEXT NOT NULL,
        published TEXT, score REAL, centrality REAL NOT NULL DEFAULT 0, PRIMARY KEY (story_id, article_id))""",
    "CREATE UNIQUE INDEX IF NOT EXISTS story_articles_article ON story_articles(article_id)",
    """CREATE TABLE IF NOT EXISTS story_links (story_id TEXT NOT NULL, from_id TEXT NOT NULL,
        to_id TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (from_id, to_id))""",
    "CREATE INDEX IF NOT EXISTS story_links_story ON story_links(story_id)",
    """CREATE TABLE IF NOT EXISTS story_vectors (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL,
        day INTEGER, title TEXT, vector TEXT NOT NULL, entities TEXT NOT NULL, events TEXT NOT NULL,
        announces TEXT NOT NULL, reports TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS story_vectors_story ON story_vectors(story_id, day)",
    "CREATE TABLE IF NOT EXISTS story_index (term TEXT NOT NULL, day INTEGER, article_id TEXT NOT NULL)",
    # covering: a posting is read from the index alone (measured on a 45k-article
    # store: the candidate query 6.2 -> 1.7 ms, median)
    "CREATE INDEX IF NOT EXISTS story_index_postings ON story_index(term, day, article_id)",
    "CREATE TABLE IF NOT EXISTS story_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS story_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
), migrations={3: ("DROP INDEX IF EXISTS story_index_term",)})


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(load_list("stopwords"))


@cache
def _future_cues() -> frozenset[str]:
    return frozenset(load_list("story_future_cues"))


def content_terms(tokens: list[Token] | tuple[Token, ...]) -> list[str]:
    """Normalised light stems of the content words, in text order."""
    return [term for _, term in _content_tokens(tokens)]


def _content_tokens(tokens: list[Token] | tuple[Token, ...]) -> list[tuple[int, str]]:
    """(token index, term) of the content words."""
    out = []
    for i, t in enumerate(tokens):
        if t.kind == "word":
            term = _term(t.norm, t.stem)
        elif t.kind == "latin":
            term = _term(t.norm, t.norm)
        else:
            continue
        if term:
            out.append((i, term))
    return out


@lru_cache(maxsize=200_000)
def _term(norm: str, stem: str) -> str | None:
    """The index term of a word, or None for a stopword."""
    stop = _stopwords()
    if norm in stop:
        return None
    term = SEARCH.text(stem)
    return None if len(term) < 2 or term in stop else term


@dataclass
class Features:
    """What the linker keeps of one article."""

    article_id: str
    day: int | None
    published: str | None
    title: str
    vector: dict[str, float]  # L2-normalised TF-IDF of the top terms
    entities: list[str]
    events: list[list[Any]]  # [type, mode, [actor entity ids], event_id]
    announces: list[list[str]] = field(default_factory=list)  # term sets of future-cue sentences
    reports: list[list[str]] = field(default_factory=list)  # term sets of the other sentences
    keys: list[str] = field(default_factory=list)  # what the article looks up in the inverted index

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> "Features":
        """From (article_id, day, title, vector, entities, events, announces,
        reports) as stored; the JSON of the last four is decoded on first use
        (most candidates never need it)."""
        return cls(row[0], row[1], None, row[2], _decoded(row[3]), row[4], row[5], row[6], row[7])

    def get(self, name: str) -> Any:
        v = getattr(self, name)
        if isinstance(v, str):
            v = _decoded(v)
            setattr(self, name, v)
        return v


@lru_cache(maxsize=20_000)
def _decoded(column: str) -> Any:
    """A stored JSON column, decoded once: a candidate article is read again
    by every later article of its window.  Keyed by the text itself, so it is
    never stale; callers must not mutate the result (none does)."""
    return json.loads(column)


def _title(analysis: Analysis) -> str:
    a = analysis.article
    if a.title and a.title.strip():
        return a.title.strip()
    line = next((ln.strip() for ln in a.text.splitlines() if ln.strip()), "")
    if ":" in line[:40]:  # "ايلاف من لندن: ..." dateline
        line = line.split(":", 1)[1].strip()
    if len(line) > 100:
        cut = line.rfind(" ", 0, 100)
        line = line[: cut if cut > 40 else 100] + " …"
    return line


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _story_id(article_id: str) -> str:
    return "st_" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # the terms of a missing from b add exactly 0.0: skipping them leaves the sum unchanged
    return sum((w * b[t] for t, w in a.items() if t in b), 0.0)


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


class StoriesLinker:
    name = "stories"
    schema = SCHEMA
    exports = ("stories",)

    def __init__(self, window_days: int = WINDOW_DAYS, threshold: float = THRESHOLD):
        if window_days < 0:
            raise ValueError(f"window_days must be >= 0, got {window_days}")
        self.window_days = window_days
        self.threshold = threshold
        self._batch: _Batch | None = None  # while ``link`` runs

    # -- features ------------------------------------------------------------------
    def features(self, store: Store, analysis: Analysis) -> Features:
        art = analysis.article
        tokens = analysis.tokens or tuple(tokenize(art.text))
        content = _content_tokens(tokens)
        tf = Counter(term for _, term in content)
        df: dict[str, int]
        if self._batch is not None:  # read for the whole batch, the batch's own articles counted in
            n_docs, df = self._batch.n_docs, self._batch.df
        else:
            n_docs = _meta(store, "articles")
            df = _read_df(store, list(tf))
        weights = {t: (1 + math.log(c)) * math.log((n_docs + IDF_PRIOR) / (df.get(t, 0) + 1)) for t, c in tf.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vector = {t: round(w / norm, 5) for t, w in top}
        entities = sorted({m.entity_id for m in analysis.mentions if m.entity_id})
        events = [[e.type, e.mode, sorted({x.entity_id for x in e.actors if x.entity_id}), e.event_id]
                  for e in analysis.events]
        announces, reports = self._sentences(analysis, tokens, content)
        # words in very many articles would read long posting lists for nothing
        common = max(COMMON_FLOOR, COMMON_SHARE * n_docs)
        keys = [t for t in vector if df.get(t, 0) <= common][:QUERY_TERMS] + ["e:" + e for e in entities]
        return Features(art.id, _day(art.published), art.published, _title(analysis), vector, entities, events,
                        announces, reports, keys)

    @staticmethod
    def _sentences(analysis: Analysis, tokens: tuple[Token, ...] | list[Token],
                   content: list[tuple[int, str]]) -> tuple[list[list[str]], list[list[str]]]:
        """Content-term sets of the sentences with a future cue and of the others."""
        sentences = analysis.sentences or tuple(split_sentences(analysis.article.text))
        cues = _future_cues()
        announces: list[list[str]] = []
        reports: list[list[str]] = []
        k = c = 0
        for s in sentences:
            cued = False
            while k < len(tokens) and tokens[k].start < s.end:
                cued = cued or (tokens[k].start >= s.start and tokens[k].norm in cues)
                k += 1
            terms: set[str] = set()
            while c < len(content) and content[c][0] < k:
                if tokens[content[c][0]].start >= s.start:
                    terms.add(content[c][1])
                c += 1
            if len(terms) >= ANNOUNCE_MIN_SHARED:
                (announces if cued else reports).append(sorted(terms))
        return announces, reports

    # -- linking -----------------------------------------------------------------------
    def link(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Link the batch's articles in order.  What a batch reads of the
        document frequencies and which articles are placed is read once, and
        the postings, frequencies and counts it adds are kept in memory and
        written at the end (``_Batch``): each article sees the earlier ones
        exactly as if they had been written."""
        self._batch = _Batch(store, batch)
        try:
            for analysis in batch:
                self.link_one(store, analysis)
            self._batch.write(store)
        finally:
            self._batch = None
        return batch

    def _link_each(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Article by article, every read and write in SQL (the reference the tests compare ``link`` with)."""
        for analysis in batch:
            self.link_one(store, analysis)
        return batch

    def link_one(self, store: Store, analysis: Analysis) -> str:
        """Put one article in a story; returns the story id.  An article
        already placed keeps its story (re-ingestion adds nothing)."""
        aid = analysis.article.id
        if self._batch is not None:
            if aid in self._batch.placed:
                return self._batch.placed[aid]
        else:
            placed = store.query("SELECT story_id FROM story_articles WHERE article_id=?", (aid,))
            if placed:
                return placed[0][0]
        f = self.features(store, analysis)
        scored = self._candidates(store, f)
        best_story, best = None, 0.0
        by_story: dict[str, float] = {}
        for _, story, sim, _ in scored:
            by_story[story] = max(by_story.get(story, 0.0), sim)
        if by_story:
            best_story, best = max(by_story.items(), key=lambda kv: (kv[1], kv[0]))
        if best_story is not None and best >= self.threshold:
            story = best_story
            members = [(oid, sim, other) for oid, s, sim, other in scored if s == story and sim >= self.threshold]
            self._join(store, story, f, best, members)
        else:
            story = _story_id(aid)
            if self._batch is not None:
                self._batch.story_ops(story).append(("create", f.title, f.published))
            else:
                store.execute("INSERT INTO stories(id, title, first_published, last_published, size) "
                              "VALUES (?,?,?,?,0)", (story, f.title, f.published, f.published))
            self._join(store, story, f, 0.0, [])
        self._index(store, story, f)
        if self._batch is not None:
            self._batch.placed[aid] = story
        return story

    def _candidates(self, store: Store, f: Features) -> list[tuple[str, str, float, Features]]:
        """(article id, story id, similarity, features) of the indexed articles
        that share index terms or entities with ``f`` inside the time window."""
        keys = f.keys
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        params: list[Any] = list(keys)
        if f.day is None:  # undated: no window (reads whole posting lists; rare)
            postings = f"SELECT article_id FROM story_index WHERE term IN ({marks})"
        else:
            # two index range reads on (term, day): the window, and the undated
            postings = (f"SELECT article_id FROM story_index WHERE term IN ({marks}) AND day BETWEEN ? AND ? "
                        f"UNION ALL SELECT article_id FROM story_index WHERE term IN ({marks}) AND day IS NULL")
            params += [f.day - self.window_days, f.day + self.window_days] + list(keys)
        # the best MAX_CANDIDATES by postings matched, with their stored features in the same query;
        # the sentence term sets (the bulk of a row) are read later, for the
        # few candidates that become linked members (``_sentence_sets``)
        sql = (f"SELECT c.n, v.story_id, v.article_id, v.day, v.title, v.vector, v.entities, v.events FROM "
               f"(SELECT article_id, COUNT(*) AS n FROM ({postings}) p GROUP BY article_id "
               f"ORDER BY COUNT(*) DESC, article_id LIMIT ?) c JOIN story_vectors v ON v.article_id = c.article_id")
        params.append(MAX_CANDIDATES)
        rows = {r[2]: r for r in store.query(sql, params)}
        if self._batch is not None:
            # the batch's postings are not written yet: an article's postings are all in the store or all
            # in the batch, so the best MAX_CANDIDATES of both lists are the best of the union
            mine = self._batch.postings(set(keys), f.day, self.window_days)
            best = sorted([(aid, r[0]) for aid, r in rows.items()] + mine,
                          key=lambda r: (-r[1], r[0]))[:MAX_CANDIDATES]
            rows = {aid: rows[aid] if aid in rows else (n, *self._batch.vectors[aid]) for aid, n in best}
        out = []
        for aid in sorted(rows):  # article id order (SQLite's, reading the rows by their ids)
            row = rows[aid]
            other = Features.from_row((*row[2:], None, None))
            out.append((other.article_id, row[1], self.similarity(f, other), other))
        return out

    def _sentence_sets(self, store: Store, members: list[Features]) -> None:
        """Read the announces/reports columns of candidates read without them."""
        need = {m.article_id: m for m in members if m.announces is None}
        if self._batch is not None:  # the batch's own rows are not written yet
            for aid in [a for a in need if a in self._batch.vrows]:
                row = self._batch.vrows[aid]
                m = need.pop(aid)
                m.announces, m.reports = row[7], row[8]
        if not need:
            return
        ids = sorted(need)
        for aid, announces, reports in store.query(
                f"SELECT article_id, announces, reports FROM story_vectors WHERE article_id IN "
                f"({','.join('?' * len(ids))})", ids):
            need[aid].announces, need[aid].reports = announces, reports

    @staticmethod
    def similarity(a: Features, b: Features) -> float:
        sim = _cosine(a.vector, b.vector)
        if a.get("entities") and b.entities != "[]":
            sim += ENTITY_WEIGHT * _jaccard(a.get("entities"), b.get("entities"))
        ea = {e[3] for e in a.get("events") if e[3]}
        if ea and b.events != "[]" and ea & {e[3] for e in b.get("events") if e[3]}:
            sim += EVENT_WEIGHT
        return sim

    def _join(self, store: Store, story: str, f: Features, score: float,
              members: list[tuple[str, float, Features]]) -> None:
        if self._batch is not None:  # story_articles written at the batch's end
            self._batch.join(story, f.article_id, f.published, round(score, 4), members)
        else:
            store.execute("INSERT INTO story_articles(story_id, article_id, published, score, centrality) "
                          "VALUES (?,?,?,?,?)", (story, f.article_id, f.published, round(score, 4),
                                                 sum(s for _, s, _ in members)))
            if members:
                store.executemany("UPDATE story_articles SET centrality = centrality + ? WHERE article_id=?",
                                  [(sim, oid) for oid, sim, _ in members])
        self._thread(store, story, f, members)
        if self._batch is not None:  # the stories table is only written while linking: at the batch's end
            self._batch.story_ops(story).append(("join", f.published))
        else:
            store.execute("UPDATE stories SET size = size + 1, "
                          "first_published = CASE WHEN first_published IS NULL OR (CAST(? AS TEXT) IS NOT NULL AND ? < first_published) "
                          "THEN ? ELSE first_published END, "
                          "last_published = CASE WHEN last_published IS NULL OR (CAST(? AS TEXT) IS NOT NULL AND ? > last_published) "
                          "THEN ? ELSE last_published END WHERE id=?",
                          (f.published,) * 6 + (story,))
        if members:
            if self._batch is not None:
                central = self._batch.central(store, story)
            else:
                central = store.query("SELECT v.title FROM story_articles a JOIN story_vectors v ON "
                                      "v.article_id = a.article_id WHERE a.story_id=? ORDER BY a.centrality DESC, "
                                      f"a.published ASC NULLS FIRST, v.{store.ROW_ORDER} LIMIT 1", (story,))
            if central:
                if self._batch is not None:
                    self._batch.story_ops(story).append(("title", central[0][0]))
                else:
                    store.execute("UPDATE stories SET title=? WHERE id=?", (central[0][0], story))

    # -- threading -------------------------------------------------------------------
    def _thread(self, store: Store, story: str, f: Features, members: list[tuple[str, float, Features]]) -> None:
        """Links between ``f`` and the members it matched, plus announcement ->
        report links with any member of the story."""
        links: dict[tuple[str, str], str] = {}
        linked = sorted(members, key=lambda m: -m[1])[:MAX_LINKS]
        self._sentence_sets(store, [other for _, _, other in linked])
        for oid, _, other in linked:
            a, b = (other, f) if _before(other, f) else (f, other)
            links[(a.article_id, b.article_id)] = self.kind(a, b)
        # only members that can announce to f (earlier, with cues or events), or be
        # announced to by f (later, when f itself announces)
        cols = "SELECT article_id, day, title, vector, entities, events, announces, reports FROM story_vectors"
        # the latest first, undated last, the same order on every backend (a story may hold more than 50)
        newest = f"day DESC NULLS LAST, {store.ROW_ORDER} DESC"
        if f.day is None:
            rows = store.query(f"{cols} WHERE story_id=? ORDER BY {newest} LIMIT 50", (story,))
        else:
            later = " OR day > ?" if (f.announces or f.events) else ""
            rows = store.query(f"{cols} WHERE story_id=? AND (day IS NULL OR "
                               f"(day < ? AND (announces != '[]' OR events != '[]')){later}) "
                               f"ORDER BY {newest} LIMIT 50", (story, f.day, *([f.day] if later else [])))
        if self._batch is not None:  # the batch's own rows, not written yet, are the newest
            rows = self._batch.newest(rows, story, f.day, bool(f.announces or f.events))
        for row in rows:
            if (row[0], f.article_id) in links or (f.article_id, row[0]) in links:
                continue
            other = Features.from_row(row)
            a, b = (other, f) if _before(other, f) else (f, other)
            if _announced_then_reported(a, b):
                links[(a.article_id, b.article_id)] = "announcement_report"
        if self._batch is not None:  # only written while linking: at the batch's end
            for (a, b), k in links.items():
                self._batch.links.setdefault((a, b), [story, k])[1] = k
            return
        store.executemany("INSERT INTO story_links(story_id, from_id, to_id, kind) VALUES (?,?,?,?) "
                          "ON CONFLICT(from_id, to_id) DO UPDATE SET kind=excluded.kind",
                          [(story, a, b, k) for (a, b), k in links.items()])

    @staticmethod
    def kind(a: Features, b: Features) -> str:
        """Kind of the link from the earlier article ``a`` to the later ``b``."""
        if _announced_then_reported(a, b):
            return "announcement_report"
        if a.day is not None and b.day is not None and b.day - a.day <= 1:
            return "same_event"
        return "follow_up"

    def _index(self, store: Store, story: str, f: Features) -> None:
        row = (f.article_id, story, f.day, f.title, json.dumps(f.vector, ensure_ascii=False),
               json.dumps(f.entities, ensure_ascii=False), json.dumps(f.events, ensure_ascii=False),
               json.dumps(f.announces, ensure_ascii=False), json.dumps(f.reports, ensure_ascii=False))
        keys = list(f.vector)[:INDEX_TERMS] + ["e:" + e for e in f.entities]
        if self._batch is not None:
            self._batch.index(f, keys)
            self._batch.vectors[f.article_id] = (story, *row[:1], *row[2:7])
            self._batch.vrows[f.article_id] = row
            return
        store.execute("INSERT INTO story_vectors VALUES (?,?,?,?,?,?,?,?,?)", row)
        store.executemany("INSERT INTO story_index(term, day, article_id) VALUES (?,?,?)",
                          [(k, f.day, f.article_id) for k in keys])
        store.executemany("INSERT INTO story_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = story_df.df + 1",
                          [(t,) for t in f.vector])
        store.execute("INSERT INTO story_meta(key, value) VALUES ('articles', 1) "
                      "ON CONFLICT(key) DO UPDATE SET value = story_meta.value + 1")

    # -- reading ---------------------------------------------------------------------
    def article_fields(self, store: Store, article_id: str) -> dict[str, Any]:
        rows = store.query("SELECT story_id FROM story_articles WHERE article_id=?", (article_id,))
        return {"story_id": rows[0][0] if rows else None}

    def export(self, store: Store, what: str) -> Iterator[dict[str, Any]]:
        for (sid,) in store.query("SELECT id FROM stories ORDER BY first_published, id"):
            yield get_story(store, sid, reuse=False)

    def stats(self, store: Store) -> dict[str, Any]:
        return {"stories": store.query("SELECT COUNT(*) FROM stories")[0][0]}


def _row_key(v: Any) -> tuple[int, ...]:
    """A row's place in its table (``Store.ROW_ORDER``: SQLite's rowid, PostgreSQL's ctid "(page,item)")."""
    if isinstance(v, int):
        return (0, v)
    return (0, *map(int, str(v).strip("()").split(",")))


def _read_df(store: Store, terms: list[str]) -> dict[str, int]:
    df: dict[str, int] = {}
    for i in range(0, len(terms), store.IN_CHUNK):
        cond, params = store.any_of("term", terms[i:i + store.IN_CHUNK])
        df.update(store.query(f"SELECT term, df FROM story_df WHERE {cond}", params))
    return df


class _Batch:
    """What ``StoriesLinker.link`` keeps for one batch: which of its
    articles are placed, the document frequencies of its terms and the
    article count (read once, then counted on in memory), and the postings,
    frequencies and count it adds, written by ``write``."""

    def __init__(self, store: Store, batch: list[Analysis]):
        ids = sorted({a.article.id for a in batch})
        self.placed: dict[str, str] = {}
        for i in range(0, len(ids), store.IN_CHUNK):
            cond, params = store.any_of("article_id", ids[i:i + store.IN_CHUNK])
            self.placed.update((aid, sid) for sid, aid in store.query(
                f"SELECT story_id, article_id FROM story_articles WHERE {cond}", params))
        terms = sorted({term for a in batch if a.article.id not in self.placed
                        for _, term in _content_tokens(a.tokens or tuple(tokenize(a.article.text)))})
        self.n_docs = _meta(store, "articles")
        self.df = _read_df(store, terms)
        self.added = 0
        self.df_added: Counter[str] = Counter()
        self.rows: list[tuple[str, int | None, str]] = []  # story_index rows not yet written
        self.by_term: dict[str, list[int]] = {}  # term -> indexes of the batch's articles posting it
        self.posted: list[tuple[str, int | None]] = []  # (article id, day) of the batch's indexed articles
        self.stories: dict[str, list[tuple[Any, ...]]] = {}  # story -> what linking did to its row, in order
        # article id -> (story, article id, day, title, vector, entities, events) as the candidate query reads them
        self.vectors: dict[str, tuple[Any, ...]] = {}
        self.vrows: dict[str, tuple[Any, ...]] = {}  # article id -> its story_vectors row, in insertion order
        self.sa: dict[str, list[Any]] = {}  # article id -> its story_articles row (centrality last)
        self.deltas: list[tuple[float, str]] = []  # centrality added to stored members, in order
        self.changed: dict[str, dict[str, list[float]]] = {}  # story -> stored member -> what was added
        self.links: dict[tuple[str, str], list[str]] = {}  # (from, to) -> [story, kind]

    def join(self, story: str, aid: str, published: str | None, score: float,
             members: list[tuple[str, float, Any]]) -> None:
        """``_join``'s writes to story_articles, kept until ``write``."""
        self.sa[aid] = [story, aid, published, score, sum(s for _, s, _ in members)]
        for oid, sim, _ in members:
            if oid in self.sa:
                self.sa[oid][4] += sim
            else:
                self.deltas.append((sim, oid))
                self.changed.setdefault(story, {}).setdefault(oid, []).append(sim)

    def central(self, store: Store, story: str) -> list[tuple[str]]:
        """The title of the story's most central indexed member, as the
        query on the written tables would find it (centrality, then earliest
        publication, undated first, then the first stored): the stored
        members whose centrality the batch changed and the best of the
        others, read in one query, and the batch's members."""
        changed = self.changed.get(story, {})
        ids = sorted(changed)
        first = (f"CASE WHEN {store.any_of('a.article_id', ids)[0]} THEN 0 ELSE 1 END, " if ids else "")
        params: list[Any] = [story, *(store.any_of("a.article_id", ids)[1] if ids else []), len(ids) + 1]
        best = None
        for aid, c, published, title, r in store.query(
                f"SELECT a.article_id, a.centrality, a.published, v.title, v.{store.ROW_ORDER} FROM story_articles a "
                f"JOIN story_vectors v ON v.article_id = a.article_id WHERE a.story_id=? ORDER BY {first}"
                f"a.centrality DESC, a.published ASC NULLS FIRST, v.{store.ROW_ORDER} LIMIT ?", params):
            for d in changed.get(aid, ()):
                c = c + d
            key = (-c, published is not None, published or "", _row_key(r))
            if best is None or key < best[0]:
                best = (key, title)
        for seq, (aid, row) in enumerate(self.vrows.items()):
            sa = self.sa[aid]
            if sa[0] != story:
                continue
            key = (-sa[4], sa[2] is not None, sa[2] or "", (1, seq))
            if best is None or key < best[0]:
                best = (key, row[3])
        return [(best[1],)] if best else []

    def newest(self, rows: list[tuple[Any, ...]], story: str, day: int | None, later: bool) -> list[tuple[Any, ...]]:
        """The thread query's 50 rows with the batch's own rows of the story
        (written after every stored one) merged in: latest day first, undated
        last, on one day the last stored first."""
        keyed = [((r[1] is None, -(r[1] or 0), 1, i), r) for i, r in enumerate(rows)]
        for seq, (aid, v) in enumerate(self.vrows.items()):
            if v[1] != story:
                continue
            d = v[2]
            if day is not None and not (d is None or (d < day and (v[7] != "[]" or v[6] != "[]"))
                                        or (later and d > day)):
                continue
            keyed.append(((d is None, -(d or 0), 0, -seq), (v[0], d, v[3], v[4], v[5], v[6], v[7], v[8])))
        keyed.sort(key=lambda kv: kv[0])
        return [r for _, r in keyed[:50]]

    def _write_stories(self, store: Store) -> None:
        """The stories rows after the batch: the stored row (or the one the
        batch created) with each join and title change applied in order, as
        the statements of ``link_one`` would have left it."""
        if not self.stories:
            return
        rows: dict[str, list[Any]] = {}
        old = sorted(s for s, ops in self.stories.items() if ops[0][0] != "create")
        for i in range(0, len(old), store.IN_CHUNK):
            cond, params = store.any_of("id", old[i:i + store.IN_CHUNK])
            for sid, title, first, last, size in store.query(
                    f"SELECT id, title, first_published, last_published, size FROM stories WHERE {cond}", params):
                rows[sid] = [title, first, last, size]
        new, changed = [], []
        for sid, ops in self.stories.items():
            row = rows.get(sid)
            for op in ops:
                if op[0] == "create":
                    row = [op[1], op[2], op[2], 0]
                elif row is None:  # no such story stored: the UPDATEs would have changed nothing
                    continue
                elif op[0] == "join":
                    p = op[1]
                    row[3] += 1
                    if row[1] is None or (p is not None and p < row[1]):
                        row[1] = p
                    if row[2] is None or (p is not None and p > row[2]):
                        row[2] = p
                else:
                    row[0] = op[1]
            if row is None:
                continue
            (new if ops[0][0] == "create" else changed).append((sid, *row))
        if new:
            store.executemany("INSERT INTO stories(id, title, first_published, last_published, size) "
                              "VALUES (?,?,?,?,?)", new)
        if changed:
            store.executemany("UPDATE stories SET title=?, first_published=?, last_published=?, size=? WHERE id=?",
                              [(*r[1:], r[0]) for r in changed])

    def index(self, f: Features, keys: list[str]) -> None:
        k = len(self.posted)
        self.posted.append((f.article_id, f.day))
        for t in keys:
            self.rows.append((t, f.day, f.article_id))
            self.by_term.setdefault(t, []).append(k)
        for t in f.vector:
            self.df[t] = self.df.get(t, 0) + 1
            self.df_added[t] += 1
        self.n_docs += 1
        self.added += 1

    def postings(self, keys: set[str], day: int | None, window: int) -> list[tuple[str, int]]:
        """(article id, postings matched) of the batch's articles, as the
        candidate query counts them in the store."""
        hits: Counter[int] = Counter()
        for t in keys:
            for k in self.by_term.get(t, ()):
                hits[k] += 1
        out = []
        for k, n in hits.items():
            aid, d = self.posted[k]
            if day is None or d is None or day - window <= d <= day + window:
                out.append((aid, n))
        return out

    def story_ops(self, story: str) -> list[tuple[Any, ...]]:
        return self.stories.setdefault(story, [])

    def write(self, store: Store) -> None:
        if self.sa:
            store.executemany("INSERT INTO story_articles(story_id, article_id, published, score, centrality) "
                              "VALUES (?,?,?,?,?)", list(self.sa.values()))
        if self.deltas:  # the same additions, in the same order, as one at a time
            store.executemany("UPDATE story_articles SET centrality = centrality + ? WHERE article_id=?", self.deltas)
        if self.vrows:
            store.executemany("INSERT INTO story_vectors VALUES (?,?,?,?,?,?,?,?,?)", list(self.vrows.values()))
        self._write_stories(store)
        if self.links:  # a pair met again keeps its first story and takes the last kind (ON CONFLICT ... kind)
            store.executemany("INSERT INTO story_links(story_id, from_id, to_id, kind) VALUES (?,?,?,?) "
                              "ON CONFLICT(from_id, to_id) DO UPDATE SET kind=excluded.kind",
                              [(sid, a, b, k) for (a, b), (sid, k) in self.links.items()])
        if self.rows:
            store.executemany("INSERT INTO story_index(term, day, article_id) VALUES (?,?,?)", self.rows)
        if self.df_added:
            store.executemany("INSERT INTO story_df(term, df) VALUES (?, ?) "
                              "ON CONFLICT(term) DO UPDATE SET df = story_df.df + excluded.df",
                              sorted(self.df_added.items()))
        if self.added:
            store.execute("INSERT INTO story_meta(key, value) VALUES ('articles', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = story_meta.value + excluded.value", (self.added,))


def _before(a: Features, b: Features) -> bool:
    """Whether ``a`` was published before ``b`` (unknown dates: ingestion order)."""
    if a.day is None or b.day is None or a.day == b.day:
        return True
    return a.day < b.day


def _announced_then_reported(a: Features, b: Features) -> bool:
    """An event announced in ``a`` and reported as happened in the later ``b``."""
    if a.day is None or b.day is None or b.day <= a.day:
        return False
    for ta, ma, xa, ida in a.get("events"):
        if ma != "announced":
            continue
        for tb, mb, xb, idb in b.get("events"):
            if mb != "happened":
                continue
            if (ida and ida == idb) or (tb == ta and (not xa or not xb or set(xa) & set(xb))):
                return True
    # the events may be missing or typed apart (a visit announced as a meeting):
    # fall back on the sentences, an announcing one told again without its cue
    announces = a.get("announces")
    reports = b.get("reports") if announces else []
    for ann in announces:
        need = max(ANNOUNCE_MIN_SHARED, math.ceil(ANNOUNCE_MIN_SHARE * len(ann)))
        sa = set(ann)
        if any(len(sa.intersection(rep)) >= need for rep in reports):
            return True
    return False


def _meta(store: Store, key: str) -> int:
    rows = store.query("SELECT value FROM story_meta WHERE key=?", (key,))
    return int(rows[0][0]) if rows else 0


# -- query helpers for the CLI and the API ---------------------------------------------

def list_stories(store: Store, limit: int = 20, offset: int = 0, *, min_size: int = 1) -> list[dict[str, Any]]:
    """Stories, most recent first."""
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be >= 0")
    rows = store.query("SELECT id, title, first_published, last_published, size FROM stories WHERE size >= ? "
                       "ORDER BY last_published DESC, size DESC, id LIMIT ? OFFSET ?", (min_size, limit, offset))
    return [{"id": r[0], "title": r[1], "first_published": r[2], "last_published": r[3], "size": r[4]} for r in rows]


def get_story(store: Store, story_id: str, *, reuse: bool = True) -> dict[str, Any] | None:
    """A story's timeline: its articles by date with titles, the links
    between them and (``reuse``) the passages they share."""
    rows = store.query("SELECT id, title, first_published, last_published, size FROM stories WHERE id=?", (story_id,))
    if not rows:
        return None
    sid, title, first, last, size = rows[0]
    arts = store.query("SELECT a.article_id, a.published, v.title, a.score, a.centrality FROM story_articles a "
                       "JOIN story_vectors v ON v.article_id = a.article_id WHERE a.story_id=? "
                       "ORDER BY a.published, a.article_id", (sid,))
    links = store.query("SELECT from_id, to_id, kind FROM story_links WHERE story_id=? ORDER BY from_id, to_id", (sid,))
    entities: Counter[str] = Counter()
    for (ents,) in store.query("SELECT entities FROM story_vectors WHERE story_id=?", (sid,)):
        entities.update(json.loads(ents))
    out: dict[str, Any] = {
        "id": sid, "title": title, "first_published": first, "last_published": last, "size": size,
        "articles": [{"id": a, "published": p, "title": t, "score": s, "centrality": round(c, 4)}
                     for a, p, t, s, c in arts],
        "links": [{"from": a, "to": b, "kind": k} for a, b, k in links],
        # entity ids (filled by the entity linker) with the number of articles naming them
        "entities": [{"entity_id": e, "articles": n} for e, n in entities.most_common(30)],
    }
    if reuse:
        out["reuse"] = _story_reuse(store, [a[0] for a in arts])
    return out


def _story_reuse(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    if len(ids) < 2:
        return []
    members = set(ids)
    out = []
    for i in range(0, len(ids), 400):
        chunk = ids[i:i + 400]
        marks = ",".join("?" * len(chunk))
        try:
            rows = store.query(f"SELECT a_id, a_start, a_end, b_id, b_start, b_end, similarity, kind "
                               f"FROM reuse_passages WHERE a_id IN ({marks})", chunk)
        except Exception:  # the reuse linker is not installed: no passages to show
            return []
        for r in rows:
            if r[3] in members:
                out.append(dict(zip(("a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "similarity", "kind"), r)))
    return out


LINKER = StoriesLinker
