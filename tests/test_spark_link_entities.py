"""Bulk entity linking in Spark groups mentions exactly as the incremental
linker does when the same articles are ingested into SQLite."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SHARED

pytestmark = pytest.mark.spark

SEEDS = SHARED / "seeds" / "seeds.jsonl"

# Our own articles: the seeds' people again, a typo of a name (سيرجي / سيرغي),
# a namesake that must stay apart (صدام حسين / فؤاد حسين), spelling variants
# of countries and a misspelt one (اغانستان).
OWN = [
    {"id": "own-1", "source": "test", "published": "2020-11-20",
     "text": "بغداد: استقبل وزير الخارجية العراقي فؤاد حسين اليوم السفير الأميركي في بغداد، "
             "وبحث الجانبان العلاقات بين العراق والولايات المتحدة.\n\n"
             "وقال حسين إن بلاده تريد علاقات متوازنة مع امريكا وروسيا."},
    {"id": "own-2", "source": "test", "published": "2020-11-21",
     "text": "موسكو: قال وزير الخارجية الروسي سيرجي لافروف إن روسيا مستعدة لدعم العراق.\n\n"
             "وأضاف لافروف أن العلاقات مع بغداد تحسنت كثيرا منذ سقوط نظام الرئيس الأسبق صدام حسين."},
    {"id": "own-3", "source": "test", "published": "2020-11-22",
     "text": "كابول: أعلنت منظمة الصحة العالمية الأحد وصول شحنة من اللقاحات إلى اغانستان.\n\n"
             "وقال الرئيس العراقي برهم صالح إن العراق سيرسل مساعدات إلى أفغانستان وإيران."},
    {"id": "own-4", "source": "test", "published": "2020-11-26",
     "text": "لندن: التقى الرئيس برهم صالح في بغداد وزير الدفاع البريطاني، وناقشا التعاون "
             "العسكري بين العراق وبريطانيا.\n\nوقال صالح إن العراق يقدر دعم المملكة المتحدة."},
]


def _partition(rows) -> set[frozenset]:
    groups: dict[str, set] = {}
    for eid, art, start, end in rows:
        groups.setdefault(eid, set()).add((art, start, end))
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (scripts/install_java.sh installs it)")
    if not SEEDS.exists():
        pytest.skip("seed articles not in ../shared/seeds")
    rows = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()] + OWN
    d = tmp_path_factory.mktemp("spark_entities")
    inp = d / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    from marsad.scale.spark import analyze
    from marsad.scale.spark_link import link

    analyze(str(inp), str(d / "analysed.parquet"), master="local[2]", partitions=2)
    counts = link(str(d / "analysed.parquet"), str(d / "linked"), master="local[2]", what="entities")
    return rows, d, counts


def test_bulk_entities_partition_mentions_as_the_incremental_linker(linked, tmp_path):
    import pyarrow.parquet as pq

    from marsad.engine import Engine
    from marsad.scale.spark import read_analyses

    rows, d, counts = linked
    # the same analyses (their identity with the local path is tests/test_spark.py's), linked incrementally
    analyses = sorted(read_analyses(str(d / "analysed.parquet")), key=lambda a: (a.article.published or "", a.article.id))
    with Engine(str(tmp_path / "inc.db"), workers=1) as e:
        e.add_analyses(analyses)
        incremental = e.store.query('SELECT entity_id, article_id, start, "end" FROM entity_mentions')
        inc_entities = {r["id"]: r for r in e.export("entities")}
    bulk = pq.read_table(d / "linked" / "entity_mentions.parquet").to_pylist()
    assert counts["entity_mentions"] == len(bulk) == len(incremental)
    assert _partition((r["entity_id"], r["article_id"], r["start"], r["end"]) for r in bulk) == \
        _partition(incremental)
    # the entities table agrees with the store's: canonical, type, counts, articles
    ents = pq.read_table(d / "linked" / "entities.parquet").to_pylist()
    assert counts["entities"] == len(ents) == len(inc_entities)
    by_members = {}
    for r in bulk:
        by_members.setdefault(r["entity_id"], set()).add((r["article_id"], r["start"]))
    inc_members = {}
    for eid, art, start, _ in incremental:
        inc_members.setdefault(eid, set()).add((art, start))
    inc_by_group = {frozenset(v): k for k, v in inc_members.items()}
    for ent in ents:
        inc = inc_entities[inc_by_group[frozenset(by_members[ent["id"]])]]
        assert (ent["canonical"], ent["type"], ent["mention_count"], ent["articles"], sorted(ent["aliases"])) == \
            (inc["canonical"], inc["type"], inc["mention_count"], inc["articles"], sorted(inc["aliases"]))


def test_bulk_entities_link_across_articles_and_keep_namesakes_apart(linked):
    import pyarrow.parquet as pq

    from marsad.link.entities import alias_key

    _, d, _ = linked
    ents = pq.read_table(d / "linked" / "entities.parquet").to_pylist()
    lavrov = [e for e in ents if e["type"] == "PER" and any("لافروف" in a for a in e["aliases"])]
    assert len(lavrov) == 1, [e["aliases"] for e in lavrov]
    # the seeds and own-2 (spelt سيرجي there) name him
    assert {"000_869a8ed862cadf55", "003_7ef351cf9e1796e6", "own-2"} <= set(lavrov[0]["articles"])
    fuad = [e for e in ents if alias_key("فؤاد حسين") in {alias_key(a) for a in e["aliases"]}]
    assert len(fuad) == 1
    assert alias_key("صدام حسين") not in {alias_key(a) for a in fuad[0]["aliases"]}
    assert "own-2" not in fuad[0]["articles"]


def test_link_rejects_unknown_results(tmp_path):
    pytest.importorskip("pyspark")
    from marsad.scale.spark_link import link

    with pytest.raises(ValueError):
        link(str(tmp_path / "none.parquet"), str(tmp_path / "out"), what="reuse,people")


def test_cli_link_what_is_checked_before_spark_starts(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    res = CliRunner().invoke(main, ["spark", "link", "--input", str(tmp_path / "x.parquet"),
                                    "--output", str(tmp_path / "out"), "--what", "reuse,people"])
    assert res.exit_code == 2 and "--what takes reuse, entities, stories" in res.output


def test_driver_components_are_the_label_propagation_components(linked):
    """The unit graph's components as labelled on the driver (the default)
    and by label propagation in Spark (the fallback for graphs too big for
    the driver): the same partition of the units, transitively joined."""
    from marsad.scale.spark import session
    from marsad.scale.spark_entities import _labelled, article_units, components, components_local, unit_tokens

    _, d, _ = linked
    spark = session("local[2]")
    sc = spark.sparkContext

    def both(edges, unit_ids):
        table = components_local(edges, 10**9)
        local = _labelled(((u, u) for u in unit_ids), *table)
        groups: dict = {}
        for label, u in local:
            groups.setdefault(label, set()).add(u)
        by_lp: dict = {}
        for u, label in components(spark, edges).collect():
            by_lp.setdefault(label, set()).add(u)
        alone = set(unit_ids) - {u for g in by_lp.values() for u in g}  # units sharing no token
        return {frozenset(g) for g in groups.values()}, {frozenset(g) for g in by_lp.values()} | {
            frozenset([u]) for u in alone}

    # a chain a - b - c through two tokens, d alone on its token, e twice on one token
    hand = sc.parallelize([("t1", "a"), ("t1", "b"), ("t2", "b"), ("t2", "c"), ("t3", "d"), ("t4", "e"), ("t4", "e")])
    local, lp = both(hand, ["a", "b", "c", "d", "e"])
    assert local == lp == {frozenset("abc"), frozenset("d"), frozenset("e")}
    assert components_local(hand, 0) is None  # too many edges for the driver: the caller falls back

    units = spark.read.parquet(str(d / "analysed.parquet")).filter("error IS NULL").select("analysis").rdd \
        .mapPartitions(article_units).cache()
    edges = units.flatMap(lambda kv: [(t, kv[0]) for t in unit_tokens(kv[1][1])])
    local, lp = both(edges, units.keys().collect())
    assert local == lp
    assert any(len(g) > 2 for g in local)  # names met across articles
    units.unpersist()
