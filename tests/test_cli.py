"""The command line, end to end on a temporary SQLite file: the acceptance
tests of issue 2 (ingest, idempotence, export with offsets, bad input with a
non-zero exit while good records are kept, analyze stores nothing)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from marsad.cli import main

SEED_IDS = {"003_7ef351cf9e1796e6": "2020-11-19", "000_869a8ed862cadf55": "2020-11-26"}
# Written for these tests.
STORM = ("الإسكندرية - الراصد: ضربت عاصفة قوية سواحل المدينة مساء الاثنين وأغلقت السلطات الميناء لمدة يومين.\n\n"
         "وقالت المتحدثة باسم هيئة الأرصاد إن سرعة الرياح بلغت تسعين كيلومترا في الساعة.")
LEGACY = "عمّان: وقّعت الحكومة الأردنية اتفاقية لتطوير شبكة النقل العام بقيمة 120 مليون دينار."


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "m.db")


def exported(run, db: str, *extra: str) -> list[dict]:
    r = run("export", "--db", db, "--format", "jsonl", *extra)
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def test_ingest_seeds_then_export(run, db, seeds):
    r = run("ingest", "--db", db, "-q", SEEDS / "seeds.jsonl")
    assert r.exit_code == 0, r.output
    assert "2 added" in r.stdout
    recs = exported(run, db, "--tokens")
    assert {x["id"]: x["published"] for x in recs} == SEED_IDS
    for x in recs:
        assert x["source"] == "Elaph" and x["dateline"] == "لندن"
        assert x["text"] == seeds[x["id"]]["text"]
        assert x["version"] and x["tokens"] and x["sentences"]
        text = x["text"]
        for t in x["tokens"]:
            assert text[t["start"]:t["end"]] == t["text"]
        for s in x["sentences"]:
            assert 0 <= s["start"] < s["end"] <= len(text) and text[s["start"]:s["end"]].strip()
            if "text" in s:
                assert text[s["start"]:s["end"]] == s["text"]
        for kind in ("entities", "quotes", "amounts", "dates"):
            for span in x.get(kind) or []:
                assert text[span["start"]:span["end"]] == span["text"], (kind, span)

    # a second time: nothing new
    r = run("ingest", "--db", db, "-q", SEEDS / "seeds.jsonl")
    assert r.exit_code == 0 and "0 added, 2 already stored" in r.stdout
    assert len(exported(run, db)) == 2
    # the same texts as .txt files are the same articles (content hash)
    r = run("ingest", "--db", db, "-q", SEEDS / "003_7ef351cf9e1796e6.txt", SEEDS / "000_869a8ed862cadf55.txt")
    assert r.exit_code == 0 and "0 added" in r.stdout
    assert len(exported(run, db)) == 2


def test_seed_text_files_get_source_from_dateline(run, db, seeds):
    r = run("ingest", "--db", db, "-q", "--published", "2020-11-19", SEEDS / "003_7ef351cf9e1796e6.txt")
    assert r.exit_code == 0, r.output
    [x] = exported(run, db)
    assert (x["id"], x["source"], x["dateline"], x["published"]) == \
        ("003_7ef351cf9e1796e6", "Elaph", "لندن", "2020-11-19")


def _bad_batch(folder: Path) -> dict[str, str]:
    """Bad files, each with the words its rejection must contain; plus good ones."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    # a binary file behind a suffix that does not say so (a .png is skipped unread, see README.md below)
    (folder / "image.dat").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16)
    (folder / "README.md").write_text("# ملفات اختبار\n", encoding="utf-8")  # not an article: skipped, counted
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 2**20)
    (folder / "batch.jsonl").write_text("\n".join([
        json.dumps({"id": "j1", "text": STORM}, ensure_ascii=False),
        '{"id": "j2", "text": "سطر مقطوع',
        json.dumps({"id": "j3", "title": "عنوان فقط"}, ensure_ascii=False),
        json.dumps({"id": "j4", "text": LEGACY + " (نسخة ثانية)"}, ensure_ascii=False),
    ]), encoding="utf-8")
    (folder / "legacy-1256.txt").write_bytes(LEGACY.encode("cp1256"))
    (folder / "legacy-iso.txt").write_bytes(LEGACY.replace("ّ", "").replace("120", "مئة وعشرين")
                                            .encode("iso8859_6"))
    return {"empty.txt": "empty file", "image.dat": "binary", "huge.txt": "MB",
            "batch.jsonl:2": "malformed JSON", "batch.jsonl:3": "no text"}


def test_bad_input_batch(run, db, tmp_path):
    expect = _bad_batch(tmp_path / "in")
    r = run("ingest", "--db", db, "-q", "--source", "Test", "--published", "2026-11-16", tmp_path / "in")
    assert r.exit_code != 0
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("marsad: rejected")]
    assert len(lines) == len(expect), r.stderr
    for where, words in expect.items():
        assert any(where in ln and words in ln for ln in lines), (where, words, lines)
    assert "3 added" not in r.stdout and "4 added" in r.stdout and "5 rejected" in r.stdout
    assert "1 non-article files skipped" in r.stdout
    recs = {x["id"]: x for x in exported(run, db)}
    assert set(recs) == {"j1", "j4", "legacy-1256", "legacy-iso"}  # nothing partial, the rest kept
    assert recs["legacy-1256"]["text"] == LEGACY  # decoded, not rejected
    assert recs["j1"]["source"] == "Test" and recs["j1"]["dateline"] == "الإسكندرية"


