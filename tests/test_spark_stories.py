"""Bulk events and stories in Spark, and `marsad load` of a whole bulk
result: the same tables as the incremental linkers when the same articles
are ingested in arrival order (published, id)."""
from __future__ import annotations

import json
import os
import shutil
import uuid

import pytest

from tests.conftest import SHARED
from tests.test_spark_link_entities import OWN

pytestmark = pytest.mark.spark

SEEDS = SHARED / "seeds" / "seeds.jsonl"

# Our own articles: a visit announced (st-1), reported by two sources (st-2,
# st-3), followed up (st-4); two football matches (one undated) apart from it.
OWN_STORIES = [
    {"id": "st-1", "source": "test", "published": "2020-11-20",
     "text": "بغداد: أعلنت وزارة الخارجية العراقية أن الوزير فؤاد حسين سيزور موسكو الأسبوع المقبل "
             "لبحث التعاون الاقتصادي والطاقة مع روسيا وتوقيع اتفاقيات في مجال النفط والكهرباء.\n\n"
             "وقال المتحدث باسم الوزارة إن الزيارة ستتناول ملفات النفط والكهرباء والاستثمار."},
    {"id": "st-2", "source": "test", "published": "2020-11-26",
     "text": "موسكو: وصل وزير الخارجية العراقي فؤاد حسين إلى موسكو والتقى نظيره الروسي سيرغي لافروف، "
             "وبحث الجانبان التعاون الاقتصادي والطاقة وتوقيع اتفاقيات في مجال النفط والكهرباء.\n\n"
             "وقال حسين إن الزيارة تناولت ملفات النفط والكهرباء والاستثمار بين العراق وروسيا."},
    {"id": "st-3", "source": "other", "published": "2020-11-26",
     "text": "موسكو: التقى وزير الخارجية الروسي سيرغي لافروف نظيره العراقي فؤاد حسين في موسكو، "
             "وناقش الوزيران التعاون في مجال النفط والكهرباء والاستثمار بين روسيا والعراق.\n\n"
             "وأضاف لافروف أن روسيا مستعدة لتوقيع اتفاقيات جديدة في مجال الطاقة."},
    {"id": "st-4", "source": "test", "published": "2020-11-28",
     "text": "بغداد: عاد وزير الخارجية العراقي فؤاد حسين من موسكو بعد زيارة بحث فيها النفط والكهرباء "
             "والاستثمار مع روسيا.\n\nوقال مسؤولون إن الاتفاقيات في مجال الطاقة ستعرض على البرلمان."},
    {"id": "st-5", "source": "sport", "published": "2020-11-26",
     "text": "الدوحة: فاز نادي السد على نادي الريان بثلاثة أهداف مقابل هدف في مباراة الدوري القطري لكرة القدم.\n\n"
             "وسجل المهاجم هدفين في الشوط الثاني أمام جمهور كبير في الملعب."},
    {"id": "st-6", "source": "sport",
     "text": "الدوحة: تعادل نادي السد مع نادي الريان في مباراة الدوري القطري لكرة القدم بهدف لمثله.\n\n"
             "وسجل المهاجم هدف السد في الشوط الثاني أمام جمهور الملعب."},
]

LINKER_TABLES = {
    "entities": ("id", "canonical", "type", "country", "qid", "mention_count", "first_seen", "last_seen"),
    "entity_aliases": ("entity_id", "alias_key", "alias"),
    "entity_blocks": ("block", "entity_id", "alias_key"),
    "entity_titles": ("entity_id", "title", "article_id", "published"),
    "entity_mentions": ("entity_id", "article_id", "start", "end", "text", "kind"),
    "events": ("id", "type", "mode", "date", "place", "source_actor", "target_actor", "first_reported",
               "last_reported", "reports", "event_mode", "family", "actors"),
    "event_mentions": ("event_id", "article_id", "start", "end", "trigger", "mode", "date", "trigger_start",
                       "published"),
    "event_keys": ("type", "akey", "day", "event_id"),
    "stories": ("id", "title", "first_published", "last_published", "size"),
    "story_articles": ("story_id", "article_id", "published", "score", "centrality"),
    "story_links": ("story_id", "from_id", "to_id", "kind"),
    "story_vectors": ("article_id", "story_id", "day", "title", "vector", "entities", "events", "announces",
                      "reports"),
    "story_index": ("term", "day", "article_id"),
    "story_df": ("term", "df"),
    "story_meta": ("key", "value"),
    "reuse_passages": ("a_id", "a_start", "a_end", "b_id", "b_start", "b_end", "similarity", "kind"),
    "reuse_ids": ("n", "article_id", "bands"),
    "reuse_words": ("n", "data"),
    "reuse_bands": ("hash", "n"),
    "reuse_df": ("hash", "df"),
    "reuse_meta": ("key", "value"),
}
BULK_TABLES = ("events", "event_mentions", "event_keys", "stories", "story_articles", "story_links",
               "story_vectors", "story_index", "story_df")


def _key(row):
    return tuple((v is None, round(v, 9) if isinstance(v, float) else (v if v is not None else 0)) for v in row)


