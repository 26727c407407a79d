"""`marsad spark link --what stories`: events and stories over a whole archive.

The incremental story linker (marsad.link.stories) is online: an article's
TF-IDF vector uses the document frequencies of the articles before it, its
candidates are the earlier articles sharing the most index keys within the
time window, and it joins the story of the best match.  Here, in arrival
order (published, id) -- the order `marsad ingest` is compared with:

1. per article, in parallel: the analysis with the entity ids of the bulk
   entity result (``link.entities.propagate``), its content-term counts,
   entities, events, future-cue / report sentence sets and title -- the
   linker's own ``_content_tokens``, ``_sentences``, ``_title``;
2. one ordered pass (a single partition): the only truly sequential state.
   The events linker (``EventLinker._link_one``, replayed against a scratch
   SQLite file: the same code and queries, so the same event ids) and the
   document-frequency table: an article's vector is its top ``VECTOR_TERMS``
   by TF-IDF over the df *before* it, and df counts the vector terms of the
   articles before -- a recurrence, not a cumulative count, so it is run as
   written, with a dict (O(terms) per article, no store);
3. candidates, in Spark: the inverted index as a join -- each article's
   query keys against the index keys of earlier articles, on (key, day
   bucket), filtered to ``window_days`` (undated articles as the SQL reads
   them), counted per pair, the ``MAX_CANDIDATES`` by (count desc, id);
   similarity with ``StoriesLinker.similarity`` on the same rounded vectors;
4. one ordered pass over the pairs at or above the threshold: an article
   joins the story with the best similarity (ties by story id) -- it needs
   only a dict article -> story;
5. per story, in parallel: the story replayed in arrival order as ``_join``
   and ``_thread`` write it: scores, centralities, title (most central
   earlier member), first/last dates, threading links.

Written: ``events``, ``event_mentions`` (+ ``idx``, the event's index in its
article), ``event_keys``, ``stories``, ``story_articles``, ``story_links``,
``story_vectors``, ``story_index``, ``story_df`` -- the tables of the two
linkers, for `marsad load`.

Where the store's SQL leaves an order open, the bulk path fixes one:
candidate rows in article-id order (what SQLite returns for ``IN`` on the
key), the 50 story members ``_thread`` reads by day and then latest first,
and the title among members equally central and equally dated by arrival.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterable, Iterator

from marsad.link import stories as st

EVENT_TABLES = {
    "events": ("id", "type", "mode", "date", "place", "source_actor", "target_actor", "first_reported",
               "last_reported", "reports", "event_mode", "family", "actors"),
    "event_mentions": ("event_id", "article_id", "start", "end", "trigger", "mode", "date", "trigger_start",
                       "published"),
    "event_keys": ("type", "akey", "day", "event_id"),
}
STORY_TABLES = {
    "stories": ("id", "title", "first_published", "last_published", "size"),
    "story_articles": ("story_id", "article_id", "published", "score", "centrality"),
    "story_links": ("story_id", "from_id", "to_id", "kind"),
    "story_vectors": ("article_id", "story_id", "day", "title", "vector", "entities", "events", "announces",
                      "reports"),
    "story_index": ("term", "day", "article_id"),
    "story_df": ("term", "df"),
}


# -- 1. per article ----------------------------------------------------------------------

def with_entity_ids(analysis: Any, ids: Iterable[tuple[int, int, str, str]]) -> Any:
    """The analysis as the entity linker returns it: each mention linked in
    bulk (start, end, entity id, canonical) carries its entity's id and
    canonical, and quote speakers and event actors follow them."""
    from marsad.link.entities import propagate

    by_span: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for start, end, eid, canonical in ids:
        by_span.setdefault((start, end), []).append((eid, canonical))
    if not by_span:
        return propagate(analysis)
    mentions = []
    for m in analysis.mentions:
        got = by_span.get((m.start, m.end))
        if got:
            eid, canonical = got.pop(0) if len(got) > 1 else got[0]
            m = m.replace(entity_id=eid, canonical=canonical)
        mentions.append(m)
    return propagate(analysis.replace(mentions=tuple(mentions)))


def with_event_ids(analysis: Any, ids: dict[int, str]) -> Any:
    """The analysis with the event ids of the bulk events result."""
    if not ids:
        return analysis
    return analysis.replace(events=tuple(e.replace(event_id=ids.get(i, e.event_id))
                                         for i, e in enumerate(analysis.events)))


def article_features(rows: Iterator[Any]) -> Iterator[tuple]:
    """(published or "", id, day, published, title, tf, entities, events,
    announces, reports) per analysed article, as the story linker's
    ``features`` would see it after the entity linker."""
    from marsad.link.events import _actor_dicts
    from marsad.model import Analysis
    from marsad.text.tokenize import tokenize

    for r in rows:
        an = Analysis.from_dict(json.loads(r["analysis"]))
        an = with_entity_ids(an, [(x["start"], x["end"], x["entity_id"], x["canonical"]) for x in (r["ids"] or ())])
        art = an.article
        tokens = an.tokens or tuple(tokenize(art.text))
        content = st._content_tokens(tokens)
        tf = list(Counter(term for _, term in content).items())
        entities = sorted({m.entity_id for m in an.mentions if m.entity_id})
        events = [{"type": e.type, "mode": e.mode, "date": e.date, "place": e.place,
                   "trigger_start": e.trigger_start, "event_mode": e.event_mode, "start": e.start, "end": e.end,
                   "trigger": e.trigger, "actors": _actor_dicts(e, an),
                   "ids": sorted({x.entity_id for x in e.actors if x.entity_id})} for e in an.events]
        announces, reports = st.StoriesLinker._sentences(an, tokens, content)
        yield (art.published or "", art.id, st._day(art.published), art.published, st._title(an),
               json.dumps(tf, ensure_ascii=False), json.dumps(entities, ensure_ascii=False),
               json.dumps(events, ensure_ascii=False), json.dumps(announces, ensure_ascii=False),
               json.dumps(reports, ensure_ascii=False))


# -- 2. the ordered pass: events and vectors --------------------------------------------

def ordered_pass(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Over the articles in arrival order: event ids (the events linker
    against a scratch SQLite file) and story vectors and keys (the df
    recurrence).  Yields ("f", features row) per article, then the event
    tables ("events" | "event_mentions" | "event_keys", row), ("x", (article,
    idx, event id)) and ("df", (term, df))."""
    from marsad.link.events import EventLinker
    from marsad.store.sqlite import SQLiteStore

    fd, path = tempfile.mkstemp(suffix=".db", prefix="marsad-events-")
    os.close(fd)
    store = SQLiteStore(path)
    try:
        linker = EventLinker()
        store.ensure_schema(linker.schema)
        df: dict[str, int] = {}
        n_docs = 0
        pending: list[tuple] = []
        xs: list[tuple[str, int, str]] = []

        def flush() -> Iterator[tuple]:
            yield from (("f", p) for p in pending)
            pending.clear()

        store.db.execute("BEGIN")
        for pub, aid, day, published, title, tf_json, entities_json, events_json, announces, reports in rows:
            events = json.loads(events_json)
            story_events = []
            for i, e in enumerate(events):
                eid = linker._link_one(store, aid, published, SimpleNamespace(**{k: v for k, v in e.items()
                                                                                  if k not in ("actors", "ids")}),
                                       e["actors"], False)
                xs.append((aid, i, eid))
                story_events.append([e["type"], e["mode"], e["ids"], eid])
            # StoriesLinker.features, with df and n_docs held here
            tf = dict(json.loads(tf_json))
            weights = {t: (1 + math.log(c)) * math.log((n_docs + st.IDF_PRIOR) / (df.get(t, 0) + 1))
                       for t, c in tf.items()}
            top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:st.VECTOR_TERMS]
            norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
            vector = {t: round(w / norm, 5) for t, w in top}
            entities = json.loads(entities_json)
            common = max(st.COMMON_FLOOR, st.COMMON_SHARE * n_docs)
            qkeys = [t for t in vector if df.get(t, 0) <= common][:st.QUERY_TERMS] + ["e:" + e for e in entities]
            ikeys = list(vector)[:st.INDEX_TERMS] + ["e:" + e for e in entities]
            for t in vector:
                df[t] = df.get(t, 0) + 1
            pending.append((n_docs, aid, day, published, title, json.dumps(vector, ensure_ascii=False),
                            entities_json, json.dumps(story_events, ensure_ascii=False), announces, reports,
                            qkeys, ikeys))
            n_docs += 1
            if len(pending) >= 1000:
                store.db.execute("COMMIT")
                yield from flush()
                store.db.execute("BEGIN")
        store.db.execute("COMMIT")
        yield from flush()
        for table, cols in EVENT_TABLES.items():
            quoted = ", ".join(f'"{c}"' for c in cols)
            for row in store.db.execute(f"SELECT {quoted} FROM {table} ORDER BY rowid"):
                yield table, tuple(row)
        for x in xs:
            yield "x", x
        for t, n in df.items():
            yield "df", (t, n)
    finally:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(path + suffix)
            except FileNotFoundError:
                pass