def test_one_bad_file_among_good_ones(run, db, tmp_path):
    good = tmp_path / "storm.txt"
    good.write_text(STORM, encoding="utf-8")
    empty = tmp_path / "nothing.txt"
    empty.write_bytes(b"")
    r = run("ingest", "--db", db, "-q", empty, good, tmp_path / "missing.txt")
    assert r.exit_code == 1
    assert "nothing.txt: empty file" in r.stderr and "missing.txt: no such file" in r.stderr
    assert [x["id"] for x in exported(run, db)] == ["storm"]


def test_malformed_published_option(run, db, tmp_path):
    good = tmp_path / "storm.txt"
    good.write_text(STORM, encoding="utf-8")
    r = run("ingest", "--db", db, "-q", "--published", "17/11/2026", good)
    assert r.exit_code != 0 and "--published" in r.stderr and "ISO 8601" in r.stderr
    assert exported(run, db) == []


def test_analyze_prints_json_and_stores_nothing(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f = tmp_path / "storm.txt"
    f.write_text(STORM, encoding="utf-8")
    r = run("analyze", "--tokens", "--source", "Al-Rased", "--published", "2026-11-17", f)
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    assert rec["id"] == "storm" and rec["source"] == "Al-Rased" and rec["dateline"] == "الإسكندرية"
    assert all(STORM[t["start"]:t["end"]] == t["text"] for t in rec["tokens"])
    assert not list(tmp_path.glob("*.db*"))  # no store was created
    bad = tmp_path / "zero.txt"
    bad.write_bytes(b"")
    r = run("analyze", bad)
    assert r.exit_code != 0 and "empty file" in r.stderr


def test_analyze_html_page(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "p.html"
    page.write_text("<html><head><title>عاصفة</title></head><body><nav>الرئيسية | رياضة</nav>"
                    f"<script>var a = 1;</script><article><p>{STORM}</p></article></body></html>", encoding="utf-8")
    r = run("analyze", page)
    assert r.exit_code == 0, r.output
    rec = json.loads(r.stdout)
    assert rec["text"].startswith("الإسكندرية - الراصد") and "var a" not in rec["text"]


def test_export_csv_and_atomic_file(run, db, tmp_path, seeds):
    assert run("ingest", "--db", db, "-q", SEEDS / "seeds.jsonl").exit_code == 0
    r = run("export", "--db", db, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["id"] for row in rows} == set(SEED_IDS)
    assert all(row["source"] == "Elaph" and row["dateline"] == "لندن" for row in rows)

    out = tmp_path / "out.jsonl"
    r = run("export", "--db", db, "-o", out)
    assert r.exit_code == 0, r.output
    assert {json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()} == set(SEED_IDS)
    assert not list(tmp_path.glob("*.part"))

    # a failed export leaves an existing file as it was
    out.write_text("previous\n", encoding="utf-8")
    r = run("export", "--db", db, "-o", out, "--what", "no-such-thing")
    assert r.exit_code != 0 and "no-such-thing" in r.stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert not list(tmp_path.glob("*.part"))


def test_ingest_examples_folder(run, db):
    from conftest import REPO

    r = run("ingest", "--db", db, "-q", REPO / "examples")
    assert r.exit_code == 0, r.output
    recs = {x["id"]: x for x in exported(run, db)}
    assert len(recs) >= 6 and recs["page"]["source"] == "Al-Rased"
    r = run("search", "--db", db, "الاسكندرية")
    assert r.exit_code == 0 and "ex-004" in r.stdout


def test_ingest_feed_url_served_locally(run, db, tmp_path):
    import http.server
    import threading
    from functools import partial

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    root = tmp_path / "site"
    root.mkdir()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    (root / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صدى</title>'
        f"<item><title>عاصفة في الإسكندرية</title><link>{base}/a.html</link>"
        "<pubDate>Tue, 17 Nov 2026 09:00:00 +0200</pubDate>"
        f"<description>{STORM}</description></item></channel></rss>", encoding="utf-8")
    try:
        r = run("ingest", "--db", db, "-q", f"{base}/feed.xml", f"{base}/missing.xml")
    finally:
        srv.shutdown()
        srv.server_close()
    assert r.exit_code == 1 and "HTTP 404" in r.stderr and "1 added" in r.stdout
    [x] = exported(run, db)
    assert x["url"] == f"{base}/a.html" and x["source"] == "صدى" and x["published"].startswith("2026-11-17")
    assert x["title"] == "عاصفة في الإسكندرية" and x["dateline"] == "الإسكندرية"
