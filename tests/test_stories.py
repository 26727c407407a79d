"""Story clustering and threading (marsad.link.stories) on the seeds and on
articles of our own on unrelated subjects (tests/data/stories_unrelated.jsonl)."""
from __future__ import annotations


import pytest
from click.testing import CliRunner

from marsad.engine import Engine
from marsad.ingest.files import article_from_text
from marsad.link.stories import StoriesLinker, get_story, list_stories

from tests.linking import A000, A003, link_engine, own_articles


@pytest.fixture(scope="module")
def db(tmp_path_factory, seed_articles):
    path = str(tmp_path_factory.mktemp("stories") / "t.db")
    with link_engine(path) as e:
        e.add([seed_articles[A003]] + own_articles()[:2])
        e.add([seed_articles[A000]] + own_articles()[2:])
    return path


@pytest.fixture
def eng(db):
    with link_engine(db) as e:
        yield e


def story_of(eng, aid):
    return eng.article_record(aid)["story_id"]


def test_seeds_in_one_story_announcement_then_report(eng):
    sid = story_of(eng, A003)
    assert sid is not None and sid == story_of(eng, A000)
    story = get_story(eng.store, sid)
    assert [a["id"] for a in story["articles"]] == [A003, A000]  # timeline order
    assert {"from": A003, "to": A000, "kind": "announcement_report"} in story["links"]
    assert story["first_published"] == "2020-11-19" and story["last_published"] == "2020-11-26"
    # the story shows the passages its articles share
    assert any({r["a_id"], r["b_id"]} == {A000, A003} for r in story["reuse"])


def test_unrelated_articles_form_their_own_stories(eng):
    seeds_story = story_of(eng, A003)
    ids = {a.id: story_of(eng, a.id) for a in own_articles()}
    assert seeds_story not in ids.values()
    assert ids["own_sport_1"] == ids["own_sport_2"]  # one match, two articles
    assert len({ids["own_sport_1"], ids["own_weather_1"], ids["own_tech_1"]}) == 3
    sport = get_story(eng.store, ids["own_sport_1"])
    assert sport["links"] == [{"from": "own_sport_1", "to": "own_sport_2", "kind": "same_event"}]


def test_story_listing_and_stats(eng):
    stories = list_stories(eng.store, limit=10)
    assert len(stories) == eng.stats()["stories"] == 4
    assert sum(s["size"] for s in stories) == 6
    seeds = next(s for s in stories if s["id"] == story_of(eng, A003))
    assert seeds["size"] == 2 and seeds["title"]
    assert list_stories(eng.store, limit=1, offset=1) == stories[1:2]
    exported = list(eng.export("stories"))
    assert {s["id"] for s in exported} == {s["id"] for s in stories}


def test_time_window(tmp_path, seed_articles):
    """The same subject two months later is another story."""
    late = seed_articles[A000]
    late = article_from_text("تقرير: " + late.text, id="late_000", published="2021-01-30")
    with link_engine(str(tmp_path / "t.db")) as e:
        e.add([seed_articles[A000]])
        e.add([late])
        assert story_of(e, A000) != story_of(e, "late_000")
    with link_engine(str(tmp_path / "w.db"), linkers=[StoriesLinker(window_days=90)]) as e:
        e.add([seed_articles[A000]])
        e.add([late])
        assert story_of(e, A000) == story_of(e, "late_000")


def test_idempotent(eng, seed_articles):
    counts = lambda: [eng.store.query(f"SELECT COUNT(*) FROM {t}")[0][0]  # noqa: E731
                      for t in ("stories", "story_articles", "story_links", "story_index")]
    before = counts()
    eng.add([seed_articles[A000]])  # linked again, as with `ingest --force`
    assert counts() == before


def test_cli(db):
    from marsad.cli import main

    runner = CliRunner()
    res = runner.invoke(main, ["stories", "--db", db])
    assert res.exit_code == 0, res.output
    assert len(res.output.strip().splitlines()) == 4
    with link_engine(db) as e:
        sid = story_of(e, A003)
    res = runner.invoke(main, ["story", sid, "--db", db])
    assert res.exit_code == 0 and "announcement_report" in res.output and A000 in res.output
    res = runner.invoke(main, ["reuse", A000, "--db", db])
    assert res.exit_code == 0 and "شريك رئيس بالمنطقة" in res.output
    res = runner.invoke(main, ["story", "st_missing", "--db", db])
    assert res.exit_code != 0 and "no story" in res.output


def test_empty_and_non_arabic_articles(tmp_path):
    with link_engine(str(tmp_path / "t.db")) as e:
        e.add([article_from_text("Just English words, nothing Arabic.", id="en"),
               article_from_text("123 456 !!!", id="num", published="2020-01-01")])
        assert story_of(e, "en") and story_of(e, "num")