# -- 3. similarity of candidate pairs --------------------------------------------------------

def _features(article_id: str, day: int | None, published: str | None, title: str, vector: str, entities: str,
              events: str, announces: str | None = None, reports: str | None = None) -> st.Features:
    return st.Features(article_id, day, published, title, st._decoded(vector), json.loads(entities),
                       json.loads(events), json.loads(announces) if announces is not None else None,
                       json.loads(reports) if reports is not None else None)


def similarities(rows: Iterator[Any]) -> Iterator[tuple[int, str, float]]:
    """(new n, earlier id, similarity) of candidate pairs, as
    ``StoriesLinker._candidates`` scores them (new article first)."""
    for r in rows:
        f = _features(r["qid"], r["qday"], None, "", r["qvector"], r["qentities"], r["qevents"])
        other = _features(r["pid"], r["pday"], None, "", r["pvector"], r["pentities"], r["pevents"])
        yield r["qn"], r["pid"], st.StoriesLinker.similarity(f, other)


# -- 4. the ordered pass: which story ------------------------------------------------------

def decide(rows: Iterator[tuple[int, tuple[str, list[tuple[str, float]] | None]]],
           threshold: float = st.THRESHOLD) -> Iterator[tuple[str, int, str, float, str]]:
    """(article id, n, story id, score, members JSON) in arrival order, as
    ``StoriesLinker.link_one`` decides: the story of the best similarity at or
    above ``threshold`` (ties: the greater story id), with the members of that
    story it matched; else a story of its own."""
    story_of: dict[str, str] = {}
    for n, (aid, scored) in rows:
        scored = sorted(scored or ())  # candidate rows in article-id order, as SQLite returns them
        by_story: dict[str, float] = {}
        for oid, sim in scored:
            s = story_of[oid]
            by_story[s] = max(by_story.get(s, 0.0), sim)
        best_story, best = (max(by_story.items(), key=lambda kv: (kv[1], kv[0])) if by_story else (None, 0.0))
        if best_story is not None and best >= threshold:
            members = [(oid, sim) for oid, sim in scored if story_of[oid] == best_story and sim >= threshold]
            story_of[aid] = best_story
            yield aid, n, best_story, best, json.dumps(members)
        else:
            story_of[aid] = st._story_id(aid)
            yield aid, n, story_of[aid], 0.0, "[]"


