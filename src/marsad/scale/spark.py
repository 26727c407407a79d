"""Spark jobs for archives that outgrow one machine.

The per-article analysis is a pure function, so ``analyze`` maps it over
partitions (the pipeline — models included — is built once per partition,
never per record) and writes Parquet: the export-contract columns plus
``analysis``, the canonical JSON of the whole ``Analysis`` (without tokens),
which ``load`` turns back into analyses for a store without re-analysing.

``link`` computes reuse candidates over the whole archive with the same
MinHash signatures and bands as the incremental linker (marsad.link.reuse),
grouped in Spark instead of looked up in a table, then aligns each candidate
pair with the same alignment code, so both paths give the same pairs.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

from marsad.errors import ConfigError

OUTPUT_COLUMNS = ("id", "source", "url", "published", "title", "dateline", "text", "record", "analysis")


def analysis_json(analysis: Any) -> str:
    """Canonical JSON of an analysis without tokens: the form compared between
    the Spark path and the single-machine path."""
    d = analysis.to_dict()
    d.pop("tokens", None)
    return json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def analyse_records(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Analyse raw article records (id, source, published, title, text, url);
    a bad record yields a row with ``error`` set instead of failing the job."""
    from marsad.errors import InputError
    from marsad.export import article_record
    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline

    pipe = Pipeline()  # once per partition
    for r in rows:
        try:
            art = article_from_text(r.get("text") or "", id=str(r.get("id")), source=r.get("source"),
                                    published=r.get("published"), title=r.get("title"), url=r.get("url"))
        except InputError as e:
            yield {"id": str(r.get("id")), "error": str(e)}
            continue
        an = pipe(art)
        rec = article_record(an)
        yield {"id": art.id, "source": art.source, "url": art.url, "published": art.published,
               "title": art.title, "dateline": art.dateline, "text": art.text,
               "record": json.dumps(rec, ensure_ascii=False, sort_keys=True),
               "analysis": analysis_json(an), "error": None}


def session(master: str | None = None, app: str = "marsad") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise ConfigError("Spark support needs pyspark: pip install 'marsad[spark]' (and Java 17+)") from e
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ConfigError("Spark needs Java 17+: install it (scripts/install_java.sh) or set JAVA_HOME")
    # executors run the same interpreter (and so the same marsad) as the driver
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app)
               .master(master or os.environ.get("MARSAD_SPARK_MASTER", "local[*]"))
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.driver.memory", os.environ.get("MARSAD_SPARK_MEMORY", "2g"))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    return builder.getOrCreate()


def _read(spark: Any, path: str) -> Any:
    p = Path(path)
    if p.suffix == ".parquet" or (p.is_dir() and any(p.glob("*.parquet"))):
        return spark.read.parquet(path)
    return spark.read.json(path)


def analyze(input_path: str, output_path: str, *, master: str | None = None, partitions: int | None = None) -> dict[str, int]:
    """Analyse every article of a JSONL (or .jsonl.gz) / Parquet archive into Parquet."""
    from pyspark.sql.types import StringType, StructField, StructType

    spark = session(master)
    df = _read(spark, input_path)
    wanted = [c for c in ("id", "source", "url", "published", "title", "text") if c in df.columns]
    if "text" not in wanted or "id" not in wanted:
        raise ConfigError(f"{input_path}: records need at least 'id' and 'text' columns; found {df.columns}")
    df = df.select(*wanted)
    if partitions:
        df = df.repartition(partitions)
    schema = StructType([StructField(c, StringType()) for c in (*OUTPUT_COLUMNS, "error")])

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            rows = list(analyse_records(batch.to_pylist()))
            yield pa.RecordBatch.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in schema.names]))

    out = df.mapInArrow(run, schema)
    out.write.mode("overwrite").parquet(output_path)
    res = spark.read.parquet(output_path)
    counts = {"articles": res.filter("error IS NULL").count(), "rejected": res.filter("error IS NOT NULL").count()}
    return counts


def read_analyses(parquet_path: str) -> Iterator[Any]:
    """Analyses from the Parquet that ``analyze`` wrote (no Spark needed)."""
    import pyarrow.parquet as pq

    from marsad.model import Analysis

    table = pq.read_table(parquet_path, columns=["analysis", "error"])
    for batch in table.to_batches():
        for an, err in zip(batch.column("analysis").to_pylist(), batch.column("error").to_pylist()):
            if err is None and an:
                yield Analysis.from_dict(json.loads(an))


def load(parquet_path: str, db: str, *, batch_size: int = 500) -> int:
    """Store analysed Parquet into a database (linking as usual, no re-analysis)."""
    from marsad.engine import Engine

    n = 0
    with Engine(db) as engine:
        batch = []
        seen: set[str] = set()
        for an in read_analyses(parquet_path):
            if engine.duplicate_of(an.article, seen) is not None:
                continue
            batch.append(an)
            if len(batch) >= batch_size:
                engine.add_analyses(batch)
                n += len(batch)
                batch = []
        if batch:
            engine.add_analyses(batch)
            n += len(batch)
    return n
