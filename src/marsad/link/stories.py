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

    # -- features ------------------------------------------------------------------
    def features(self, store: Store, analysis: Analysis) -> Features:
        art = analysis.article
        tokens = analysis.tokens or tuple(tokenize(art.text))
        content = _content_tokens(tokens)
        tf = Counter(term for _, term in content)
        n_docs = _meta(store, "articles")
        df: dict[str, int] = {}
        keys = list(tf)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            df.update(store.query(f"SELECT term, df FROM story_df WHERE term IN ({','.join('?' * len(chunk))})",
                                  chunk))
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
        for analysis in batch:
            self.link_one(store, analysis)
        return batch

    def link_one(self, store: Store, analysis: Analysis) -> str:
        """Put one article in a story; returns the story id.  An article
        already placed keeps its story (re-ingestion adds nothing)."""
        aid = analysis.article.id
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
            store.execute("INSERT INTO stories(id, title, first_published, last_published, size) "
                          "VALUES (?,?,?,?,0)", (story, f.title, f.published, f.published))
            self._join(store, story, f, 0.0, [])
        self._index(store, story, f)
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
        sql = f"SELECT article_id, COUNT(*) FROM ({postings}) p GROUP BY article_id ORDER BY COUNT(*) DESC, article_id LIMIT ?"
        params.append(MAX_CANDIDATES)
        ids = [r[0] for r in store.query(sql, params)]
        if not ids:
            return []
        out = []
        # the sentence term sets (the bulk of a row) are read later, for the
        # few candidates that become linked members (``_sentence_sets``)
        for row in store.query("SELECT story_id, article_id, day, title, vector, entities, events "
                               f"FROM story_vectors WHERE article_id IN ({','.join('?' * len(ids))})", ids):
            other = Features.from_row((*row[1:], None, None))
            out.append((other.article_id, row[0], self.similarity(f, other), other))
        return out

    @staticmethod
    def _sentence_sets(store: Store, members: list[Features]) -> None:
        """Read the announces/reports columns of candidates read without them."""
        need = {m.article_id: m for m in members if m.announces is None}
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
        store.execute("INSERT INTO story_articles(story_id, article_id, published, score, centrality) "
                      "VALUES (?,?,?,?,?)", (story, f.article_id, f.published, round(score, 4),
                                             sum(s for _, s, _ in members)))
        if members:
            store.executemany("UPDATE story_articles SET centrality = centrality + ? WHERE article_id=?",
                              [(sim, oid) for oid, sim, _ in members])
        self._thread(store, story, f, members)
        store.execute("UPDATE stories SET size = size + 1, "
                      "first_published = CASE WHEN first_published IS NULL OR (CAST(? AS TEXT) IS NOT NULL AND ? < first_published) "
                      "THEN ? ELSE first_published END, "
                      "last_published = CASE WHEN last_published IS NULL OR (CAST(? AS TEXT) IS NOT NULL AND ? > last_published) "
                      "THEN ? ELSE last_published END WHERE id=?",
                      (f.published,) * 6 + (story,))
        if members:
            central = store.query("SELECT v.title FROM story_articles a JOIN story_vectors v ON v.article_id = a.article_id "
                                  "WHERE a.story_id=? ORDER BY a.centrality DESC, a.published LIMIT 1", (story,))
            if central:
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
        if f.day is None:
            rows = store.query(f"{cols} WHERE story_id=? ORDER BY day DESC LIMIT 50", (story,))
        else:
            later = " OR day > ?" if (f.announces or f.events) else ""
            rows = store.query(f"{cols} WHERE story_id=? AND (day IS NULL OR "
                               f"(day < ? AND (announces != '[]' OR events != '[]')){later}) "
                               "ORDER BY day DESC LIMIT 50", (story, f.day, *([f.day] if later else [])))
        for row in rows:
            if (row[0], f.article_id) in links or (f.article_id, row[0]) in links:
                continue
            other = Features.from_row(row)
            a, b = (other, f) if _before(other, f) else (f, other)
            if _announced_then_reported(a, b):
                links[(a.article_id, b.article_id)] = "announcement_report"
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
        store.execute("INSERT INTO story_vectors VALUES (?,?,?,?,?,?,?,?,?)",
                      (f.article_id, story, f.day, f.title, json.dumps(f.vector, ensure_ascii=False),
                       json.dumps(f.entities, ensure_ascii=False), json.dumps(f.events, ensure_ascii=False),
                       json.dumps(f.announces, ensure_ascii=False), json.dumps(f.reports, ensure_ascii=False)))
        keys = list(f.vector)[:INDEX_TERMS] + ["e:" + e for e in f.entities]
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
