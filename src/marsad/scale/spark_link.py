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


RESULTS = ("reuse", "entities")


def link(input_path: str, output_path: str, *, master: str | None = None,
         what: tuple[str, ...] | str = ("reuse",)) -> dict[str, int]:
    """Link an analysed archive.  ``what`` = ("reuse",) (the default) writes
    the reuse passages to ``output_path``; otherwise ``output_path`` is a
    folder with one Parquet per result: ``reuse.parquet``,
    ``entities.parquet`` and ``entity_mentions.parquet``."""
    from pathlib import Path

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
    counts: dict[str, int] = {}
    if "reuse" in what:
        counts.update(_reuse(spark, df, str(out / "reuse.parquet")))
    if "entities" in what:
        from marsad.scale.spark_entities import link_entities

        counts.update(link_entities(spark, df, str(out / "entities.parquet"), str(out / "entity_mentions.parquet")))
    return counts


def _reuse(spark: Any, df: Any, output_path: str) -> dict[str, int]:
    """Reuse passages of every candidate pair of an analysed archive."""
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
    return {"passages": res.count(), "pairs": res.select("a_id", "b_id").distinct().count()}
