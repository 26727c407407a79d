"""Text reuse: which passages one article shares with another, with their
character offsets in both.

Staged like passim (postings -> candidates -> alignment -> passages), but
incremental: each new article is compared only with the articles its LSH
buckets point to.

1. *Words and shingles.*  The SEARCH-normalised words of the text (with
   their original offsets); words inside a boilerplate phrase
   (``lang/ar/data/boilerplate.txt``: datelines, "يشار الى ان", footers) are
   masked, and so are the 5-word shingles seen in very many articles (an
   incremental document-frequency table, ``reuse_df``): they never seed a
   passage.
2. *Candidates.*  The shingles are cut into overlapping windows; each window
   gets a datasketch MinHash signature, cut into LSH bands.  The band hashes
   are kept in ``reuse_bands`` (indexed), so a new article's candidates are
   one indexed lookup, across process restarts.  Windows rather than whole
   articles, because reuse is mostly partial: one copied paragraph in two
   long articles has a tiny document-level Jaccard, but its windows match.
3. *Alignment.*  Shared shingles are seeds; seeds on nearby diagonals are
   chained into passages (seed-and-extend with gaps), and each passage is
   scored with ``difflib.SequenceMatcher`` over its words (compared by
   their 64-bit hashes).  What alignment needs of an indexed article (word
   hashes, offsets, usable bits: ~3.5 KB an ANT article) is kept in
   ``reuse_words``, so a candidate is read back, never re-tokenised.
4. *Passages.*  At least ``MIN_WORDS`` words on both sides (and
   ``PAIR_MIN_WORDS`` in all for the pair), stored in
   ``reuse_passages``; when the passages cover more than 80% of both
   articles, their kind is ``near_duplicate`` instead of ``passage``.
"""
from __future__ import annotations

import difflib
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Callable, Iterator, Sequence

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _fmix

from marsad.lang.ar import load_list
from marsad.model import Analysis, Token
from marsad.store.base import Schema, Store
from marsad.text.normalize import SEARCH
from marsad.text.tokenize import TOKEN_RE

SHINGLE = 5  # words per shingle
WINDOW = 20  # shingles per LSH window
STRIDE = 10  # window step (a copy of WINDOW + STRIDE + SHINGLE words holds a whole window)
NUM_PERM = 16
BANDS = 8  # BANDS * ROWS == NUM_PERM; P(candidate) = 1 - (1 - J^2)^8 per window pair
ROWS = NUM_PERM // BANDS
MAX_CANDIDATES = 50
MIN_WORDS = 7  # shortest passage kept
PAIR_MIN_WORDS = 10  # a pair needs this many words of passages: one title-and-name chain
#                      ("قال وزير الخارجية الإيراني محمد جواد ظريف") is a formula, not reuse
MIN_SEEDS = 3  # shared shingles in a passage (3 consecutive 5-grams = 7 words)
GAP = 8  # words a passage may skip on either side and still be one passage
MIN_SIMILARITY = 0.5
NEAR_DUPLICATE = 0.8
DF_MIN_ARTICLES = 200  # below this store size no shingle counts as common
DF_MAX_SHARE = 0.02  # a shingle in more than 2% of articles (and > DF_FLOOR) is formulaic
DF_FLOOR = 50
DF_SAMPLE = 1  # keep the document frequency of one shingle in DF_SAMPLE (by hash); 1 = all: sampling lets formulas through
SEED = 20201119

_MASK64 = (1 << 64) - 1
_WORD_KINDS = ("word", "latin", "number")

_TABLES = (
    # one row per indexed article: its integer key and its band hashes
    # (int64 little-endian), read back to delete them when it is re-ingested
    "CREATE TABLE IF NOT EXISTS reuse_ids (n INTEGER PRIMARY KEY, article_id TEXT NOT NULL UNIQUE, bands BLOB)",
    # the LSH buckets: clustered on the hash, integer article keys
    "CREATE TABLE IF NOT EXISTS reuse_bands (hash INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (hash, n)) "
    "WITHOUT ROWID",
)


