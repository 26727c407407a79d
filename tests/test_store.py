"""The store interface, run against every backend marsad has: SQLite always,
PostgreSQL when MARSAD_TEST_PG names a server (scripts/test.sh starts one)."""
from __future__ import annotations

import os
import uuid

import pytest

from marsad.model import Article
from marsad.pipeline import Pipeline
from marsad.store import SearchQuery, open_store
from marsad.store.base import Schema

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("MARSAD_TEST_PG") else [])

TEXT_A = "زار وزير الخارجية الأميركي بغداد اليوم وبحث مع نظيره العراقي الوضع في سوريا وإيران."
TEXT_B = "عقد مؤتمر اقتصادي في القاهرة بمشاركة شركات من الإمارات والسعودية لبحث الاستثمار."


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(str(tmp_path / "s.db"))
    else:
        from marsad.store.postgres import PostgresStore

        s = PostgresStore(os.environ["MARSAD_TEST_PG"], schema=f"t_{uuid.uuid4().hex[:10]}")
    yield s
    if request.param == "postgres":
        s.drop_schema()
    s.close()


def _analysis(aid, text, **kw):
    return Pipeline(names=["tokens", "sentences"])(Article(id=aid, text=text, **kw))


def test_put_get_round_trip(store):
    a = _analysis("a1", TEXT_A, source="Test", published="2020-11-19", title="زيارة")
    store.put(a)
    got = store.get_analysis("a1")
    assert got is not None
    assert got.article == a.article
    assert got.sentences == a.sentences
    assert store.get_article("missing") is None
    assert store.count() == 1


def test_find_existing_by_id_url_and_content(store):
    store.put(_analysis("a1", TEXT_A, url="https://example.com/1"))
    assert store.find_existing(Article(id="a1", text="x")) == "a1"
    assert store.find_existing(Article(id="other", text="y", url="https://example.com/1")) == "a1"
    assert store.find_existing(Article(id="other", text=TEXT_A + "  ")) == "a1"  # white space folded
    assert store.find_existing(Article(id="new", text=TEXT_B)) is None


def test_put_replaces_and_reindexes(store):
    store.put(_analysis("a1", TEXT_A))
    store.put(_analysis("a1", TEXT_B))
    assert store.count() == 1
    assert store.search(SearchQuery(text="القاهرة"))[1] == 1
    assert store.search(SearchQuery(text="بغداد"))[1] == 0


def test_transaction_rolls_back_everything(store):
    store.put(_analysis("a1", TEXT_A))
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put(_analysis("a2", TEXT_B))
            raise RuntimeError("crash in the middle of a batch")
    assert store.count() == 1
    assert store.get_article("a2") is None
    assert store.search(SearchQuery(text="القاهرة"))[1] == 0


@pytest.mark.parametrize("query", ["الأمريكي", "الاميركي", "ايران", "إيران", "وإيران", "العِراقي", "نظيرة"])
def test_search_folds_spelling(store, query):
    store.put(_analysis("a1", TEXT_A))
    store.put(_analysis("b1", TEXT_B))
    hits, total = store.search(SearchQuery(text=query))
    assert total == 1 and hits[0].article_id == "a1"
    # the snippet highlights the word as the article spells it
    a, b = hits[0].highlights[0]
    assert hits[0].snippet[a:b] in TEXT_A


@pytest.mark.parametrize("query", ["' OR 1=1 --", '"', 'NEAR(', "بغداد\" OR \"", "*", "); DROP TABLE articles; --"])
def test_search_input_is_never_syntax(store, query):
    store.put(_analysis("a1", TEXT_A))
    hits, total = store.search(SearchQuery(text=query))
    assert isinstance(total, int)
    assert store.count() == 1


def test_search_filters_and_pagination(store):
    for i in range(5):
        store.put(_analysis(f"a{i}", TEXT_A + f" رقم {i}", source="S1" if i % 2 else "S2",
                            published=f"2020-11-1{i}"))
    assert store.search(SearchQuery(text="بغداد"))[1] == 5
    assert store.search(SearchQuery(text="بغداد", source="S1"))[1] == 2
    assert store.search(SearchQuery(text="بغداد", date_from="2020-11-12", date_to="2020-11-13"))[1] == 2
    page = store.search(SearchQuery(text="بغداد", limit=2, offset=4))[0]
    assert len(page) == 1
    assert store.article_ids(source="S2") == ["a0", "a2", "a4"]