# -- 5. per story: what _join and _thread write ----------------------------------------------

def replay_story(story: str, members: Iterable[tuple]) -> Iterator[tuple[str, tuple]]:
    """Rows of the story tables for one story; ``members`` are (n, score,
    members JSON, features row) of its articles."""
    arts = sorted(members, key=lambda m: m[0])
    feats: list[st.Features] = []
    order: dict[str, int] = {}
    centrality: dict[str, float] = {}
    rows_sa: dict[str, list[Any]] = {}
    title = first = last = None
    size = 0
    for n, score, members_json, (aid, day, published, ftitle, vector, entities, events, announces, reports) \
            in arts:
        f = _features(aid, day, published, ftitle, vector, entities, events, announces, reports)
        matched = [(oid, sim, feats[order[oid]]) for oid, sim in json.loads(members_json)]
        if not feats:  # the article that started it
            title, first, last = f.title, f.published, f.published
        # _join
        centrality[aid] = sum(s for _, s, _ in matched)
        rows_sa[aid] = [story, aid, published, round(score, 4)]
        for oid, sim, _ in matched:
            centrality[oid] += sim
        # _thread: links with the members it matched, then announcement -> report links
        links: dict[tuple[str, str], str] = {}
        for oid, _, other in sorted(matched, key=lambda m: -m[1])[:st.MAX_LINKS]:
            a, b = (other, f) if st._before(other, f) else (f, other)
            links[(a.article_id, b.article_id)] = st.StoriesLinker.kind(a, b)
        if f.day is None:
            pool = feats
        else:
            later = bool(f.announces or f.events)
            pool = [o for o in feats if o.day is None or (o.day < f.day and (o.announces or o.events))
                    or (later and o.day > f.day)]
        # ORDER BY day DESC LIMIT 50: NULL days last, equal days latest first
        pool = sorted(pool, key=lambda o: (o.day is not None, o.day or 0, order[o.article_id]), reverse=True)[:50]
        for other in pool:
            if (other.article_id, aid) in links or (aid, other.article_id) in links:
                continue
            a, b = (other, f) if st._before(other, f) else (f, other)
            if st._announced_then_reported(a, b):
                links[(a.article_id, b.article_id)] = "announcement_report"
        for (a, b), k in links.items():
            yield "story_links", (story, a, b, k)
        size += 1
        p = f.published
        if first is None or (p is not None and p < first):
            first = p
        if last is None or (p is not None and p > last):
            last = p
        if matched:  # the most central member already indexed (not f)
            best = min(feats, key=lambda o: (-centrality[o.article_id], o.published is not None,
                                             o.published or "", order[o.article_id]))
            title = best.title
        order[aid] = len(feats)
        feats.append(f)
        yield "story_vectors", (aid, story, day, ftitle, vector, entities, events, announces, reports)
        for k in list(f.vector)[:st.INDEX_TERMS] + ["e:" + e for e in f.entities]:
            yield "story_index", (k, day, aid)
    for aid, row in rows_sa.items():
        yield "story_articles", (*row, float(centrality[aid]))
    yield "stories", (story, title, first, last, size)