def table(store, name, cols=None):
    cols = cols or LINKER_TABLES[name]
    q = ", ".join(f'"{c}"' for c in cols)
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r)
                   for r in store.query(f"SELECT {q} FROM {name}")), key=_key)


def parquet_table(path, cols):
    import pyarrow.parquet as pq

    return sorted((tuple(round(r[c], 9) if isinstance(r[c], float) else r[c] for c in cols)
                   for r in pq.read_table(path).to_pylist()), key=_key)


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    """The seeds and our own articles analysed and linked in Spark, and the
    same analyses ingested incrementally in arrival order into SQLite."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (scripts/install_java.sh installs it)")
    if not SEEDS.exists():
        pytest.skip("seed articles not in ../shared/seeds")
    rows = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows += OWN + OWN_STORIES
    d = tmp_path_factory.mktemp("spark_stories")
    inp = d / "in.jsonl"
    inp.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    from marsad.engine import Engine
    from marsad.scale.spark import analyze, read_analyses
    from marsad.scale.spark_link import link

    analyze(str(inp), str(d / "analysed.parquet"), master="local[2]", partitions=2)
    counts = link(str(d / "analysed.parquet"), str(d / "linked"), master="local[2]",
                  what="reuse,entities,stories")
    analyses = sorted(read_analyses(str(d / "analysed.parquet")),
                      key=lambda a: (a.article.published or "", a.article.id))
    inc = str(d / "incremental.db")
    with Engine(inc, workers=1) as e:
        e.add_analyses(analyses[:9])  # two batches: linking carries over from one to the next
        e.add_analyses(analyses[9:])
    return d, counts, inc


def test_bulk_events_and_stories_are_the_incremental_tables(bulk):
    from marsad.store import open_store

    d, counts, inc = bulk
    store = open_store(inc)
    try:
        for name in BULK_TABLES:
            cols = LINKER_TABLES[name]
            expected = table(store, name)
            assert expected, name  # every table has rows on these articles
            assert parquet_table(d / "linked" / f"{name}.parquet", cols) == expected, name
            assert counts[name] == len(expected)
    finally:
        store.close()


def test_bulk_stories_thread_the_visit_and_keep_football_apart(bulk):
    import pyarrow.parquet as pq

    d, _, _ = bulk
    story = {r["article_id"]: r["story_id"] for r in pq.read_table(d / "linked" / "story_articles.parquet").to_pylist()}
    assert story["st-2"] == story["st-3"] == story["st-4"]
    assert story["st-5"] != story["st-2"] and story["st-6"] != story["st-2"]
    links = {(r["from_id"], r["to_id"]): r["kind"] for r in pq.read_table(d / "linked" / "story_links.parquet").to_pylist()}
    assert links.get(("st-2", "st-3")) == "same_event" or links.get(("st-3", "st-2")) == "same_event"


def _engine_tables(store):
    out = {name: table(store, name) for name in LINKER_TABLES}
    out["articles"] = sorted((aid, json.dumps(store.get_analysis(aid).to_dict(), sort_keys=True, ensure_ascii=False))
                             for aid in store.article_ids())
    return out


def test_load_sqlite_gives_the_incremental_database(bulk, tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.store import open_store

    d, _, inc = bulk
    db = str(tmp_path / "loaded.db")
    runner = CliRunner()
    res = runner.invoke(main, ["load", str(d / "linked"), "--db", db])
    assert res.exit_code == 0, res.output
    loaded, expected = open_store(db), open_store(inc)
    try:
        got, want = _engine_tables(loaded), _engine_tables(expected)
        for name in LINKER_TABLES:
            assert got[name] == want[name], name
        assert got["reuse_words"] and got["reuse_passages"]
        assert got["articles"] == want["articles"]
    finally:
        loaded.close()
        expected.close()
    # the surfaces read the loaded database as the ingested one
    for args in (["export", "--format", "jsonl"], ["export", "--what", "stories", "--format", "jsonl"],
                 ["export", "--what", "entities", "--format", "jsonl"], ["stories"], ["reuse", "000_869a8ed862cadf55"],
                 ["search", "موسكو"], ["search", "الأمريكي"]):
        a, b = runner.invoke(main, [*args, "--db", db]), runner.invoke(main, [*args, "--db", inc])
        assert a.exit_code == 0 and b.exit_code == 0, (args, a.output, b.output)
        assert a.output == b.output, args
    # loading again adds nothing
    res = runner.invoke(main, ["load", str(d / "linked"), "--db", db])
    assert res.exit_code == 0 and "nothing added" in res.output
    s = open_store(db)
    try:
        assert s.count() == len(got["articles"])
        assert table(s, "story_links") == got["story_links"]
    finally:
        s.close()


def test_load_refuses_an_incomplete_folder_and_a_foreign_database(bulk, tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    d, _, inc = bulk
    part = tmp_path / "part"
    shutil.copytree(d / "linked", part)
    shutil.rmtree(part / "story_links.parquet")
    res = CliRunner().invoke(main, ["load", str(part), "--db", str(tmp_path / "x.db")])
    assert res.exit_code != 0 and "missing story_links.parquet" in res.output
    assert "--what reuse,entities,stories" in res.output
    # a database with other articles: the bulk result never saw them
    other = tmp_path / "other.db"
    shutil.copy(inc, other)
    from marsad.store import open_store

    s = open_store(str(other))
    s.execute("DELETE FROM articles WHERE id='st-6'")
    s.close()
    res = CliRunner().invoke(main, ["load", str(d / "linked"), "--db", str(other)])
    assert res.exit_code != 0 and "empty database" in res.output


@pytest.mark.skipif(not os.environ.get("MARSAD_TEST_PG"), reason="MARSAD_TEST_PG names no PostgreSQL server")
def test_load_postgres_gives_the_incremental_database(bulk):
    from marsad.engine import Engine
    from marsad.scale.load import load_folder
    from marsad.store import open_store
    from marsad.store.postgres import PostgresStore

    d, _, inc = bulk
    url = os.environ["MARSAD_TEST_PG"]
    schema = f"l_{uuid.uuid4().hex[:10]}"
    counts = load_folder(d / "linked", PostgresStore(url, schema=schema))
    pg = PostgresStore(url, schema=schema)
    expected = open_store(inc)
    try:
        got, want = _engine_tables(pg), _engine_tables(expected)
        for name in LINKER_TABLES:
            assert got[name] == want[name], name
        assert got["articles"] == want["articles"]
        assert counts["articles"] == len(want["articles"])
        assert load_folder(d / "linked", PostgresStore(url, schema=schema)) == {"articles": 0}
        e_pg, e_inc = Engine(pg), Engine(expected)
        # (row order and ranking are the backends' own: compared as sets)
        def rows(engine, what):
            return sorted(json.dumps({k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in r.items()},
                                     sort_keys=True, ensure_ascii=False) for r in engine.export(what))

        for what in ("articles", "stories", "entities", "events", "reuse"):
            assert rows(e_pg, what) == rows(e_inc, what), what
        assert {h.article_id for h in e_pg.search("موسكو").hits} == {h.article_id for h in e_inc.search("موسكو").hits}
    finally:
        pg.drop_schema()
        pg.close()
        expected.close()


def _later_articles():
    """Two later articles (our own text) copying passages of the loaded ones."""
    from marsad.ingest.files import article_from_text

    visit, talks = OWN_STORIES[1]["text"], OWN_STORIES[2]["text"]
    return [
        article_from_text(visit + "\n\nوفي سياق متصل قال محللون إن الزيارة قد تفتح الباب أمام استثمارات روسية "
                          "جديدة في قطاع الكهرباء العراقي خلال العام المقبل.",
                          id="st-7", source="copy", published="2020-11-29"),
        article_from_text(talks.split("\n\n")[0] + "\n\nوقالت مصادر دبلوماسية إن الوزيرين اتفقا على لقاء "
                          "جديد في بغداد قبل نهاية العام لمتابعة ما تم الاتفاق عليه.",
                          id="st-8", source="copy", published="2020-11-30"),
    ]


@pytest.mark.parametrize("with_words", [True, False], ids=["reuse_words loaded", "reuse_words filled lazily"])
def test_a_loaded_database_links_later_articles_as_the_incremental_one(bulk, tmp_path, with_words):
    """Bulk-load, then `marsad ingest` more: the same tables as ingesting
    everything incrementally -- whether the folder holds ``reuse_words``
    (loaded) or not (a folder from before it did: the reuse linker then
    fills it from the articles' text as candidates come up)."""
    from marsad.engine import Engine
    from marsad.scale.load import load_folder
    from marsad.store import open_store

    d, _, inc = bulk
    folder = d / "linked"
    if not with_words:
        folder = tmp_path / "linked"
        shutil.copytree(d / "linked", folder)
        shutil.rmtree(folder / "reuse_words.parquet")
    loaded, incremental = tmp_path / "loaded.db", tmp_path / "incremental.db"
    load_folder(folder, str(loaded))
    shutil.copy(inc, incremental)
    s = open_store(str(loaded))
    try:
        assert bool(table(s, "reuse_words")) == with_words
    finally:
        s.close()
    for db in (loaded, incremental):
        with Engine(str(db), workers=1) as e:
            e.add(_later_articles())
    got_s, want_s = open_store(str(loaded)), open_store(str(incremental))
    try:
        got, want = _engine_tables(got_s), _engine_tables(want_s)
    finally:
        got_s.close()
        want_s.close()
    pairs = {(r[0], r[3]) for r in want["reuse_passages"]}
    assert ("st-2", "st-7") in pairs and ("st-3", "st-8") in pairs  # the copies were found
    for name in LINKER_TABLES:
        if name == "reuse_words" and not with_words:  # filled for the candidates met since, as they were met
            assert set(got[name]) < set(want[name]) and {"st-2", "st-3"} <= {
                aid for n, aid, _ in got["reuse_ids"] if n in {r[0] for r in got[name]}}
            continue
        assert got[name] == want[name], name
    assert got["articles"] == want["articles"]
