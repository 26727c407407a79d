"""The Spark path gives the same per-article analysis as the single-machine
path, byte for byte, and its Parquet loads into a store."""
from __future__ import annotations

import gzip
import json
import shutil

import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.spark

N = 120


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (scripts/install_java.sh installs it)")
    src = DATA / "ant" / "ant-2018-05.jsonl.gz"
    if not src.exists():
        pytest.skip("ANT corpus not in ../shared/data")
    d = tmp_path_factory.mktemp("spark")
    rows = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == N:
                break
    rows.append({"id": "empty-one", "text": "   "})  # a bad record must not fail the job
    inp = d / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    from marsad.scale.spark import analyze

    counts = analyze(str(inp), str(d / "out.parquet"), master="local[2]", partitions=3)
    return rows, d / "out.parquet", counts


def test_spark_counts(archive):
    _, _, counts = archive
    assert counts == {"articles": N, "rejected": 1}


def test_spark_analysis_is_byte_identical_to_local(archive):
    import pyarrow.parquet as pq

    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline
    from marsad.scale.spark import analysis_json

    rows, out, _ = archive
    got = {r["id"]: r["analysis"] for r in pq.read_table(out, columns=["id", "analysis", "error"]).to_pylist()
           if r["error"] is None}
    pipe = Pipeline()
    for r in rows[:N:7]:  # a sample
        art = article_from_text(r["text"], id=r["id"], source=r.get("source"), published=r.get("published"),
                                title=r.get("title"), url=r.get("url"))
        assert got[r["id"]] == analysis_json(pipe(art))


def test_load_parquet_into_sqlite(archive, tmp_path):
    from marsad.engine import Engine
    from marsad.scale.spark import load

    from marsad.model import content_hash

    rows, out, _ = archive
    # ANT files some articles twice (two categories, one URL): stored once
    seen, unique = set(), 0
    for r in rows[:N]:
        keys = {"u" + (r.get("url") or r["id"]), "h" + content_hash(r["text"])}
        unique += not (keys & seen)
        seen |= keys
    db = str(tmp_path / "loaded.db")
    assert load(str(out), db) == unique
    assert load(str(out), db) == 0  # idempotent
    with Engine(db) as e:
        assert e.store.count() == unique


def test_spark_reuse_pairs_match_the_incremental_linker(tmp_path):
    """Same input, both paths: the same article pairs and passages -- on a
    sample large enough (over the 200 articles from which the incremental
    linker masks formulaic shingles) for that mask to change the result."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH")
    import pyarrow as pa
    import pyarrow.parquet as pq

    import marsad.link.reuse as reuse
    from marsad.engine import Engine
    from marsad.ingest.files import article_from_text
    from marsad.pipeline import Pipeline
    from marsad.scale.spark_link import link
    from marsad.store.sqlite import SQLiteStore

    src = DATA / "ant" / "ant-2018-05.jsonl.gz"
    if not src.exists():
        pytest.skip("ANT corpus not in ../shared/data")
    rows = []
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"].startswith("CN-") and r["text"].strip():  # one outlet: its own formulas recur
                rows.append(r)
    rows.sort(key=lambda r: (r["published"], r["id"]))
    arts, seen = [], set()
    for r in rows[:600]:
        a = article_from_text(r["text"], id=r["id"], published=r["published"], url=r.get("url"))
        if not {a.content_hash, a.url} & seen:
            seen |= {a.content_hash, a.url}
            arts.append(a)
    assert len(arts) > reuse.DF_MIN_ARTICLES + 300

    def passages(export):
        return {(*tuple(r.values())[:6], round(r["similarity"], 4), r["kind"]) for r in export}

    with Engine(str(tmp_path / "inc.db"), pipeline=Pipeline(names=["tokens", "sentences"]),
                linkers=[reuse.ReuseLinker()], workers=1, batch_size=1000) as e:
        e.add(arts)
        incremental = passages(e.export("reuse"))
    # the same articles without the formula mask: a different result, so the sample exercises it
    store = SQLiteStore(":memory:")
    linker = reuse.ReuseLinker()
    store.ensure_schema(linker.schema)
    old = reuse.DF_MIN_ARTICLES
    reuse.DF_MIN_ARTICLES = 10**9
    try:
        with store.transaction():
            for a in arts:
                linker._texts[a.id] = a.text
                linker.link_one(store, a.id, a.text)
    finally:
        reuse.DF_MIN_ARTICLES = old
    unmasked = passages(linker.export(store, "reuse"))
    assert incremental, "this sample of ANT is expected to hold copy reused across articles"
    assert unmasked - incremental, "formulaic shingles are expected to make passages here"

    pq.write_table(pa.Table.from_pylist([{"id": a.id, "published": a.published, "text": a.text} for a in arts]),
                   tmp_path / "arts.parquet")
    counts = link(str(tmp_path / "arts.parquet"), str(tmp_path / "reuse.parquet"), master="local[2]")
    spark_rows = pq.read_table(tmp_path / "reuse.parquet").to_pylist()
    spark = passages(spark_rows)
    assert spark == incremental
    assert counts["passages"] == len(spark_rows) == len(incremental)
    assert counts["pairs"] == len({(r[0], r[3]) for r in incremental})
