"""`marsad spark link`: text reuse over a whole archive in Spark.

The same stages as the incremental linker (marsad.link.reuse), with Spark
doing what the ``reuse_bands`` table does there:

1. per article (mapPartitions): words, shingles, MinHash windows, LSH band
   hashes — ``reuse.words`` and ``reuse.band_hashes``, the very functions the
   incremental linker calls;
2. candidates: articles sharing a band hash, grouped by hash; each article
   is paired with the *earlier* articles (by published, id) it shares
   buckets with, keeping the ``MAX_CANDIDATES`` with most shared buckets, as
   the incremental linker does when that article arrives;
3. alignment of each candidate pair (``reuse.align``), the same pair filters
   (``PAIR_MIN_WORDS``, near-duplicate coverage), written to Parquet with the
   columns of the ``reuse_passages`` table.

A result folder (``--what`` other than reuse alone) links the first copy of
each article only (``first_copies``: same id, URL or content hash, in
arrival order, as ``marsad ingest`` skips duplicates) and lists them in
``articles.parquet``; it also holds the reuse linker's index
(``reuse_ids``: band hashes per article; ``reuse_df``: shingle document
frequencies) for `marsad load`.

Difference: the incremental linker masks shingles that were already common
(in > 2% of the articles stored so far, once 200 are stored) — a quantity
that depends on arrival order.  Here no such mask is applied, so on archives
under 200 articles both paths give the same pairs (tested), and on larger
ones Spark may keep a few formulaic pairs the incremental linker drops.
"""
from __future__ import annotations

from typing import Any, Iterator

from marsad.scale.spark import session

PASSAGE_COLUMNS = ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "similarity", "kind")


def _bands(rows: Iterator[Any]) -> Iterator[tuple[int, tuple[str, str]]]:
    from marsad.link.reuse import band_hashes, words

    for r in rows:
        for _, h in band_hashes(words(r["text"])):
            yield h, (r["published"] or "", r["id"])


def _pairs(bucket: tuple[int, Any]) -> Iterator[tuple[tuple[str, str], int]]:
    members = sorted(set(bucket[1]))
    for i, new in enumerate(members):
        for old in members[:i]:
            yield (new[1], old[1]), 1


def _top(item: tuple[str, Any]) -> Iterator[tuple[str, str]]:
    from marsad.link.reuse import MAX_CANDIDATES

    new, olds = item
    for old, _ in sorted(olds, key=lambda x: -x[1])[:MAX_CANDIDATES]:
        yield new, old


def _align(rows: Iterator[Any]) -> Iterator[tuple]:
    from marsad.link.reuse import pair_passages, words

    for (new_id, new_text), (old_id, old_text) in rows:
        passages, kind = pair_passages(words(new_text), words(old_text))
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
        return _reuse(spark, df, output_path)
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
    """Reuse passages of every candidate pair of an analysed archive; with
    ``index_dir``, also the linker's index (``reuse_ids``, ``reuse_df``) there."""
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    arts = df.select("id", "published", "text")
    texts = arts.rdd.map(lambda r: (r["id"], r["text"]))
    candidates = (arts.rdd.mapPartitions(_bands)
                  .groupByKey()
                  .flatMap(_pairs)
                  .reduceByKey(lambda a, b: a + b)
                  .map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
                  .groupByKey()
                  .flatMap(_top))
    pairs = (candidates.join(texts)  # (new, (old, new_text))
             .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
             .join(texts)  # (old, ((new, new_text), old_text))
             .map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))))
    schema = StructType([StructField("a_id", StringType()), StructField("a_start", IntegerType()),
                         StructField("a_end", IntegerType()), StructField("b_id", StringType()),
                         StructField("b_start", IntegerType()), StructField("b_end", IntegerType()),
                         StructField("similarity", DoubleType()), StructField("kind", StringType())])
    out = spark.createDataFrame(pairs.mapPartitions(_align), schema)
    out.write.mode("overwrite").parquet(output_path)
    res = spark.read.parquet(output_path)
    counts = {"passages": res.count(), "pairs": res.select("a_id", "b_id").distinct().count()}
    if index_dir is not None:
        from pyspark.sql.types import ArrayType, LongType

        rows = arts.rdd.mapPartitions(_index_rows).cache()
        spark.createDataFrame(rows.filter(lambda r: r[0] == "i").map(lambda r: r[1]),
                              StructType([StructField("article_id", StringType()),
                                          StructField("published", StringType()),
                                          StructField("bands", ArrayType(LongType()))])) \
            .write.mode("overwrite").parquet(f"{index_dir}/reuse_ids.parquet")
        spark.createDataFrame(rows.filter(lambda r: r[0] == "d").map(lambda r: (r[1], 1))
                              .reduceByKey(lambda a, b: a + b),
                              StructType([StructField("hash", LongType()), StructField("df", IntegerType())])) \
            .write.mode("overwrite").parquet(f"{index_dir}/reuse_df.parquet")
        rows.unpersist()
    return counts


def _index_rows(rows: Iterator[Any]) -> Iterator[tuple]:
    """The reuse linker's index of each article: its band hashes (for
    ``reuse_ids`` / ``reuse_bands``) and its shingle hashes (``reuse_df``)."""
    from marsad.link.reuse import _sampled, _signed, band_hashes, words

    for r in rows:
        w = words(r["text"])
        yield "i", (r["id"], r["published"], sorted({h for _, h in band_hashes(w)}))
        for h in _signed(_sampled(w.shingles)):
            yield "d", h
