"""`marsad spark link`: text reuse over a whole archive in Spark.

The same stages as the incremental linker (marsad.link.reuse), with Spark
doing what the ``reuse_bands`` and ``reuse_df`` tables do there, and the
articles taken in arrival order (published, id) -- their *rank* -- as
`marsad ingest` takes them:

1. per article (mapPartitions): words and shingles -- ``reuse.words``, the
   very function the incremental linker calls -- packed as ``reuse_words``
   keeps them;
2. formulaic shingles: the incremental linker masks, in the article of rank
   k, the shingles held by more than ``reuse.formula_limit(k)`` of the k
   articles before it.  Here: each shingle's document frequency, and for
   the shingles frequent enough to ever pass that limit, the rank of every
   article holding them (a window over (shingle, rank)): the count of
   earlier holders is the row number.  The same mask, article by article;
3. LSH band hashes of each article's masked shingles (``reuse.band_hashes``);
   candidates: articles sharing a band hash, grouped by hash; each article
   is paired with the *earlier* articles it shares buckets with, keeping
   the ``MAX_CANDIDATES`` with most shared buckets (ties: the smaller
   article id), as the incremental linker does when that article arrives;
4. alignment of each candidate pair (``reuse.pair_passages``: the new
   article with its mask, the earlier one with its boilerplate mask only, as
   there), written to Parquet with the columns of ``reuse_passages``.

Only the first copy of each article is linked (``first_copies``: same id,
URL or content hash, in arrival order, as ``marsad ingest`` skips
duplicates); a result folder (``--what`` other than reuse alone) lists them
in ``articles.parquet`` and also holds the reuse linker's index
(``reuse_ids``: band hashes per article; ``reuse_df``: shingle document
frequencies; ``reuse_words``: what aligning each article needs) for
`marsad load`.  So both paths give the same pairs and passages on the same
input (tests/test_spark.py; bench/spark_reuse_parity.py at scale).
"""
from __future__ import annotations

from typing import Any, Iterator

from marsad.scale.spark import session

PASSAGE_COLUMNS = ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "similarity", "kind")


def _article_words(rows: Iterator[Any]) -> Iterator[tuple[int, tuple]]:
    """(rank, (id, published, packed words or None, text when they do not
    pack, distinct shingle hashes as int64 bytes)) of each (id, ((published,
    text), rank))."""
    import numpy as np

    from marsad.link.reuse import _pack, _sampled, words

    for aid, ((published, text), rank) in rows:
        w = words(text)
        packed = _pack(w, w.usable)
        yield rank, (aid, published, packed, None if packed is not None else text,
                     _sampled(w.shingles).view(np.int64).astype("<i8").tobytes())


def _words_of(packed: bytes | None, text: str | None) -> Any:
    from marsad.link.reuse import _unpack, words

    return _unpack(packed) if packed is not None else words(text or "")


def _held(kv: tuple[int, tuple]) -> list[tuple[int, int]]:
    """(shingle, rank) for each distinct shingle of one article."""
    import numpy as np

    return [(h, kv[0]) for h in np.frombuffer(kv[1][4], dtype="<i8").tolist()]


def _df_and_formulas(item: tuple[int, Any]) -> Iterator[tuple]:
    """For one shingle and the ranks of the articles holding it: ("d",
    (shingle, document frequency)), and ("m", (rank, shingle)) for each
    article in which the incremental linker masks it -- the one of rank k
    when more than ``formula_limit(k)`` articles before it hold it."""
    from marsad.link.reuse import DF_FLOOR, formula_limit

    h, ranks = item
    ranks = list(ranks)
    yield "d", (h, len(ranks))
    if len(ranks) > DF_FLOOR + 1:  # else never more than DF_FLOOR holders before one
        for before, rank in enumerate(sorted(ranks)):
            limit = formula_limit(rank)
            if limit is not None and before > limit:
                yield "m", (rank, h)


def _bands(rows: Iterator[Any]) -> Iterator[tuple[int, tuple]]:
    """(rank, (id, published, packed, text, band hashes, masked shingles))
    of each (rank, (article, mask))."""
    from marsad.link.reuse import band_hashes, mask_shingles

    for rank, ((aid, published, packed, text, _), mask) in rows:
        w = _words_of(packed, text)
        mask = sorted(mask) if mask else []
        mask_shingles(w, mask)
        yield rank, (aid, published, packed, text, sorted({h for _, h in band_hashes(w)}), mask)


def _pairs(bucket: tuple[int, Any]) -> Iterator[tuple[tuple[int, int, str], int]]:
    """((new rank, old rank, old id), 1) for every two articles in one bucket."""
    members = sorted(set(bucket[1]))
    for i, (new, _) in enumerate(members):
        for old, old_id in members[:i]:
            yield (new, old, old_id), 1


