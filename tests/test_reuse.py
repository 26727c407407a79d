"""Text reuse between articles: passages with offsets in both texts, found
incrementally through the LSH band table (marsad.link.reuse)."""
from __future__ import annotations

import json

import pytest

from marsad.ingest.files import article_from_text
from marsad.link.reuse import ReuseLinker, align, words
from marsad.text.normalize import SEARCH

from tests.linking import A000, A003, link_engine, own_articles


def copied_paragraph(seed_text: str) -> str:
    """The paragraph of 003 on the British adviser's statement, read at run time."""
    return next(p for p in seed_text.split("\n") if "لوريمر" in p and "التزام" in p)


def copy_article(seed_text: str) -> tuple[object, int, int]:
    """An article of our own words that copies one paragraph of 003; returns it
    with the paragraph's word span in its text."""
    para = copied_paragraph(seed_text).strip()
    head = ("بغداد: عقدت لجنة الأمن والدفاع في البرلمان العراقي جلسة استماع مطولة ناقشت فيها برامج "
            "التدريب التي تقدمها الدول الحليفة للقوات العراقية ومدى حاجة البلاد إليها في المرحلة المقبلة.\n")
    tail = ("\nوطالب عدد من النواب الحكومة بتقديم تقرير مفصل عن كلفة هذه البرامج وجدولها الزمني "
            "قبل نهاية الدورة التشريعية الحالية.")
    text = head + para + tail
    start = len(head)
    w = words(para)
    return (article_from_text(text, id="own_copy_1", source="marsad-tests", published="2020-11-22"),
            start + w.starts[0], start + w.ends[-1])


@pytest.fixture(scope="module")
def eng(tmp_path_factory, seed_articles):
    with link_engine(tmp_path_factory.mktemp("reuse") / "t.db") as e:
        e.add([seed_articles[A003]])
        e.add([seed_articles[A000]] + own_articles())  # one batch: 000 is linked from the batch itself
        art, _, _ = copy_article(seed_articles[A003].text)
        e.add([art])
        yield e


def _covers(passages, pos, length, *, other=False):
    s, e = ("other_start", "other_end") if other else ("start", "end")
    return any(p[s] <= pos and pos + length <= p[e] for p in passages)


@pytest.mark.parametrize("phrase", ["شريك رئيس بالمنطقة", "فتح السوق العراقية للشركات الروسية"])
def test_seed_passages_have_offsets_in_both(eng, seed_articles, phrase):
    t000, t003 = seed_articles[A000].text, seed_articles[A003].text
    p000, p003 = t000.find(phrase), t003.find(phrase)
    assert p000 >= 0 and p003 >= 0
    reuse = eng.article_record(A000)["reuse"]
    with_003 = [r for r in reuse if r["other_id"] == A003]
    assert _covers(with_003, p000, len(phrase))
    assert _covers(with_003, p003, len(phrase), other=True)
    # the passages hold the same words on both sides
    for r in with_003:
        a = SEARCH.text(t000[r["start"]:r["end"]]).split()
        b = SEARCH.text(t003[r["other_start"]:r["other_end"]]).split()
        assert r["similarity"] >= 0.5 and len(a) >= 7 and len(b) >= 7
        if r["similarity"] == 1.0:
            assert [x.strip('".،') for x in a] == [x.strip('".،') for x in b]
    # and the same passages seen from 003
    back = eng.article_record(A003)["reuse"]
    assert _covers([r for r in back if r["other_id"] == A000], p003, len(phrase))


def test_boilerplate_is_not_reuse(eng, seed_articles):
    """Both seeds open with the dateline "ايلاف من لندن:" and use "يشار الى ان":
    neither may start a passage."""
    for aid in (A000, A003):
        text = seed_articles[aid].text
        for r in eng.article_record(aid)["reuse"]:
            assert r["start"] > text.index(":"), "the dateline counted as reuse"
            assert not SEARCH.text(text[r["start"]:r["end"]]).startswith("يشار الي ان")


def test_unrelated_articles_show_no_reuse(eng):
    for art in own_articles():
        assert eng.article_record(art.id)["reuse"] == []


