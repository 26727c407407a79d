"""The engine: one object that owns the store, the pipeline and the linkers.
The CLI, the REST API and the web UI are thin layers over its methods.

    with Engine("marsad.db") as engine:
        report = engine.ingest(["news/"])
        hits = engine.search("الأمريكي").hits
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator

from marsad.errors import InputError, NotFound
from marsad.export import article_record
from marsad.ingest import read
from marsad.link import Linker, default_linkers
from marsad.model import Analysis, Article, Token
from marsad.pipeline import Pipeline
from marsad.store import SearchHit, SearchQuery, Store, open_store

_worker_pipeline: Pipeline | None = None


def _worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forkserver where the platform has it."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else methods[0])


def _init_worker(names: list[str] | None, config: dict[str, dict[str, Any]]) -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline(names=names, config=config)


IN_FLIGHT = 2  # batches the workers analyse while the main process links and stores the oldest

# Analyses cross the process boundary with their tokens as plain tuples:
# unpickling ~300 frozen-dataclass tokens per article cost the main process
# more than linking some of the linkers (about 1 ms an article).
_TOKEN_FIELDS = tuple(f.name for f in fields(Token))
assert _TOKEN_FIELDS[:3] == ("start", "end", "text")
_TOKEN_REST = _TOKEN_FIELDS[3:]
_token_rest = attrgetter(*_TOKEN_REST)


def _analyse_in_worker(article: Article) -> tuple[Analysis, list[tuple[Any, ...]]]:
    assert _worker_pipeline is not None
    a = _worker_pipeline(article)
    return a.replace(tokens=()), [(t.start, t.end, *_token_rest(t)) for t in a.tokens]


def _from_worker(item: tuple[Analysis, list[tuple[Any, ...]]]) -> Analysis:
    """The analysis ``_analyse_in_worker`` sent, tokens rebuilt (token text is
    the article text at the token's offsets)."""
    a, rows = item
    if not rows:
        return a
    text = a.article.text
    return a.replace(tokens=tuple(Token(s, e, text[s:e], *rest) for s, e, *rest in rows))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Rarer garbage collections while a batch is linked: the batch's analyses
    (~100k objects) survive the young generations, so with the default
    thresholds full collections ran every few articles, each over the whole
    heap (measured: 26 ms an article, 40% of the main process, on a 45k-article
    store; 2 ms with these thresholds)."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 20_000), max(old[1], 20), max(old[2], 20))
    try:
        yield
    finally:
        gc.set_threshold(*old)


_default_pipeline: Pipeline | None = None


def analyze(article: Article | str, **kw: Any) -> Analysis:
    """Analyse one article (or a bare text) with the default pipeline."""
    global _default_pipeline
    if isinstance(article, str):
        from marsad.ingest.files import article_from_text

        article = article_from_text(article, id=kw.pop("id", "text"), **kw)
    if _default_pipeline is None:
        _default_pipeline = Pipeline()
    return _default_pipeline(article)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of a folder that are not articles (README ...)

    def summary(self) -> str:
        out = (f"{len(self.added)} added, {len(self.duplicates)} already stored, "
               f"{len(self.errors)} rejected")
        if self.skipped:
            out += f", {len(self.skipped)} non-article files skipped"
        return out


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int
    query: SearchQuery


class Engine:
    def __init__(self, db: str | Store = "marsad.db", *, pipeline: Pipeline | None = None,
                 linkers: list[Linker] | None = None, workers: int | None = None,
                 batch_size: int = 200, worker_recycle: int = 5_000):
        self.store: Store = open_store(db) if isinstance(db, str) else db
        self._pipeline = pipeline
        self.linkers = default_linkers() if linkers is None else linkers
        for linker in self.linkers:
            self.store.ensure_schema(linker.schema)
        self.workers = workers
        self.batch_size = batch_size
        self._executor: ProcessPoolExecutor | None = None
        # articles a worker pool analyses before it is replaced: workers measured at 0.28 GB after 3k
        # articles but 0.82 GB within ~9k (bench_100k), so a fresh pool every 5k (cost: models reloaded, ~1 s)
        self.worker_recycle = worker_recycle
        self._submitted = 0

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None
        self.store.close()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline()
        return self._pipeline

    # -- analysis ------------------------------------------------------------
    def analyze(self, article: Article) -> Analysis:
        """Analyse one article; stores nothing."""
        return self.pipeline(article)

    def analyze_many(self, articles: list[Article]) -> list[Analysis]:
        return self._analyse_later(articles)()

    def _analyse_later(self, articles: list[Article]) -> Callable[[], list[Analysis]]:
        """Start analysing ``articles``; the returned callable waits for the
        results.  With worker processes the work starts now, so the caller can
        link and store the previous batch meanwhile."""
        workers = self.workers if self.workers is not None else (os.cpu_count() or 1)
        if workers <= 1 or len(articles) < 64:
            return lambda: [self.pipeline(a) for a in articles]
        if self._executor is not None and self._submitted >= self.worker_recycle:
            # the extractors' caches grow with the vocabulary seen: a fresh pool
            # every ``worker_recycle`` articles bounds the workers' memory (the
            # batch still being analysed finishes first; its results stay readable)
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._executor is None:  # one pool per engine: workers load the models once
            p = self.pipeline
            # forkserver, not fork: a forked worker inherits the main process's heap (store caches,
            # linker state; ~370 MB private per worker once touched), a forkserver child only what
            # _init_worker loads
            self._executor = ProcessPoolExecutor(workers, mp_context=_worker_context(), initializer=_init_worker,
                                                 initargs=(p.names, p.config))
            self._submitted = 0
        self._submitted += len(articles)
        results = self._executor.map(_analyse_in_worker, articles, chunksize=8)  # submitted now
        return lambda: [_from_worker(r) for r in results]

    # -- ingestion -------------------------------------------------------------
    def ingest(self, targets: Iterable[str], *, source: str | None = None, published: str | None = None,
               progress: bool = False, on_error: Callable[[InputError], None] | None = None,
               force: bool = False) -> IngestReport:
        """Read, analyse, link and store.  Idempotent: an article already
        stored (same id, URL or content hash) is skipped unless ``force``.
        Each batch is one transaction; bad records are reported and skipped."""
        report = IngestReport()
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(unit=" articles", desc="ingest", leave=False, disable=None)
        batch: list[Article] = []
        seen: set[str] = set()
        forced: set[str] = set()
        # batch k is linked and stored while the workers analyse batches k+1
        # and k+2 (two in flight, so the workers do not wait while the main
        # process reads the next batch)
        pending: deque[tuple[list[Article], Callable[[], list[Analysis]]]] = deque()

        def finish(keep: int = 0) -> None:
            while len(pending) > keep:
                arts, result = pending.popleft()
                self.add_analyses(result())
                report.added.extend(a.id for a in arts)
                if bar is not None:
                    bar.update(len(arts))

        def flush() -> None:
            if batch:
                arts = list(batch)
                batch.clear()
                pending.append((arts, self._analyse_later(arts)))
            finish(keep=IN_FLIGHT)

        def take(item: Article, existing: str | None) -> None:
            """A duplicate of ``existing`` is reported; anything else joins the batch."""
            if existing is not None:
                report.duplicates.append(existing)
                return
            batch.append(item)
            if len(batch) >= self.batch_size:
                flush()

        unchecked: list[Article] = []  # read, not yet checked against the store (one query for all)

        def check() -> None:
            for item, existing in zip(unchecked, self._duplicates_of(unchecked, seen)):
                take(item, existing)
            unchecked.clear()

        for target in targets:
            for item in read(target, source=source, published=published, skipped=report.skipped):
                if isinstance(item, InputError):
                    report.errors.append(item)
                    if on_error:
                        on_error(item)
                    continue
                if force:
                    existing = item.id if item.id in forced else None
                    forced.add(item.id)
                    take(item, existing)
                    continue
                unchecked.append(item)
                if len(unchecked) >= self.batch_size:
                    check()
        check()
        flush()
        finish()
        if bar is not None:
            bar.close()
        return report

    def duplicate_of(self, article: Article, seen: set[str]) -> str | None:
        """Id of the stored or already-seen article this one duplicates (same
        id, URL or content hash), else None; records the article as seen."""
        keys = {"id:" + article.id, "hash:" + article.content_hash}
        if article.url:
            keys.add("url:" + article.url)
        if keys & seen:
            return article.id
        existing = self.store.find_existing(article)
        if existing is None:
            seen |= keys
        return existing

    def _duplicates_of(self, articles: list[Article], seen: set[str]) -> list[str | None]:
        """``duplicate_of`` each article in order, the store asked once for all."""
        stored = self.store.find_existing_many(articles)
        out: list[str | None] = []
        for article, existing in zip(articles, stored):
            keys = {"id:" + article.id, "hash:" + article.content_hash}
            if article.url:
                keys.add("url:" + article.url)
            if keys & seen:
                out.append(article.id)
                continue
            if existing is None:
                seen |= keys
            out.append(existing)
        return out

    def add(self, articles: list[Article]) -> list[Analysis]:
        """Analyse, link and store already-built articles (one transaction per
        batch), skipping those already stored: the analyses of the new ones."""
        seen: set[str] = set()
        new = [a for a, d in zip(articles, self._duplicates_of(list(articles), seen)) if d is None]
        out: list[Analysis] = []
        pending: deque[Callable[[], list[Analysis]]] = deque()
        for i in range(0, len(new), self.batch_size):
            pending.append(self._analyse_later(new[i:i + self.batch_size]))  # analysed while earlier ones are linked
            while len(pending) > IN_FLIGHT:
                out += self.add_analyses(pending.popleft()())
        while pending:
            out += self.add_analyses(pending.popleft()())
        return out

    def _store_batch(self, articles: list[Article]) -> list[Analysis]:
        return self.add_analyses(self.analyze_many(articles))

    def add_analyses(self, analyses: list[Analysis]) -> list[Analysis]:
        """Link and store analyses computed elsewhere (e.g. by the Spark job),
        in one transaction."""
        with _fewer_collections(), self.store.transaction():
            for linker in self.linkers:
                analyses = linker.link(self.store, analyses)
            self.store.put_many(analyses)
        return analyses

    # -- reading ---------------------------------------------------------------
    def analysis(self, article_id: str) -> Analysis:
        a = self.store.get_analysis(article_id)
        if a is None:
            raise NotFound(f"no article {article_id!r} in {self.store.url}")
        return a

    def article_record(self, article_id: str, *, tokens: bool = False) -> dict[str, Any]:
        """One article in the export contract (docs/export.md)."""
        analysis = self.analysis(article_id)
        if tokens:
            from marsad.text.tokenize import tokenize

            analysis = analysis.replace(tokens=tuple(tokenize(analysis.article.text)))
        extra: dict[str, Any] = {}
        for linker in self.linkers:
            extra.update(linker.article_fields(self.store, article_id))
        return article_record(analysis, extra, tokens=tokens)

    def search(self, text: str = "", **filters: Any) -> SearchResult:
        q = SearchQuery(text=text, **filters)
        hits, total = self.store.search(q)
        return SearchResult(hits, total, q)

    def export(self, what: str = "articles", *, tokens: bool = False) -> Iterator[dict[str, Any]]:
        if what == "articles":
            for aid in self.store.article_ids():
                yield self.article_record(aid, tokens=tokens)
            return
        for linker in self.linkers:
            if what in linker.exports:
                yield from linker.export(self.store, what)
                return
        known = ["articles"] + [w for lk in self.linkers for w in lk.exports]
        raise NotFound(f"nothing to export as {what!r}; choose one of: {', '.join(known)}")

    def stats(self) -> dict[str, Any]:
        out = self.store.stats()
        out["pipeline"] = self.pipeline.names
        out["linkers"] = [lk.name for lk in self.linkers]
        for linker in self.linkers:
            out.update(linker.stats(self.store))
        return out