def test_link_kinds_from_events():
    """With events: announced in the earlier article, happened in the later
    one, same type and a shared actor -> announcement_report."""
    from marsad.link.stories import Features

    def feats(aid, day, events):
        return Features(aid, day, None, "", {"زياره": 1.0}, ["e:iq"], events)

    visit = "CONSULT"
    a = feats("a", 100, [[visit, "announced", ["Q1", "Q2"], None]])
    b = feats("b", 107, [[visit, "happened", ["Q2"], None]])
    c = feats("c", 107, [["ASSAULT", "happened", ["Q2"], None]])
    d = feats("d", 100, [[visit, "happened", ["Q2"], None]])
    assert StoriesLinker.kind(a, b) == "announcement_report"
    assert StoriesLinker.kind(a, c) == "follow_up"  # another event type
    assert StoriesLinker.kind(a, d) == "same_event"  # same day: not yet reported


def test_full_pipeline_seeds(tmp_path, seed_articles):
    """The acceptance case with every installed component and linker (entities,
    events ... when present): one story, 003 -> 000 announcement_report, and
    the reused passages."""
    with Engine(str(tmp_path / "t.db"), workers=1) as e:
        e.add([seed_articles[A003]])
        e.add([seed_articles[A000]])
        sid = story_of(e, A003)
        assert sid == story_of(e, A000)
        assert {"from": A003, "to": A000, "kind": "announcement_report"} in get_story(e.store, sid)["links"]
        if any(lk.name == "reuse" for lk in e.linkers):
            text = seed_articles[A000].text
            pos = text.index("فتح السوق العراقية للشركات الروسية")
            assert any(r["start"] <= pos < r["end"] for r in e.article_record(A000)["reuse"])


def test_postings_index_migrates_from_version_2(tmp_path, seed_articles):
    """A stories store of schema 2 (postings indexed on term and day only)
    gets the covering postings index; linking goes on from the old postings."""
    import sqlite3

    db = tmp_path / "v2.db"
    with link_engine(db) as e:
        e.add([seed_articles[A003]] + own_articles())
    con = sqlite3.connect(db)
    con.executescript("DROP INDEX story_index_postings; CREATE INDEX story_index_term ON story_index(term, day); "
                      "UPDATE schema_versions SET version=2 WHERE owner='stories';")
    con.commit()
    con.close()
    with link_engine(db) as e:
        assert e.store.stats()["schema"]["stories"] == 3
        names = {r[0] for r in e.store.query("SELECT name FROM sqlite_master WHERE tbl_name='story_index'")}
        assert "story_index_postings" in names and "story_index_term" not in names
        plan = " ".join(str(r) for r in e.store.query(
            "EXPLAIN QUERY PLAN SELECT article_id FROM story_index WHERE term=? AND day BETWEEN ? AND ?", ("x", 1, 2)))
        assert "COVERING INDEX story_index_postings" in plan
        e.add([seed_articles[A000]])  # found through the postings written before the migration
        assert e.article_record(A000)["story_id"] == e.article_record(A003)["story_id"]


def _thread_articles():
    """An announcement (A), six articles close to the later report, and the
    report (H), which matches A less well than the six: A is not among the
    members H links to directly, so the announcement -> report link comes from
    the story's other rows (the thread query)."""
    from marsad.model import Analysis, Article

    report = "زار وزير الري القاهرة وبحث مشروع السد والمياه والزراعة مع المسؤولين."
    texts = [("A", "2026-03-01", "سيزور وزير الري القاهرة الأسبوع المقبل لبحث مشروع السد والمياه والزراعة.")]
    extra = ["الفيضان", "الحصاد", "القمح", "الأسمدة", "الري بالتنقيط", "الأنهار"]
    for i, w in enumerate(extra):
        texts.append((f"B{i}", f"2026-03-0{2 + i % 3}", f"{report} وتناول اللقاء {w} والتعاون الفني والتمويل الدولي."))
    texts.append(("H", "2026-03-06", f"{report} وتناول اللقاء والتعاون الفني والتمويل الدولي."))
    return [Analysis(article=Article(id=aid, text=t, published=d)) for aid, d, t in texts]


def test_a_batch_threads_exactly_as_one_article_at_a_time(tmp_path):
    """The batch's own articles (not written yet) are read from memory by the
    thread and title queries, exactly as if they had been stored."""
    from marsad.store import open_store

    def run(path, batched):
        linker = StoriesLinker(threshold=0.05)
        with open_store(path) as store:
            store.ensure_schema(linker.schema)
            with store.transaction():
                (linker.link if batched else linker._link_each)(store, _thread_articles())
            return {t: sorted(store.query(f"SELECT * FROM {t}"))
                    for t in ("stories", "story_articles", "story_links", "story_vectors", "story_index")}

    got, want = run(str(tmp_path / "b.db"), True), run(str(tmp_path / "o.db"), False)
    assert got == want
    assert len({r[0] for r in got["story_articles"]}) == 1  # one story
    assert ("A", "H", "announcement_report") in {r[1:] for r in got["story_links"]}