def test_linker_schema_is_created_once_and_usable(store):
    schema = Schema("probe", 1, ("CREATE TABLE IF NOT EXISTS probe_items (k TEXT PRIMARY KEY, v INTEGER)",))
    store.ensure_schema(schema)
    store.ensure_schema(schema)
    with store.transaction():
        store.executemany("INSERT INTO probe_items(k, v) VALUES (?, ?)", [("a", 1), ("b", 2)])
    assert sorted(store.query("SELECT k, v FROM probe_items WHERE v >= ?", (1,))) == [("a", 1), ("b", 2)]


def test_stats(store):
    store.put(_analysis("a1", TEXT_A, source="Elaph", published="2020-11-19"))
    s = store.stats()
    assert s["articles"] == 1 and s["sources"] == {"Elaph": 1}


def test_executemany_inserts_and_upserts_in_bulk(store):
    """Many rows in one call (PostgreSQL: multi-row statements), upserts whose
    keys repeat within the batch included, WITHOUT ROWID tables too."""
    store.ensure_schema(Schema("bulk_test", 1, (
        "CREATE TABLE IF NOT EXISTS bulk_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS bulk_pairs (h INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (h, n)) "
        "WITHOUT ROWID",
    )))
    words = [f"كلمة{i}" for i in range(2500)]
    upsert = "INSERT INTO bulk_df(term, df) VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET df = bulk_df.df + 1"
    with store.transaction():
        store.executemany(upsert, [(w,) for w in words])
        store.executemany(upsert, [(w,) for w in words[:10]] * 2)  # a key twice in one batch
        store.executemany("INSERT INTO bulk_pairs(h, n) VALUES (?,?)", [(-(2**62) + i, i % 7) for i in range(2100)])
    assert store.query("SELECT COUNT(*), SUM(df) FROM bulk_df")[0] == (2500, 2520)
    assert store.query("SELECT df FROM bulk_df WHERE term=?", ("كلمة3",))[0][0] == 3
    assert store.query("SELECT COUNT(*), MIN(h) FROM bulk_pairs")[0] == (2100, -(2**62))


def test_put_many_stores_as_put_each(store):
    """Several articles in one call (PostgreSQL: one DELETE and one multi-row
    INSERT): searchable, readable, replacing by id; an id twice keeps the last."""
    store.put(_analysis("a1", TEXT_B))
    with store.transaction():
        store.put_many([_analysis("a1", TEXT_A, title="زيارة"), _analysis("a2", TEXT_B, source="Test"),
                        _analysis("a3", TEXT_B + " أمس"), _analysis("a3", TEXT_A)])
    assert store.count() == 3
    assert store.get_analysis("a1").article.title == "زيارة"
    assert store.get_article("a3").text == TEXT_A
    assert sorted(h.article_id for h in store.search(SearchQuery(text="بغداد"))[0]) == ["a1", "a3"]
    assert [h.article_id for h in store.search(SearchQuery(text="القاهرة"))[0]] == ["a2"]
    store.put_many([])
    assert store.count() == 3


def test_any_of_matches_listed_values(store):
    """``any_of``: IN (?, ...) on SQLite, one array parameter on PostgreSQL;
    64-bit integers and Arabic text alike."""
    store.ensure_schema(Schema("any_test", 1, (
        "CREATE TABLE IF NOT EXISTS any_t (h INTEGER NOT NULL, term TEXT NOT NULL)",)))
    store.executemany("INSERT INTO any_t(h, term) VALUES (?,?)",
                      [(-(2**63) + 5, "بغداد"), (7, "القاهرة"), (2**62, "عمان")])
    cond, params = store.any_of("h", [7, -(2**63) + 5, 99])
    assert sorted(r[0] for r in store.query(f"SELECT term FROM any_t WHERE {cond}", params)) == ["القاهرة", "بغداد"]
    cond, params = store.any_of("term", ["عمان"])
    assert store.query(f"SELECT h FROM any_t WHERE {cond} AND h > ?", [*params, 0]) == [(2**62,)]


def test_find_existing_many_is_find_existing_each(store):
    store.put(_analysis("a1", TEXT_A, url="https://example.com/1"))
    store.put(_analysis("a2", TEXT_B))
    asked = [Article(id="a1", text="x"), Article(id="o1", text="y", url="https://example.com/1"),
             Article(id="o2", text=TEXT_B + " "), Article(id="new", text="نص جديد لم يخزن من قبل"),
             Article(id="a2", text=TEXT_A, url="https://example.com/1")]
    assert store.find_existing_many(asked) == [store.find_existing(a) for a in asked] == ["a1", "a1", "a2", None, "a2"]
    assert store.find_existing_many([]) == []