def test_copied_paragraph_found_with_its_offsets(eng, seed_articles):
    art, start, end = copy_article(seed_articles[A003].text)
    reuse = [r for r in eng.article_record("own_copy_1")["reuse"] if r["other_id"] == A003]
    assert len(reuse) == 1
    r = reuse[0]
    assert (r["start"], r["end"]) == (start, end)
    t003 = seed_articles[A003].text
    para = copied_paragraph(t003).strip()
    w = words(para)
    p0 = t003.index(para)
    assert (r["other_start"], r["other_end"]) == (p0 + w.starts[0], p0 + w.ends[-1])
    assert r["similarity"] == 1.0


def test_near_duplicate_flagged(tmp_path):
    own = own_articles()[0]
    text = own.text.replace("مساء السبت", "مساء أمس السبت").replace("قدموا أداء رجوليا", "قدموا أداء كبيرا")
    twin = article_from_text(text, id="own_twin", published="2020-11-21")
    with link_engine(str(tmp_path / "t.db")) as e:
        e.add([own])
        e.add([twin])
        kinds = {r["kind"] for r in ReuseLinker().passages(e.store, "own_twin")}
        assert kinds == {"near_duplicate"}
        assert e.stats()["reuse_pairs"] == 1


def test_idempotent(eng, seed_articles, tmp_path):
    linker = next(lk for lk in eng.linkers if lk.name == "reuse")
    before = eng.store.query("SELECT COUNT(*) FROM reuse_passages")[0][0]
    bands = eng.store.query("SELECT COUNT(*) FROM reuse_bands")[0][0]
    df = eng.store.query("SELECT SUM(df) FROM reuse_df")[0][0]
    with eng.store.transaction():
        linker.link_one(eng.store, A000, seed_articles[A000].text)
    assert eng.store.query("SELECT COUNT(*) FROM reuse_passages")[0][0] == before
    assert eng.store.query("SELECT COUNT(*) FROM reuse_bands")[0][0] == bands
    assert eng.store.query("SELECT SUM(df) FROM reuse_df")[0][0] == df
    # ingesting the same file again stores nothing new
    path = tmp_path / "seeds.jsonl"
    path.write_text("\n".join(json.dumps({"id": a.id, "text": a.text, "published": a.published})
                              for a in seed_articles.values()), encoding="utf-8")
    report = eng.ingest([str(path)])
    assert not report.added
    assert eng.store.query("SELECT COUNT(*) FROM reuse_passages")[0][0] == before


def test_candidates_survive_a_restart(tmp_path, seed_articles):
    """The band table is the index: a new process finds earlier articles."""
    db = str(tmp_path / "t.db")
    with link_engine(db) as e:
        e.add([seed_articles[A003]])
    with link_engine(db) as e:
        e.add([seed_articles[A000]])
        assert any(r["other_id"] == A003 for r in e.article_record(A000)["reuse"])


@pytest.mark.parametrize("text", ["", "no Arabic at all, just a line of English words here",
                                  "كلمة " * 200_000])
def test_odd_texts_do_not_crash(text):
    w = words(text)
    assert len(w.norms) == len(w.starts) == len(w.ends)
    assert isinstance(align(w, words("كلمة اخرى")), list)


def test_signatures_are_datasketch_minhashes(seed_articles):
    """The vectorised window signatures equal datasketch's own MinHash."""
    import numpy as np
    from datasketch import MinHash

    from marsad.link import reuse

    w = words(seed_articles[A003].text)
    seeds = w.shingles[w.usable]
    sig = reuse.signatures(seeds)
    n, size, step = len(seeds), reuse.WINDOW, reuse.STRIDE
    starts = list(range(0, n - size + 1, step))
    if starts[-1] != n - size:
        starts.append(n - size)
    assert sig.shape == (len(starts), reuse.NUM_PERM)
    for row, s in zip(sig, starts):
        m = MinHash(num_perm=reuse.NUM_PERM, seed=reuse.SEED, scheme="affine64", hashfunc=lambda x: x)
        m.update_batch(seeds[s:s + size])
        assert np.array_equal(m.hashvalues, row)