def _to_v2(store: Store, ddl: Callable[[str], str]) -> None:
    """reuse 1 -> 2: ``reuse_bands(band, hash, article_id TEXT)`` with two
    indexes becomes ``reuse_ids`` + ``reuse_bands(hash, n)`` (a third of the size)."""
    store.execute("ALTER TABLE reuse_bands RENAME TO reuse_bands_v1")
    for stmt in _TABLES:
        store.execute(ddl(stmt))
    store.execute("INSERT INTO reuse_ids(n, article_id) SELECT ROW_NUMBER() OVER (ORDER BY article_id), article_id "
                  "FROM (SELECT DISTINCT article_id FROM reuse_bands_v1) t")
    store.execute("INSERT INTO reuse_bands(hash, n) SELECT DISTINCT b.hash, i.n FROM reuse_bands_v1 b "
                  "JOIN reuse_ids i ON i.article_id = b.article_id")
    ids = store.query("SELECT n, article_id FROM reuse_ids ORDER BY n")
    for chunk in _chunks(ids, 500):
        by_id: dict[str, list[int]] = {aid: [] for _, aid in chunk}
        for aid, h in store.query(f"SELECT article_id, hash FROM reuse_bands_v1 WHERE article_id IN "
                                  f"({','.join('?' * len(chunk))})", [aid for _, aid in chunk]):
            by_id[aid].append(h)
        store.executemany("UPDATE reuse_ids SET bands=? WHERE n=?",
                          [(_band_blob(sorted(set(by_id[aid]))), n) for n, aid in chunk])
    store.execute("DROP TABLE reuse_bands_v1")


SCHEMA = Schema("reuse", 3, (
    *_TABLES,
    # what aligning an indexed article needs (``_pack``), so a candidate is
    # never re-tokenised: ~14 bytes a word
    "CREATE TABLE IF NOT EXISTS reuse_words (n INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS reuse_passages (
        a_id TEXT NOT NULL, a_start INTEGER NOT NULL, a_end INTEGER NOT NULL,
        b_id TEXT NOT NULL, b_start INTEGER NOT NULL, b_end INTEGER NOT NULL,
        similarity REAL NOT NULL, kind TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS reuse_passages_a ON reuse_passages(a_id)",
    "CREATE INDEX IF NOT EXISTS reuse_passages_b ON reuse_passages(b_id)",
    "CREATE TABLE IF NOT EXISTS reuse_df (hash INTEGER PRIMARY KEY, df INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS reuse_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
), migrations={2: (_to_v2,)})


def _band_blob(hashes: Sequence[int]) -> bytes:
    return np.asarray(hashes, dtype="<i8").tobytes()


def _band_list(blob: Any) -> list[int]:
    return np.frombuffer(bytes(blob), dtype="<i8").tolist() if blob else []


# -- stage 1: words and shingles ------------------------------------------------

@dataclass
class Words:
    """The searchable words of one text: normalised forms, their original
    offsets, 64-bit shingle hashes and which shingles may seed a passage."""

    norms: list[str]
    starts: list[int]
    ends: list[int]
    shingles: np.ndarray  # uint64, len(norms) - SHINGLE + 1 (or 0)
    usable: np.ndarray  # bool, same length: not boilerplate, not formulaic
    keys: np.ndarray | None = None  # uint64 hash of each word (what alignment compares)
    # Read back from the store (``_unpack``), ``norms`` is empty: ``keys`` stand for them.


def _pack(w: Words, usable: np.ndarray) -> bytes | None:
    """``w`` as stored in ``reuse_words``: word count, word hashes, start
    offsets, word lengths and the shingles' ``usable`` bits (None if a word is
    too long to pack)."""
    assert w.keys is not None
    starts = np.asarray(w.starts, dtype=np.int64)
    lens = np.asarray(w.ends, dtype=np.int64) - starts
    if len(lens) and (lens.max() > 0xFFFF or starts.max() > 0xFFFFFFFF):
        return None
    return b"".join((np.uint32(len(starts)).tobytes(), w.keys.astype("<u8").tobytes(),
                     starts.astype("<u4").tobytes(), lens.astype("<u2").tobytes(),
                     np.packbits(usable).tobytes()))


def _unpack(data: bytes) -> Words:
    """The ``Words`` ``_pack`` stored (``norms`` empty)."""
    data = bytes(data)
    n = int(np.frombuffer(data, dtype="<u4", count=1)[0])
    keys = np.frombuffer(data, dtype="<u8", count=n, offset=4).astype(np.uint64)
    starts = np.frombuffer(data, dtype="<u4", count=n, offset=4 + 8 * n).astype(np.int64)
    ends = starts + np.frombuffer(data, dtype="<u2", count=n, offset=4 + 12 * n)
    count = max(n - SHINGLE + 1, 0)
    usable = np.unpackbits(np.frombuffer(data, dtype=np.uint8, offset=4 + 14 * n), count=count).astype(bool)
    return Words([], starts.tolist(), ends.tolist(), _shingle_hashes(keys), usable, keys)