def _top(item: tuple[int, Any]) -> Iterator[tuple[int, int]]:
    """The MAX_CANDIDATES earlier articles sharing most buckets with one
    article (ties: smaller id first), as ``ReuseLinker.link_one`` picks them."""
    from marsad.link.reuse import MAX_CANDIDATES

    new, olds = item
    for _, _, old in sorted((-c, old_id, old) for old, old_id, c in olds)[:MAX_CANDIDATES]:
        yield new, old


def _align(rows: Iterator[Any]) -> Iterator[tuple]:
    """Passages of each (old, ((new, new article), old article)) candidate
    pair, articles as ``_bands`` gives them."""
    from marsad.link.reuse import mask_shingles, pair_passages

    for _, ((_, (new_id, _, new_packed, new_text, _, mask)), (old_id, _, old_packed, old_text, _, _)) in rows:
        w = _words_of(new_packed, new_text)
        mask_shingles(w, mask)
        passages, kind = pair_passages(w, _words_of(old_packed, old_text))
        for p in passages:
            yield (old_id, p.other_start, p.other_end, new_id, p.start, p.end, float(p.similarity), kind)


RESULTS = ("reuse", "entities", "stories")
MANIFEST = "manifest.json"  # what a result folder holds and which analysed Parquet it links


def link(input_path: str, output_path: str, *, master: str | None = None,
         what: tuple[str, ...] | str = ("reuse",)) -> dict[str, int]:
    """Link an analysed archive.  ``what`` = ("reuse",) (the default) writes
    the reuse passages to ``output_path``; otherwise ``output_path`` is a
    folder with one Parquet per table: ``reuse.parquet``; for entities
    ``entities.parquet``, ``entity_mentions.parquet`` and the linker's other
    tables; for stories (which need the entities, linked too) the events and
    story tables (marsad.scale.spark_stories); and ``manifest.json``."""
    import json
    import time
    from pathlib import Path

    t0 = time.perf_counter()
    what = tuple(w.strip() for w in what.split(",")) if isinstance(what, str) else tuple(what)
    unknown = [w for w in what if w not in RESULTS]
    if unknown or not what:
        raise ValueError(f"--what takes {', '.join(RESULTS)}; got {', '.join(what) or 'nothing'}")
    spark = session(master)
    df = spark.read.parquet(input_path)
    if "error" in df.columns:
        df = df.filter("error IS NULL")
    if what == ("reuse",):
        from pyspark.sql import functions as F

        if "url" not in df.columns:
            df = df.withColumn("url", F.lit(None).cast("string"))
        df = df.withColumn("_row", F.monotonically_increasing_id())
        return _reuse(spark, first_copies(df.select("_row", "id", "published", "url", "text")), output_path)
    out = Path(output_path)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # a folder is complete only once its manifest is written
    from pyspark.sql import functions as F

    # the rows of a Parquet read keep their ids from one read to the next (files and row positions)
    df = df.withColumn("_row", F.monotonically_increasing_id())
    first_copies(df.select("_row", "id", "published", "url", "text")).drop("url", "text") \
        .write.mode("overwrite").parquet(str(out / "articles.parquet"))
    kept = spark.read.parquet(str(out / "articles.parquet"))
    df = df.join(kept.select("_row"), "_row").drop("_row")
    counts: dict[str, int] = {"articles": kept.count()}
    seconds = {"articles": round(time.perf_counter() - t0, 1)}
    if "reuse" in what:
        t = time.perf_counter()
        counts.update(_reuse(spark, df, str(out / "reuse.parquet"), index_dir=str(out)))
        seconds["reuse"] = round(time.perf_counter() - t, 1)
    if "entities" in what or "stories" in what:
        from marsad.scale.spark_entities import link_entities

        t = time.perf_counter()
        counts.update(link_entities(spark, df, str(out / "entities.parquet"), str(out / "entity_mentions.parquet"),
                                    extra_dir=str(out)))
        seconds["entities"] = round(time.perf_counter() - t, 1)
    if "stories" in what:
        from marsad.scale.spark_stories import link_stories

        t = time.perf_counter()
        counts.update(link_stories(spark, df, str(out)))
        seconds["stories"] = round(time.perf_counter() - t, 1)
    done = [w for w in RESULTS if w in what or (w == "entities" and "stories" in what)]
    (out / MANIFEST).write_text(json.dumps({"input": str(Path(input_path).resolve()), "results": done,
                                            "counts": counts, "seconds": seconds}, indent=1), encoding="utf-8")
    return counts