V1_REUSE_BANDS = ("CREATE TABLE reuse_bands (band INTEGER NOT NULL, hash INTEGER NOT NULL, article_id TEXT NOT NULL)",
                  "CREATE INDEX reuse_bands_hash ON reuse_bands(hash)",
                  "CREATE INDEX reuse_bands_article ON reuse_bands(article_id)")


def test_reuse_tables_migrate_from_version_1(tmp_path, seed_articles):
    """A store written by reuse schema 1 (text article ids in reuse_bands) is
    migrated in place: same buckets, and linking goes on from them."""
    import sqlite3

    db = tmp_path / "v1.db"
    with link_engine(db) as e:
        e.add([seed_articles[A003]] + own_articles())
        ids = dict(e.store.query("SELECT n, article_id FROM reuse_ids"))
        buckets = sorted((h, ids[n]) for h, n in e.store.query("SELECT hash, n FROM reuse_bands"))
    assert buckets
    # rewrite the tables as reuse schema 1 had them
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE reuse_bands; DROP TABLE reuse_ids; DROP TABLE reuse_words; "
                      + "; ".join(V1_REUSE_BANDS) + ";")
    con.executemany("INSERT INTO reuse_bands VALUES (0, ?, ?)", buckets)
    con.execute("UPDATE schema_versions SET version=1 WHERE owner='reuse'")
    con.commit()
    con.close()
    with link_engine(db) as e:
        assert e.store.stats()["schema"]["reuse"] == 3
        ids = dict(e.store.query("SELECT n, article_id FROM reuse_ids"))
        assert sorted((h, ids[n]) for h, n in e.store.query("SELECT hash, n FROM reuse_bands")) == buckets
        assert not e.store.query("SELECT name FROM sqlite_master WHERE name='reuse_bands_v1'")
        e.add([seed_articles[A000]])  # found through the migrated buckets
        assert any(r["other_id"] == A003 for r in e.article_record(A000)["reuse"])
        # the candidate had no stored words (schema 1): tokenised from its text once, then stored
        n003 = next(n for n, a in ids.items() if a == A003)
        assert e.store.query("SELECT COUNT(*) FROM reuse_words WHERE n=?", (n003,))[0][0] == 1
        # a migrated article re-ingested replaces its buckets (read back from reuse_ids.bands)
        before = e.store.query("SELECT COUNT(*) FROM reuse_bands WHERE n=?", (n003,))[0][0]
        linker = next(lk for lk in e.linkers if lk.name == "reuse")
        with e.store.transaction():
            linker.link_one(e.store, A003, seed_articles[A003].text)
        assert e.store.query("SELECT COUNT(*) FROM reuse_bands WHERE n=?", (n003,))[0][0] == before


def test_newer_reuse_tables_are_refused_with_a_clear_message(tmp_path):
    import sqlite3

    from marsad.errors import StoreError

    db = tmp_path / "new.db"
    with link_engine(db):
        pass
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_versions SET version=99 WHERE owner='reuse'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="reuse tables are at version 99.*upgrade marsad"):
        link_engine(db)


def test_stored_words_align_exactly_like_the_text(seed_articles):
    """What ``reuse_words`` keeps of an indexed article (word hashes, offsets,
    usable bits) aligns to the same passages as its re-tokenised text; with
    the words hashed apart, the similarity falls (the hashes are compared)."""
    import numpy as np

    from marsad.link.reuse import _pack, _unpack

    art, start, end = copy_article(seed_articles[A003].text)
    w, o = words(art.text), words(seed_articles[A003].text)
    back = _unpack(_pack(o, o.usable))
    assert back.starts == o.starts and back.ends == o.ends
    assert np.array_equal(back.shingles, o.shingles) and np.array_equal(back.usable, o.usable)
    passages = align(w, o)
    assert passages and align(w, back) == passages
    assert min(p.start for p in passages) <= start + 5 and max(p.end for p in passages) >= end - 5
    # one word of the stored copy changed: its hash differs, the passage's similarity drops below 1
    p = max(passages, key=lambda p: p.words)
    i = back.starts.index(p.other_start) + 3
    back.keys = back.keys.copy()
    back.keys[i] ^= np.uint64(1)
    assert max(q.similarity for q in align(w, back) if q.other_start == p.other_start) < p.similarity