def _shingle_hashes(wh: np.ndarray) -> np.ndarray:
    """64-bit hashes of the SHINGLE-word shingles, from the word hashes."""
    count = len(wh) - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    sh = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            sh ^= wh[k:k + count] * _MIX[k]
            sh = (sh << np.uint64(7)) | (sh >> np.uint64(57))
    return sh


@lru_cache(maxsize=500_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD][:SHINGLE], dtype=np.uint64)


@cache
def _boilerplate() -> dict[str, list[tuple[str, ...]]]:
    """Boilerplate phrases as normalised word tuples, keyed by first word."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in load_list("boilerplate"):
        ws = tuple(m.group() for m in TOKEN_RE.finditer(SEARCH.text(phrase)) if m.lastgroup in _WORD_KINDS)
        if ws:
            out.setdefault(ws[0], []).append(ws)
    for v in out.values():
        v.sort(key=len, reverse=True)
    return out


def words(text: str, tokens: Sequence[Token] | None = None) -> Words:
    """Stage 1 for one text (no store access: ``usable`` masks boilerplate
    only).  ``tokens`` (the pipeline's, whose ``norm`` is the SEARCH form) save
    tokenising again; without them the text is tokenised here, on the
    original text so offsets need no map, each word normalised alone."""
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    if tokens:
        for t in tokens:
            if t.kind in _WORD_KINDS and t.norm:
                norms.append(t.norm)
                starts.append(t.start)
                ends.append(t.end)
    else:
        norm = SEARCH.text
        for m in TOKEN_RE.finditer(text):
            if m.lastgroup not in _WORD_KINDS:
                continue
            w = norm(m.group())
            if not w:
                continue
            norms.append(w)
            starts.append(m.start())
            ends.append(m.end())
    masked = np.zeros(len(norms), dtype=bool)
    bp = _boilerplate()
    for i, w in enumerate(norms):
        for phrase in bp.get(w, ()):
            if tuple(norms[i:i + len(phrase)]) == phrase:
                masked[i:i + len(phrase)] = True
                break
    # an opening dateline "X من Y:" (any site, any city) is boilerplate too
    colon = text.find(":", 0, 60)
    if colon > 0 and "\n" not in text[:colon]:
        k = sum(1 for s in starts if s < colon)
        if k <= 5:
            masked[:k] = True
    wh = np.fromiter((_word_hash(w) for w in norms), dtype=np.uint64, count=len(norms))
    count = len(norms) - SHINGLE + 1
    if count <= 0:
        empty = np.zeros(0, dtype=np.uint64)
        return Words(norms, starts, ends, empty, np.zeros(0, dtype=bool), wh)
    bad = np.zeros(count, dtype=bool)
    for k in range(SHINGLE):
        bad |= masked[k:k + count]
    return Words(norms, starts, ends, _shingle_hashes(wh), ~bad, wh)


def _sampled(shingles: np.ndarray) -> np.ndarray:
    """The distinct shingle hashes whose document frequency is tracked."""
    u = np.unique(shingles)
    return u if DF_SAMPLE == 1 else u[u % np.uint64(DF_SAMPLE) == 0]


def formula_limit(articles: int) -> int | None:
    """A shingle is formulaic -- masked in the next article indexed -- when
    more than this many of the ``articles`` indexed before it hold it (None:
    too few articles to tell).  The document frequency is that of the
    articles before, in arrival order, as an online linker must count it;
    the Spark job (marsad.scale.spark_link) counts it the same way."""
    if articles < DF_MIN_ARTICLES:
        return None
    return max(DF_FLOOR, int(articles * DF_MAX_SHARE))


def mask_shingles(w: Words, hashes: Any) -> None:
    """Clear ``w.usable`` wherever its shingle is one of ``hashes`` (signed
    64-bit ints, as ``reuse_df`` keeps them)."""
    if len(hashes) and len(w.shingles):
        w.usable &= ~np.isin(w.shingles.view(np.int64), np.fromiter(hashes, dtype=np.int64, count=len(hashes)))


def _signed(a: np.ndarray) -> list[int]:
    """uint64 -> Python ints in SQLite's signed 64-bit INTEGER range."""
    return a.view(np.int64).tolist()


# -- stage 2: candidates -----------------------------------------------------------

@cache
def _permutations() -> Any:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine64").permutations


def signatures(seeds: np.ndarray) -> np.ndarray:
    """MinHash signatures (one row per LSH window) of a shingle-hash array.

    Each row equals datasketch's ``MinHash(num_perm=NUM_PERM, seed=SEED,
    scheme="affine64", hashfunc=identity).update_batch(window)`` (checked in
    tests/test_reuse.py), computed for all windows at once: the permuted
    hashes once per shingle, then minima over STRIDE-long blocks, two blocks
    a window."""
    a, b = _permutations()
    with np.errstate(over="ignore"):
        phv = _fmix(seeds.astype(np.uint64).reshape(-1, 1), 64) * a + b
    n = len(seeds)
    if n <= WINDOW:
        return phv.min(axis=0, keepdims=True)
    blocks = np.minimum.reduceat(phv, np.arange(0, n, STRIDE), axis=0)
    full = (n - WINDOW) // STRIDE + 1  # windows starting at k * STRIDE that fit
    sig = np.minimum(blocks[:full], blocks[1:full + 1])
    if (n - WINDOW) % STRIDE:
        sig = np.vstack([sig, phv[n - WINDOW:].min(axis=0, keepdims=True)])
    return sig


_BAND_SALT = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)