# -- the Spark job ------------------------------------------------------------------------------

def link_stories(spark: Any, df: Any, folder: str, *, window_days: int = st.WINDOW_DAYS,
                 threshold: float = st.THRESHOLD) -> dict[str, int]:
    """Events and stories of an analysed archive whose entities are linked
    in ``folder`` (entities.parquet, entity_mentions.parquet); writes the
    tables listed in the module notes there."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import (ArrayType, DoubleType, IntegerType, LongType, StringType, StructField,
                                   StructType)

    out = Path(folder)
    s, i, d, ln = StringType(), IntegerType(), DoubleType(), LongType()
    n_parts = max(spark.sparkContext.defaultParallelism, 2)

    # 1. per article
    ents = spark.read.parquet(str(out / "entities.parquet")).select(F.col("id").alias("entity_id"), "canonical")
    ids = (spark.read.parquet(str(out / "entity_mentions.parquet")).join(ents, "entity_id")
           .groupBy("article_id").agg(F.collect_list(F.struct("start", "end", "entity_id", "canonical")).alias("ids")))
    arts = df.select("id", "analysis").join(ids, df["id"] == ids["article_id"], "left")
    feats = arts.rdd.mapPartitions(article_features).persist(StorageLevel.MEMORY_AND_DISK)  # sortBy samples it

    # 2. ordered pass
    seq = (feats.sortBy(lambda r: (r[0], r[1]), numPartitions=1)
           .mapPartitions(ordered_pass)
           .persist(StorageLevel.MEMORY_AND_DISK))
    f_schema = StructType([StructField("n", ln), StructField("id", s), StructField("day", i),
                           StructField("published", s), StructField("title", s), StructField("vector", s),
                           StructField("entities", s), StructField("events", s), StructField("announces", s),
                           StructField("reports", s), StructField("qkeys", ArrayType(s)),
                           StructField("ikeys", ArrayType(s))])
    work = out / "_story_features.parquet"
    spark.createDataFrame(seq.filter(lambda r: r[0] == "f").map(lambda r: r[1]), f_schema) \
        .write.mode("overwrite").parquet(str(work))
    types = {"events": [s, s, s, s, s, s, s, s, s, i, s, s, s],
             "event_mentions": [s, s, i, i, s, s, s, i, s],
             "event_keys": [s, s, s, s]}
    counts: dict[str, int] = {}
    for table, cols in EVENT_TABLES.items():
        schema = StructType([StructField(c, t) for c, t in zip(cols, types[table])])
        rows = seq.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1])
        if table == "event_mentions":  # with each mention's index in its article's events
            schema = StructType([*schema.fields, StructField("idx", i)])
            rows = rows.zip(seq.filter(lambda r: r[0] == "x").map(lambda r: r[1])).map(lambda ab: (*ab[0], ab[1][1]))
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(str(out / f"{table}.parquet"))
    spark.createDataFrame(seq.filter(lambda r: r[0] == "df").map(lambda r: r[1]),
                          StructType([StructField("term", s), StructField("df", i)])) \
        .write.mode("overwrite").parquet(str(out / "story_df.parquet"))
    seq.unpersist()
    feats.unpersist()
    fdf = spark.read.parquet(str(work)).repartition(n_parts, "id").cache()

    # 3. candidates: query keys x earlier index keys, on (key, day bucket)
    w = window_days
    width = 2 * w + 1  # a window [d-w, d+w] spans at most two buckets
    post = (fdf.select(F.col("n").alias("pn"), F.col("id").alias("pid"), F.col("day").alias("pday"),
                       F.explode("ikeys").alias("key"))
            .withColumn("bucket", F.when(F.col("pday").isNull(), F.lit(-1))
                        .otherwise(F.floor(F.col("pday") / width))))
    query = fdf.select(F.col("n").alias("qn"), F.col("id").alias("qid"), F.col("day").alias("qday"),
                       F.explode("qkeys").alias("key"))
    dated = (query.filter(F.col("qday").isNotNull())
             .withColumn("bucket", F.explode(F.array_distinct(F.array(
                 F.lit(-1).cast("long"), F.floor((F.col("qday") - w) / width), F.floor((F.col("qday") + w) / width)))))
             .join(post, ["key", "bucket"])
             .filter((F.col("pn") < F.col("qn"))
                     & (F.col("pday").isNull() | F.col("pday").between(F.col("qday") - w, F.col("qday") + w))))
    undated = (query.filter(F.col("qday").isNull()).join(post.drop("bucket"), "key")
               .filter(F.col("pn") < F.col("qn")))
    cols = ["qn", "qid", "qday", "pn", "pid", "pday"]
    pairs = dated.select(*cols).unionByName(undated.select(*cols)).groupBy(*cols).count()
    rank = Window.partitionBy("qn").orderBy(F.col("count").desc(), F.col("pid"))
    cand = pairs.withColumn("r", F.row_number().over(rank)).filter(F.col("r") <= st.MAX_CANDIDATES)
    side = fdf.select("id", "vector", "entities", "events")
    cand = (cand.join(side.select(F.col("id").alias("qid"), F.col("vector").alias("qvector"),
                                  F.col("entities").alias("qentities"), F.col("events").alias("qevents")), "qid")
            .join(side.select(F.col("id").alias("pid"), F.col("vector").alias("pvector"),
                              F.col("entities").alias("pentities"), F.col("events").alias("pevents")), "pid"))
    sims = cand.rdd.mapPartitions(similarities).filter(lambda r: r[2] >= threshold)

    # 4. ordered pass: the story of each article
    scored = sims.map(lambda r: (r[0], (r[1], r[2]))).groupByKey().mapValues(list)
    everyone = fdf.select("n", "id").rdd.map(lambda r: (r["n"], r["id"]))
    decided = (everyone.leftOuterJoin(scored)
               .sortByKey(numPartitions=1)
               .mapPartitions(lambda it: decide(it, threshold)))
    d_schema = StructType([StructField("id", s), StructField("n", ln), StructField("story", s),
                           StructField("score", d), StructField("members", s)])
    ddf = spark.createDataFrame(decided, d_schema)

    # 5. per story
    full = ddf.join(fdf.drop("n", "qkeys", "ikeys"), "id")
    story_rows = (full.rdd.map(lambda r: (r["story"], (r["n"], r["score"], r["members"],
                                                        (r["id"], r["day"], r["published"], r["title"], r["vector"],
                                                         r["entities"], r["events"], r["announces"], r["reports"]))))
                  .groupByKey()
                  .flatMap(lambda kv: replay_story(kv[0], kv[1]))
                  .persist(StorageLevel.MEMORY_AND_DISK))
    types = {"stories": [s, s, s, s, i], "story_articles": [s, s, s, d, d], "story_links": [s, s, s, s],
             "story_vectors": [s, s, i, s, s, s, s, s, s], "story_index": [s, i, s]}
    for table, ts in types.items():
        schema = StructType([StructField(c, t) for c, t in zip(STORY_TABLES[table], ts)])
        spark.createDataFrame(story_rows.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1]), schema) \
            .write.mode("overwrite").parquet(str(out / f"{table}.parquet"))
    story_rows.unpersist()
    fdf.unpersist()
    for table in (*EVENT_TABLES, *STORY_TABLES):
        counts[table] = spark.read.parquet(str(out / f"{table}.parquet")).count()
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return counts