def first_copies(df: Any) -> Any:
    """The articles (``_row``, id, published, url, text) ``marsad ingest``
    stores when they arrive in (published, id) order: the first of each id, then of each URL, then of each content
    hash (``Engine.duplicate_of``; a chain B ~ A by URL, C ~ B by hash keeps
    C here, as there)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    from marsad.model import content_hash

    df = df.withColumn("_hash", F.udf(lambda text: content_hash(text), StringType())("text"))
    order = (F.coalesce(F.col("published"), F.lit("")), F.col("id"), F.col("_row"))
    for key in ("id", "url", "_hash"):
        first = F.row_number().over(Window.partitionBy(key).orderBy(*order))
        df = df.withColumn("_r", F.when(F.col(key).isNull(), F.lit(1)).otherwise(first)).filter("_r = 1")
    return df.drop("_r", "_hash")


def _reuse(spark: Any, df: Any, output_path: str, index_dir: str | None = None) -> dict[str, int]:
    """Reuse passages of every candidate pair of an analysed archive (the
    first copies only: see ``first_copies``); with ``index_dir``, also the
    linker's index (``reuse_ids``, ``reuse_df``, ``reuse_words``) there."""
    from pyspark import StorageLevel
    from pyspark.sql.types import (ArrayType, BinaryType, DoubleType, IntegerType, LongType, StringType,
                                   StructField, StructType)

    keep = StorageLevel.MEMORY_AND_DISK
    arts = df.select("id", "published", "text").rdd.persist(keep)
    ranks = arts.map(lambda r: (r["published"] or "", r["id"])).sortBy(lambda k: k).zipWithIndex() \
        .map(lambda kv: (kv[0][1], kv[1]))  # (id, rank): arrival order
    # (rank, (id, published, packed words, text if they do not pack, shingles))
    recs = arts.map(lambda r: (r["id"], (r["published"], r["text"]))).join(ranks).mapPartitions(_article_words) \
        .persist(keep)
    # document frequencies and formulaic shingles, in one pass over (shingle, ranks)
    shingles = recs.flatMap(_held).groupByKey().flatMap(_df_and_formulas).persist(keep)
    masks = shingles.filter(lambda r: r[0] == "m").map(lambda r: r[1]).groupByKey()
    # (rank, (id, published, packed, text, band hashes, masked shingles))
    indexed = recs.leftOuterJoin(masks).mapPartitions(_bands).persist(keep)
    candidates = (indexed.flatMap(lambda kv: [(h, (kv[0], kv[1][0])) for h in kv[1][4]])
                  .groupByKey()
                  .flatMap(_pairs)
                  .reduceByKey(lambda a, b: a + b)
                  .map(lambda kv: (kv[0][0], (kv[0][1], kv[0][2], kv[1])))
                  .groupByKey()
                  .flatMap(_top))  # (new rank, old rank)
    pairs = (candidates.join(indexed)  # (new, (old, new article))
             .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
             .join(indexed))  # (old, ((new, new article), old article))
    schema = StructType([StructField("a_id", StringType()), StructField("a_start", IntegerType()),
                         StructField("a_end", IntegerType()), StructField("b_id", StringType()),
                         StructField("b_start", IntegerType()), StructField("b_end", IntegerType()),
                         StructField("similarity", DoubleType()), StructField("kind", StringType())])
    out = spark.createDataFrame(pairs.mapPartitions(_align), schema)
    out.write.mode("overwrite").parquet(output_path)
    res = spark.read.parquet(output_path)
    counts = {"passages": res.count(), "pairs": res.select("a_id", "b_id").distinct().count()}
    if index_dir is not None:
        spark.createDataFrame(indexed.map(lambda kv: (kv[1][0], kv[1][1], kv[1][4])),
                              StructType([StructField("article_id", StringType()),
                                          StructField("published", StringType()),
                                          StructField("bands", ArrayType(LongType()))])) \
            .write.mode("overwrite").parquet(f"{index_dir}/reuse_ids.parquet")
        spark.createDataFrame(shingles.filter(lambda r: r[0] == "d").map(lambda r: r[1]),
                              StructType([StructField("hash", LongType()), StructField("df", IntegerType())])) \
            .write.mode("overwrite").parquet(f"{index_dir}/reuse_df.parquet")
        spark.createDataFrame(indexed.filter(lambda kv: kv[1][2] is not None).map(lambda kv: (kv[1][0], kv[1][2])),
                              StructType([StructField("article_id", StringType()), StructField("data", BinaryType())])) \
            .write.mode("overwrite").parquet(f"{index_dir}/reuse_words.parquet")
    for d in (indexed, shingles, recs, arts):
        d.unpersist()
    return counts