def band_hashes(w: Words) -> list[tuple[int, int]]:
    """(band, hash) pairs of the article's LSH windows, de-duplicated."""
    seeds = w.shingles[w.usable]
    if len(seeds) == 0:
        return []
    sig = signatures(seeds).reshape(-1, BANDS, ROWS)
    h = np.broadcast_to(_BAND_SALT, sig.shape[:2]).copy()
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            h = _fmix(h ^ sig[:, :, r], 64) * np.uint64(0xC2B2AE3D27D4EB4F)
    h = _fmix(h, 64).view(np.int64)
    return sorted({(b, int(x)) for row in h.tolist() for b, x in enumerate(row)})


# -- stage 3: alignment ------------------------------------------------------------

@dataclass(frozen=True)
class Passage:
    """A reused passage: word ranges and character offsets in both texts."""

    start: int  # characters, first text
    end: int
    other_start: int  # characters, second text
    other_end: int
    similarity: float
    words: int


def align(x: Words, y: Words) -> list[Passage]:
    """Passages shared by ``x`` and ``y``: seeds are usable shingles present in
    both; seeds whose positions advance together (gaps up to ``GAP`` words)
    are chained into one passage."""
    if len(x.shingles) == 0 or len(y.shingles) == 0:
        return []
    # only the usable shingles of each side that the other has can seed
    xl, xfirst, xmore = _usable(x)
    _, yfirst, ymore = _usable(y)
    common = xfirst.keys() & yfirst.keys()
    if not common:
        return []
    ix = sorted(i for h in common for i in xmore.get(h, (xfirst[h],)))
    if len(ix) < MIN_SEEDS:  # each seed of a chain has its own position in x
        return []
    chains: list[list[int]] = []  # [start_i, start_j, last_i, last_j, seeds]
    open_: list[list[int]] = []
    for i in ix:
        h = xl[i]
        for j in (ymore[h][:4] if h in ymore else (yfirst[h],)):
            for c in open_:
                if 0 < i - c[2] <= GAP and 0 < j - c[3] <= GAP:
                    c[2], c[3] = i, j
                    c[4] += 1
                    break
            else:
                c = [i, j, i, j, 1]
                chains.append(c)
                open_.append(c)
        open_ = [c for c in open_ if i - c[2] <= GAP]
    out: list[Passage] = []
    for si, sj, li, lj, n in chains:
        ei, ej = li + SHINGLE, lj + SHINGLE  # word ranges [si, ei) and [sj, ej)
        if n < MIN_SEEDS or ei - si < MIN_WORDS or ej - sj < MIN_WORDS:
            continue
        if x.keys is not None and y.keys is not None:  # word hashes: equal exactly when the words are
            a, b = x.keys[si:ei].tolist(), y.keys[sj:ej].tolist()  # (barring 64-bit collisions)
        else:
            a, b = x.norms[si:ei], y.norms[sj:ej]
        sim = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        if sim < MIN_SIMILARITY:
            continue
        out.append(Passage(x.starts[si], x.ends[ei - 1], y.starts[sj], y.ends[ej - 1], round(sim, 4),
                           min(ei - si, ej - sj)))
    return out


def _usable(w: Words) -> tuple[Sequence[int], dict[int, int], dict[int, list[int]]]:
    """The shingle hashes of ``w``; the first position of each usable one; and
    all positions (ascending) of those that occur more than once.  Kept on
    ``w`` while its ``usable`` mask is unchanged (an article is aligned with
    all its candidates, a cached one with many later articles).  Mostly
    integers only: dicts of ints are not tracked by the garbage collector."""
    key = w.usable.tobytes()
    got = w.__dict__.get("_usable_index")
    if got is not None and got[0] == key:
        return got[1], got[2], got[3]
    hs = w.shingles.tolist()
    first: dict[int, int] = {}
    more: dict[int, list[int]] = {}
    for i, (h, ok) in enumerate(zip(hs, w.usable.tolist())):
        if ok:
            if h in first:
                more.setdefault(h, [first[h]]).append(i)
            else:
                first[h] = i
    w.__dict__["_usable_index"] = (key, hs, first, more)
    return hs, first, more


def coverage(passages: Sequence[Passage], w: Words, *, other: bool = False) -> float:
    """Share of a text's words inside the passages."""
    if not w.starts:
        return 0.0
    spans = sorted((p.other_start, p.other_end) if other else (p.start, p.end) for p in passages)
    covered = 0
    import bisect

    for s, e in _merge(spans):
        covered += bisect.bisect_left(w.starts, e) - bisect.bisect_left(w.starts, s)
    return covered / len(w.starts)


def pair_passages(w: Words, o: Words) -> tuple[list[Passage], str]:
    """Stage 4 for one candidate pair (new ``w``, earlier ``o``): its passages
    (none when they add up to fewer than PAIR_MIN_WORDS) and their kind."""
    passages = align(w, o)
    if sum(p.words for p in passages) < PAIR_MIN_WORDS:
        return [], "passage"
    near = coverage(passages, w) > NEAR_DUPLICATE and coverage(passages, o, other=True) > NEAR_DUPLICATE
    return passages, "near_duplicate" if near else "passage"


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# -- stage 4: the linker -----------------------------------------------------------

class ReuseLinker:
    name = "reuse"
    schema = SCHEMA
    exports = ("reuse",)

    CACHE = 1000  # stage-1 results of recently seen articles kept in memory

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}  # articles of the batch being linked
        self._next_n: int | None = None  # next integer article key, within one batch
        self._in_batch = False
        self._cache: OrderedDict[str, Words] = OrderedDict()

    def _remember(self, article_id: str, w: Words) -> None:
        self._cache[article_id] = w
        self._cache.move_to_end(article_id)
        if len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)

    def _candidate_words(self, store: Store, keys: dict[str, int]) -> dict[str, Words]:
        """Stage 1 of indexed articles (``article id -> integer key``), with
        boilerplate masked only: from the cache, else from ``reuse_words`` (one
        query), else -- articles indexed before that table existed -- from
        their text, then stored there."""
        out: dict[str, Words] = {}
        need: dict[int, str] = {}
        for aid, n in keys.items():
            w = self._cache.get(aid)
            if w is not None:
                self._cache.move_to_end(aid)
                out[aid] = w
            else:
                need[n] = aid
        if need:
            ns = list(need)
            for chunk in _chunks(ns, store.IN_CHUNK):
                cond, params = store.any_of("n", chunk)
                for n, data in store.query(f"SELECT n, data FROM reuse_words WHERE {cond}", params):
                    w = _unpack(data)
                    out[need.pop(n)] = w
            for n, aid in need.items():
                text = self._text(store, aid)
                if text is None:
                    continue
                w = words(text)
                data = _pack(w, w.usable)
                if data is not None:
                    store.execute("INSERT INTO reuse_words(n, data) VALUES (?,?) "
                                  "ON CONFLICT(n) DO UPDATE SET data=excluded.data", (n, data))
                out[aid] = w
        for aid, w in out.items():
            if aid not in self._cache:
                self._remember(aid, w)
        return out

    def link(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        self._texts = {a.article.id: a.article.text for a in batch}
        self._in_batch, self._next_n = True, None
        try:
            ids = [a.article.id for a in batch]
            if len(set(ids)) == len(ids) and not self._indexed(store, ids):
                self._link_batch(store, batch)
            else:  # re-ingested articles: one at a time (their old buckets and passages go first)
                self._link_each(store, batch)
        finally:
            self._texts = {}
            self._in_batch, self._next_n = False, None
        return batch

    def _link_each(self, store: Store, batch: list[Analysis]) -> list[Analysis]:
        """Article by article in SQL (the reference the tests compare ``_link_batch`` with)."""
        for a in batch:
            self.link_one(store, a.article.id, a.article.text, a.tokens)
        return batch

    @staticmethod
    def _indexed(store: Store, ids: list[str]) -> bool:
        for chunk in _chunks(ids, store.IN_CHUNK):
            cond, params = store.any_of("article_id", chunk)
            if store.query(f"SELECT 1 FROM reuse_ids WHERE {cond} LIMIT 1", params):
                return True
        return False

    def _link_batch(self, store: Store, batch: list[Analysis]) -> None:
        """``link_one`` for a batch of articles never indexed, in three
        passes over the batch, each reading the store once: (1) words and
        formulaic shingles (the stored document frequencies of all the
        batch's shingles in one query, the batch's own counted on in memory),
        LSH bands; (2) candidates (the stored buckets of all the batch's
        bands in one query, plus the buckets of the batch's earlier articles
        from memory); (3) alignment (the stored words of every candidate not
        cached, one query).  Each article finds exactly what it would find
        had the earlier ones been stored; everything is written at the end,
        one statement a table."""
        if not batch:
            return
        ids = [a.article.id for a in batch]
        for chunk in _chunks(ids, store.IN_CHUNK):  # nothing to forget for new articles, as in link_one
            ca, pa = store.any_of("a_id", chunk)
            cb, pb = store.any_of("b_id", chunk)
            store.execute(f"DELETE FROM reuse_passages WHERE {ca} OR {cb}", pa + pb)
        total0 = _meta(store, "articles")
        first_n = self._new_key(store)
        # pass 1: words, formulaic shingles, bands
        ws = [words(a.article.text, a.tokens) for a in batch]
        stored_ws = [Words(w.norms, w.starts, w.ends, w.shingles, w.usable.copy(), w.keys) for w in ws]
        samples = [_signed(_sampled(w.shingles)) for w in ws]
        df_stored: dict[int, int] = {}
        need = sorted({h for k, w in enumerate(ws) if total0 + k >= DF_MIN_ARTICLES and len(w.shingles)
                       for h in samples[k]})
        if need:
            # a stored count at most limit - len(batch) cannot pass any article's limit with the batch's own
            floor = max(DF_FLOOR, int(max(total0, DF_MIN_ARTICLES) * DF_MAX_SHARE)) - len(batch)
            for chunk in _chunks(need, store.IN_CHUNK):
                cond, params = store.any_of("hash", chunk)
                df_stored.update(store.query(f"SELECT hash, df FROM reuse_df WHERE df > ? AND {cond}",
                                             [floor, *params]))
        df: dict[int, int] = {}  # document-frequency increments of the batch
        band_sets: list[list[int]] = []
        for k, w in enumerate(ws):
            total = total0 + k
            if total >= DF_MIN_ARTICLES and len(w.shingles):
                limit = max(DF_FLOOR, int(total * DF_MAX_SHARE))
                common = [h for h in samples[k] if df_stored.get(h, 0) + df.get(h, 0) > limit]
                if common:
                    w.usable &= ~np.isin(w.shingles.view(np.int64), np.asarray(common, dtype=np.int64))
            band_sets.append(sorted({h for _, h in band_hashes(w)}))
            for h in samples[k]:
                df[h] = df.get(h, 0) + 1
        # pass 2: candidates
        buckets: dict[int, list[tuple[int, str]]] = {}  # band hash -> stored (key, article id)
        every = sorted({h for hs in band_sets for h in hs})
        for chunk in _chunks(every, store.IN_CHUNK):
            cond, params = store.any_of("b.hash", chunk)
            for h, other, other_id in store.query(
                    f"SELECT b.hash, b.n, i.article_id FROM reuse_bands b JOIN reuse_ids i ON i.n = b.n WHERE {cond}",
                    params):
                buckets.setdefault(h, []).append((other, other_id))
        mine: dict[int, list[str]] = {}  # band hash -> the batch's articles, in order
        chosen: list[list[str]] = []
        cand_keys: dict[str, int] = {}
        for k, hashes in enumerate(band_sets):
            hits: dict[str, int] = {}
            for h in hashes:
                for other, other_id in buckets.get(h, ()):
                    hits[other_id] = hits.get(other_id, 0) + 1
                    cand_keys[other_id] = other
                for other_id in mine.get(h, ()):
                    hits[other_id] = hits.get(other_id, 0) + 1
            chosen.append([aid for aid, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]])
            for h in hashes:
                mine.setdefault(h, []).append(ids[k])
        # pass 3: alignment
        in_batch = set(ids)
        for aid in ids:
            self._cache.pop(aid, None)
        others = self._candidate_words(store, {aid: cand_keys[aid] for c in chosen for aid in c
                                               if aid not in in_batch})
        mem = dict(zip(ids, stored_ws))
        passages = []
        for k, (a, w) in enumerate(zip(batch, ws)):
            for other_id in chosen[k]:
                o = mem[other_id] if other_id in in_batch else others.get(other_id)
                if o is None:
                    continue
                found, kind = pair_passages(w, o)
                for p in found:
                    passages.append((other_id, p.other_start, p.other_end, ids[k], p.start, p.end, p.similarity, kind))
        band_rows = [(h, first_n + k) for k, hs in enumerate(band_sets) for h in hs]
        id_rows = [(first_n + k, aid, _band_blob(band_sets[k])) for k, aid in enumerate(ids)]
        word_rows = []
        for k, st in enumerate(stored_ws):
            data = _pack(st, st.usable)
            if data is not None:
                word_rows.append((first_n + k, data))
            self._remember(ids[k], st)
        if passages:
            store.executemany("INSERT INTO reuse_passages VALUES (?,?,?,?,?,?,?,?)", passages)
        if band_rows:
            store.executemany("INSERT INTO reuse_bands(hash, n) VALUES (?,?)", band_rows)
        store.executemany("INSERT INTO reuse_ids(n, article_id, bands) VALUES (?,?,?)", id_rows)
        store.execute("INSERT INTO reuse_meta(key, value) VALUES ('articles', ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = reuse_meta.value + excluded.value", (len(batch),))
        if df:
            store.executemany("INSERT INTO reuse_df(hash, df) VALUES (?, ?) "
                              "ON CONFLICT(hash) DO UPDATE SET df = reuse_df.df + excluded.df", sorted(df.items()))
        if word_rows:
            store.executemany("INSERT INTO reuse_words(n, data) VALUES (?,?) "
                              "ON CONFLICT(n) DO UPDATE SET data=excluded.data", word_rows)

    def _new_key(self, store: Store) -> int:
        """The next integer article key (the batch's transaction holds the
        write lock on SQLite; on PostgreSQL two concurrent ingests into one
        database may collide on it, and the later batch then fails whole)."""
        if self._next_n is None or not self._in_batch:
            self._next_n = int(store.query("SELECT COALESCE(MAX(n), 0) FROM reuse_ids")[0][0]) + 1
        n, self._next_n = self._next_n, self._next_n + 1
        return n

    # stage helpers -----------------------------------------------------------
    def _common(self, store: Store, w: Words) -> None:
        """Mask shingles seen in very many articles (formulaic phrases)."""
        limit = formula_limit(_meta(store, "articles"))
        if limit is None or len(w.shingles) == 0:
            return
        hashes = _signed(_sampled(w.shingles))
        common: set[int] = set()
        for chunk in _chunks(hashes, 500):
            marks = ",".join("?" * len(chunk))
            common.update(h for (h,) in store.query(
                f"SELECT hash FROM reuse_df WHERE df > ? AND hash IN ({marks})", [limit, *chunk]))
        mask_shingles(w, common)

    def _text(self, store: Store, article_id: str) -> str | None:
        if article_id in self._texts:
            return self._texts[article_id]
        art = store.get_article(article_id)
        return art.text if art else None

    def link_one(self, store: Store, article_id: str, text: str,
                 tokens: Sequence[Token] | None = None) -> list[tuple[str, Passage]]:
        """Index one article and store its passages with earlier articles."""
        known = store.query("SELECT n, bands FROM reuse_ids WHERE article_id=?", (article_id,))
        seen_before = bool(known)
        if known:  # re-ingested: forget its buckets and passages
            n = int(known[0][0])
            old = _band_list(known[0][1])
            if old:
                store.executemany("DELETE FROM reuse_bands WHERE hash=? AND n=?", [(h, n) for h in old])
        else:
            n = self._new_key(store)
        store.execute("DELETE FROM reuse_passages WHERE a_id=? OR b_id=?", (article_id, article_id))
        w = words(text, tokens)
        stored = Words(w.norms, w.starts, w.ends, w.shingles, w.usable.copy(), w.keys)  # boilerplate mask only
        self._common(store, w)
        hashes = sorted({h for _, h in band_hashes(w)})
        found: list[tuple[str, Passage]] = []
        candidates: list[tuple[str, int]] = []
        cand_keys: dict[str, int] = {}
        if hashes:
            hits: dict[int, int] = {}
            for chunk in _chunks(hashes, 500):
                marks = ",".join("?" * len(chunk))
                for other, count in store.query(
                        f"SELECT n, COUNT(*) FROM reuse_bands WHERE hash IN ({marks}) GROUP BY n", chunk):
                    if other != n:
                        hits[other] = hits.get(other, 0) + count
            if hits:
                ids: dict[int, str] = {}
                keys = list(hits)
                for chunk in _chunks(keys, 500):
                    ids.update(store.query(f"SELECT n, article_id FROM reuse_ids WHERE n IN "
                                           f"({','.join('?' * len(chunk))})", chunk))
                candidates = sorted(((ids[k], c) for k, c in hits.items() if k in ids),
                                    key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
                cand_keys = {ids[k]: k for k in hits if k in ids}
        rows = []
        self._cache.pop(article_id, None)
        # formulaic shingles are masked in w; a seed must be usable in w,
        # so o needs only its boilerplate mask
        others = self._candidate_words(store, {aid: cand_keys[aid] for aid, _ in candidates})
        for other_id, _ in candidates:
            o = others.get(other_id)
            if o is None:
                continue
            passages, kind = pair_passages(w, o)
            for p in passages:
                # a = the article already indexed, b = the new one
                rows.append((other_id, p.other_start, p.other_end, article_id, p.start, p.end, p.similarity, kind))
                found.append((other_id, p))
        if rows:
            store.executemany("INSERT INTO reuse_passages VALUES (?,?,?,?,?,?,?,?)", rows)
        if hashes:
            store.executemany("INSERT INTO reuse_bands(hash, n) VALUES (?,?)", [(h, n) for h in hashes])
        if seen_before:
            store.execute("UPDATE reuse_ids SET bands=? WHERE n=?", (_band_blob(hashes), n))
        else:
            store.execute("INSERT INTO reuse_ids(n, article_id, bands) VALUES (?,?,?)",
                          (n, article_id, _band_blob(hashes)))
            self._count(store, w)
        data = _pack(stored, stored.usable)
        if data is not None:
            store.execute("INSERT INTO reuse_words(n, data) VALUES (?,?) "
                          "ON CONFLICT(n) DO UPDATE SET data=excluded.data", (n, data))
        self._remember(article_id, stored)
        return found

    @staticmethod
    def _count(store: Store, w: Words) -> None:
        _bump(store, "articles")
        sample = _sampled(w.shingles)
        if len(sample):
            store.executemany("INSERT INTO reuse_df(hash, df) VALUES (?, 1) "
                              "ON CONFLICT(hash) DO UPDATE SET df = reuse_df.df + 1",
                              [(h,) for h in _signed(sample)])

    # reading -------------------------------------------------------------------
    def passages(self, store: Store, article_id: str) -> list[dict[str, Any]]:
        """Passages of one article, its own offsets first, in text order."""
        out = []
        for a_id, a_s, a_e, b_id, b_s, b_e, sim, kind in store.query(
                "SELECT a_id, a_start, a_end, b_id, b_start, b_end, similarity, kind FROM reuse_passages "
                "WHERE a_id=? OR b_id=?", (article_id, article_id)):
            if a_id == article_id:
                out.append({"other_id": b_id, "start": a_s, "end": a_e, "other_start": b_s, "other_end": b_e,
                            "similarity": sim, "kind": kind})
            else:
                out.append({"other_id": a_id, "start": b_s, "end": b_e, "other_start": a_s, "other_end": a_e,
                            "similarity": sim, "kind": kind})
        out.sort(key=lambda r: (r["start"], r["other_id"], r["other_start"]))
        return out

    def article_fields(self, store: Store, article_id: str) -> dict[str, Any]:
        return {"reuse": [{k: r[k] for k in ("other_id", "start", "end", "other_start", "other_end", "similarity")}
                          for r in self.passages(store, article_id)]}

    def export(self, store: Store, what: str) -> Iterator[dict[str, Any]]:
        for a_id, a_s, a_e, b_id, b_s, b_e, sim, kind in store.query(
                "SELECT a_id, a_start, a_end, b_id, b_start, b_end, similarity, kind FROM reuse_passages "
                "ORDER BY a_id, b_id, a_start"):
            yield {"a_id": a_id, "a_start": a_s, "a_end": a_e, "b_id": b_id, "b_start": b_s, "b_end": b_e,
                   "similarity": sim, "kind": kind}

    def stats(self, store: Store) -> dict[str, Any]:
        rows = store.query("SELECT COUNT(*) FROM (SELECT DISTINCT a_id, b_id FROM reuse_passages) t")
        return {"reuse_pairs": rows[0][0] if rows else 0}


def _meta(store: Store, key: str) -> int:
    rows = store.query("SELECT value FROM reuse_meta WHERE key=?", (key,))
    return int(rows[0][0]) if rows else 0


def _bump(store: Store, key: str) -> None:
    store.execute("INSERT INTO reuse_meta(key, value) VALUES (?, 1) "
                  "ON CONFLICT(key) DO UPDATE SET value = reuse_meta.value + 1", (key,))


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


LINKER = ReuseLinker
