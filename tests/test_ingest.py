"""Ingestion: every kind of input becomes articles, and every kind of bad
input becomes one clear ``InputError`` while the rest of the batch is kept.
Arabic sample texts here are written for these tests; the seeds are read
from ../shared at run time."""
from __future__ import annotations

import gzip
import http.server
import io
import json
import random
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from conftest import REPO, SEEDS
from marsad.errors import InputError
from marsad.ingest import read
from marsad.model import Article

# Written for these tests (not from any article).
STORM = ("الإسكندرية - الراصد: ضربت عاصفة قوية سواحل المدينة مساء الاثنين وأغلقت السلطات الميناء لمدة يومين.\n\n"
         "وقالت المتحدثة باسم هيئة الأرصاد إن سرعة الرياح بلغت تسعين كيلومترا في الساعة.")
PLAIN = "أعلنت وزارة الزراعة يوم الاثنين خطة لزراعة مليون شجرة في المدن الجديدة قبل نهاية العام."


def articles(items) -> list[Article]:
    return [x for x in items if isinstance(x, Article)]


def errors(items) -> list[InputError]:
    return [x for x in items if isinstance(x, InputError)]


def only_error(items) -> InputError:
    items = list(items)
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


# -- seeds -----------------------------------------------------------------

def test_seeds_jsonl(seeds):
    items = list(read(SEEDS / "seeds.jsonl"))
    assert not errors(items)
    got = {a.id: a for a in articles(items)}
    assert set(got) == {"003_7ef351cf9e1796e6", "000_869a8ed862cadf55"}
    assert got["003_7ef351cf9e1796e6"].published == "2020-11-19"
    assert got["000_869a8ed862cadf55"].published == "2020-11-26"
    for a in got.values():
        assert a.source == "Elaph" and a.dateline == "لندن"
        assert a.text == seeds[a.id]["text"]  # untouched


def test_seed_text_files_take_source_from_dateline(seeds):
    for sid, rec in seeds.items():
        [a] = list(read(SEEDS / f"{sid}.txt", published=rec["published"]))
        assert a.id == sid and a.source == "Elaph" and a.dateline == "لندن"
        assert a.published == rec["published"]
        assert a.content_hash == Article(id="x", text=rec["text"]).content_hash


def test_source_and_published_fill_what_the_input_lacks(tmp_path):
    f = tmp_path / "agri.txt"
    f.write_text(PLAIN, encoding="utf-8")
    [a] = read(f, source="Sada News", published="2026-11-16")
    assert (a.id, a.source, a.published, a.dateline) == ("agri", "Sada News", "2026-11-16", None)
    # a JSONL record's own fields win over the options
    j = tmp_path / "a.jsonl"
    j.write_text(json.dumps({"id": "r1", "text": PLAIN, "source": "Al-Rased", "published": "2026-11-01"},
                            ensure_ascii=False) + "\n" + json.dumps({"id": "r2", "text": STORM}, ensure_ascii=False),
                 encoding="utf-8")
    r1, r2 = read(j, source="Sada News", published="2026-11-16")
    assert (r1.source, r1.published) == ("Al-Rased", "2026-11-01")
    assert (r2.source, r2.published, r2.dateline) == ("Sada News", "2026-11-16", "الإسكندرية")


@pytest.mark.parametrize("bad", ["19/11/2020", "2020-13-01", "yesterday", "2020-11-19T25:00"])
def test_malformed_published_is_rejected_once(tmp_path, bad):
    f = tmp_path / "a.txt"
    f.write_text(PLAIN, encoding="utf-8")
    e = only_error(read(f, published=bad))
    assert "--published" in str(e) and "ISO 8601" in str(e) and bad in str(e)


def test_malformed_date_in_a_record_is_reported_with_its_line(tmp_path):
    j = tmp_path / "d.jsonl"
    j.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "ok", "text": PLAIN, "published": "2026-11-16"},
        {"id": "bad", "text": STORM, "published": "الاثنين الماضي"}]), encoding="utf-8")
    items = list(read(j))
    assert [a.id for a in articles(items)] == ["ok"]
    [e] = errors(items)
    assert e.line == 2 and "not an ISO 8601 date" in str(e) and str(e).startswith(f"{j}:2:")


# -- bad input ---------------------------------------------------------------

def test_empty_file(tmp_path):
    for name in ("empty.txt", "empty.jsonl", "empty.html", "empty"):
        f = tmp_path / name
        f.write_bytes(b"")
        assert "empty" in str(only_error(read(f)))
    f = tmp_path / "blank.txt"
    f.write_text(" \n\t\n", encoding="utf-8")
    assert "empty" in str(only_error(read(f)))


def test_binary_files(tmp_path):
    rnd = random.Random(7)
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rnd.randbytes(4096))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("news.txt", STORM * 20)
    zf = tmp_path / "news.txt"  # a zip archive behind a .txt name
    zf.write_bytes(buf.getvalue())
    for f in (png, zf):
        e = only_error(read(f))
        assert "binary" in str(e) and str(f) in str(e)


@pytest.mark.parametrize("encoding", ["cp1256", "iso8859_6", "utf-16", "utf-8-sig"])
def test_legacy_arabic_encodings_are_decoded(tmp_path, encoding):
    text = "الرياض: أعلنت الهيئة العامة للإحصاء، الأحد، ارتفاع الصادرات غير النفطية بنسبة 12 في المئة."
    f = tmp_path / f"{encoding}.txt"
    f.write_bytes(text.encode(encoding))
    [a] = read(f)
    assert a.text == text


def test_windows_1256_jsonl(tmp_path):
    f = tmp_path / "legacy.jsonl"
    f.write_bytes(json.dumps({"id": "w1", "text": STORM}, ensure_ascii=False).encode("cp1256") + b"\n")
    [a] = read(f)
    assert a.text == STORM and a.dateline == "الإسكندرية"


def test_jsonl_with_one_malformed_line_keeps_the_others(tmp_path):
    good = [{"id": f"g{i}", "text": f"{PLAIN} ({i})"} for i in range(3)]
    lines = [json.dumps(good[0], ensure_ascii=False), '{"id": "broken", "text": "نص بلا نهاية',
             json.dumps(good[1], ensure_ascii=False), "", json.dumps(good[2], ensure_ascii=False)]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(lines), encoding="utf-8")
    items = list(read(f))
    assert [a.id for a in articles(items)] == ["g0", "g1", "g2"]
    [e] = errors(items)
    assert e.line == 2 and "malformed JSON" in str(e) and f"{f}:2" in str(e)


def test_jsonl_gz(tmp_path):
    f = tmp_path / "batch.jsonl.gz"
    with gzip.open(f, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "z1", "text": STORM}, ensure_ascii=False) + "\n")
    [a] = read(f)
    assert a.id == "z1" and a.dateline == "الإسكندرية"


@pytest.mark.parametrize("record", [{"id": "t1", "title": "عنوان بلا نص"}, {"id": "t2", "text": "  "},
                                    {"id": "t3", "text": None}, {"id": "t4", "text": 42}])
def test_record_without_text(tmp_path, record):
    f = tmp_path / "notext.jsonl"
    f.write_text(json.dumps({"id": "ok", "text": PLAIN}, ensure_ascii=False) + "\n"
                 + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(read(f))
    assert [a.id for a in articles(items)] == ["ok"]
    [e] = errors(items)
    assert e.line == 2 and "no text" in str(e)


def test_json_line_that_is_not_an_object(tmp_path):
    f = tmp_path / "list.jsonl"
    f.write_text('["ليس", "كائنا"]\n', encoding="utf-8")
    assert "JSON object" in str(only_error(read(f)))


@pytest.mark.parametrize("name", ["big.txt", "big.html", "big.jsonl"])
def test_50_mb_file_is_rejected_with_its_size(tmp_path, name):
    f = tmp_path / name
    with f.open("wb") as fh:  # sparse: 50 MB of NULs, written instantly
        fh.truncate(50 * 2**20)
    e = only_error(read(f))
    assert "MB" in str(e) and ("limit" in str(e))


def test_no_such_path_and_empty_folder(tmp_path):
    assert "no such file" in str(only_error(read(tmp_path / "missing.txt")))
    (tmp_path / "void").mkdir()
    assert "no files" in str(only_error(read(tmp_path / "void")))


def test_folder_is_read_recursively_and_bad_files_do_not_stop_it(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "storm.txt").write_text(STORM, encoding="utf-8")
    (tmp_path / "a" / "b" / "agri.txt").write_bytes(PLAIN.encode("cp1256"))
    (tmp_path / "a" / "b" / "zero.txt").write_bytes(b"")
    (tmp_path / "a" / ".hidden.txt").write_text(PLAIN, encoding="utf-8")
    items = list(read(tmp_path))
    assert sorted(a.id for a in articles(items)) == ["agri", "storm"]
    assert len(errors(items)) == 1


def test_folder_skips_files_that_are_not_articles_and_counts_them(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "storm.txt").write_text(STORM, encoding="utf-8")
    (tmp_path / "sub" / "agri").write_text(PLAIN, encoding="utf-8")  # no suffix: still an article
    (tmp_path / "README.md").write_text("# أخبار الأسبوع\nملفات نصية، مقال في كل ملف.\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    (tmp_path / "sub" / "readme.txt").write_text("اقرأني أولا\n", encoding="utf-8")
    (tmp_path / "sub" / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    (tmp_path / ".DS_Store").write_bytes(bytes(16))
    skipped: list[str] = []
    items = list(read(tmp_path, skipped=skipped))
    assert not errors(items), errors(items)
    assert sorted(a.id for a in articles(items)) == ["agri", "storm"]
    assert sorted(Path(p).name for p in skipped) == [".DS_Store", "LICENSE", "README.md", "cover.jpg", "readme.txt"]
    # a file named on its own is read whatever its name
    assert [a.id for a in articles(read(tmp_path / "sub" / "readme.txt"))] == ["readme"]
    # only non-articles: one clear error naming what was skipped
    only = tmp_path / "sub"
    (only / "agri").unlink()
    errs = errors(list(read(only)))
    assert len(errs) == 1 and "2 other files skipped" in str(errs[0])


def test_engine_reports_skipped_files(tmp_path):
    from marsad.engine import Engine

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "storm.txt").write_text(STORM, encoding="utf-8")
    (tmp_path / "news" / "README.md").write_text("# ملاحظات\n", encoding="utf-8")
    with Engine(str(tmp_path / "m.db"), workers=1) as eng:
        rep = eng.ingest([str(tmp_path / "news")])
    assert rep.added == ["storm"] and len(rep.skipped) == 1
    assert "1 non-article files skipped" in rep.summary()


def test_examples_folder_reads_cleanly():
    items = list(read(REPO / "examples"))
    assert not errors(items), errors(items)
    got = {a.id: a for a in articles(items)}
    assert len(got) >= 5
    assert got["page"].source == "Al-Rased" and got["page"].published == "2026-11-20"
    for a in got.values():
        assert a.title and a.published and a.source


# -- HTML ----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="ar" dir="rtl"><head>{meta}
<title>عاصفة قوية تغلق ميناء الإسكندرية</title>
<meta property="og:site_name" content="Al-Rased">
<meta property="article:published_time" content="2026-11-17T08:00:00+02:00">
<script>var trackerLabel = "شيفرة التتبع";</script></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/sport">رياضة</a> | <a href="/eco">اقتصاد</a></nav>
<article><h1>عاصفة قوية تغلق ميناء الإسكندرية</h1>
<p>الإسكندرية - الراصد: ضربت عاصفة قوية سواحل المدينة مساء الاثنين وأغلقت السلطات الميناء لمدة يومين.</p>
<p>وقالت المتحدثة باسم هيئة الأرصاد إن سرعة الرياح بلغت تسعين كيلومترا في الساعة، وإن الأمطار ستستمر حتى الخميس.</p>
</article><footer>جميع الحقوق محفوظة للراصد</footer></body></html>"""


def check_storm_page(a: Article) -> None:
    assert a.text.startswith("الإسكندرية - الراصد: ضربت عاصفة")
    assert "حتى الخميس" in a.text
    for boilerplate in ("شيفرة التتبع", "الرئيسية", "جميع الحقوق", "var "):
        assert boilerplate not in a.text
    assert a.title == "عاصفة قوية تغلق ميناء الإسكندرية"
    assert a.published[:10] == "2026-11-17" and a.dateline == "الإسكندرية"


def test_html_page(tmp_path):
    f = tmp_path / "storm-page.html"
    f.write_text(PAGE.format(meta='<meta charset="utf-8">'), encoding="utf-8")
    [a] = read(f)
    check_storm_page(a)
    assert a.id == "storm-page" and a.source == "Al-Rased"
    [b] = read(f, source="Sada News", published="2026-01-01")
    assert b.source == "Sada News" and b.published == "2026-11-17"  # the page's own date wins


@pytest.mark.parametrize("meta", ['<meta charset="windows-1256">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
                                  '<meta charset="iso-8859-1">',  # mislabelled, as many old Arabic sites are
                                  ""])
def test_html_page_in_windows_1256(tmp_path, meta):
    f = tmp_path / "legacy.htm"
    f.write_bytes(PAGE.format(meta=meta).encode("cp1256"))
    [a] = read(f)
    check_storm_page(a)


def test_html_page_in_iso_8859_6(tmp_path):
    page = PAGE.format(meta='<meta charset="iso-8859-6">').replace("، ", ", ")
    f = tmp_path / "iso.html"
    f.write_bytes(page.encode("iso8859_6", errors="ignore"))
    [a] = read(f)
    assert a.text.startswith("الإسكندرية - الراصد: ضربت عاصفة")


@pytest.mark.parametrize("html", [
    "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>",
    "<<<>>> <<<",
    "<html><head><title>بلا متن</title></head><body></body></html>",
    "<html><body><script>document.write('نص مولد من سكربت طويل جدا جدا جدا')</script></body></html>",
])
def test_html_without_article_text(tmp_path, html):
    f = tmp_path / "bad.html"
    f.write_text(html, encoding="utf-8")
    assert "no article text found in the page" in str(only_error(read(f)))


def test_malformed_html_gives_an_article_or_an_error_never_a_crash(tmp_path):
    body = "<p>" + STORM.replace("\n\n", "<p><div><b>") + "<table><tr><td>"  # unclosed everywhere
    for i, html in enumerate([body, "<html><body>" + body + "</html></body></p>", "\x00" + body, body[:40]]):
        f = tmp_path / f"m{i}.html"
        f.write_text(html, encoding="utf-8")
        [item] = read(f)
        if isinstance(item, Article):
            assert "عاصفة قوية" in item.text
        else:
            assert str(item)


def test_html_detected_without_suffix(tmp_path):
    f = tmp_path / "saved-page"
    f.write_text(PAGE.format(meta=""), encoding="utf-8")
    [a] = read(f)
    check_storm_page(a)


def test_html_id_from_url():
    from marsad.ingest.html import article_from_html, url_id

    a = article_from_html(PAGE.format(meta="").encode("utf-8"), "https://alrased.example/storm")
    b = article_from_html(PAGE.format(meta=""), "https://alrased.example/storm")
    assert a.id == b.id == url_id("https://alrased.example/storm")
    assert a.url == "https://alrased.example/storm"


# -- feeds and URLs served on 127.0.0.1 ---------------------------------------------

RSS = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0"><channel><title>الراصد - آخر الأخبار</title><link>{base}/</link>
<item><title>عاصفة قوية تغلق ميناء الإسكندرية</title><link>{base}/storm.html</link>
<guid>{base}/storm.html</guid><pubDate>Tue, 17 Nov 2026 01:30:00 +0300</pubDate>
<description>&lt;p&gt;ضربت عاصفة قوية سواحل الإسكندرية مساء الاثنين &lt;b&gt;وأغلقت الميناء&lt;/b&gt;.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description></item>
<item><title>خطة لزراعة مليون شجرة</title><link>{base}/agri.html</link>
<pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate><description>{plain}</description></item>
<item><title>خبر بلا نص</title><link>{base}/none.html</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>صدى</title><id>urn:sada</id><updated>2026-11-18T12:00:00Z</updated>
<entry><id>urn:sada:ex-005</id><title>المغرب يوقع اتفاقية للهيدروجين الأخضر</title>
<link href="{base}/h2.html"/><published>2026-11-18T09:00:00+01:00</published><updated>2026-11-18T09:00:00+01:00</updated>
<content type="html">&lt;p&gt;وقعت وزارة الطاقة المغربية الأربعاء اتفاقية استثمار بقيمة 2.5 مليار درهم.&lt;/p&gt;&lt;p&gt;وقالت الوزيرة إن المشروع سيوفر ثلاثة آلاف فرصة عمل.&lt;/p&gt;</content></entry>
</feed>"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".rss": "application/rss+xml", ".atom": "application/atom+xml",
                      ".html": "text/html", ".feed": "text/html"}

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def site(tmp_path):
    """A folder served on 127.0.0.1; yields (folder, base URL)."""
    root = tmp_path / "site"
    root.mkdir()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    try:
        yield root, base
    finally:
        srv.shutdown()
        srv.server_close()


def _write_site(root: Path, base: str, rss_enc: str = "utf-8") -> None:
    (root / "news.rss").write_bytes(RSS.format(enc=rss_enc, base=base, plain=PLAIN).encode(rss_enc))
    (root / "sada.atom").write_text(ATOM.format(base=base), encoding="utf-8")
    (root / "storm.html").write_bytes(PAGE.format(meta='<meta charset="windows-1256">').encode("cp1256"))
    (root / "agri.html").write_text(f"<html><body><article><p>{PLAIN} وقال الوزير إن الخطة ستنفذ "
                                    "على ثلاث مراحل.</p></article></body></html>", encoding="utf-8")


@pytest.mark.parametrize("enc", ["utf-8", "windows-1256"])
def test_rss_feed_over_http(site, enc):
    root, base = site
    _write_site(root, base, enc)
    items = list(read(f"{base}/news.rss", source="Al-Rased"))
    storm, agri = articles(items)
    assert storm.title == "عاصفة قوية تغلق ميناء الإسكندرية" and storm.url == f"{base}/storm.html"
    assert storm.text == "ضربت عاصفة قوية سواحل الإسكندرية مساء الاثنين وأغلقت الميناء."  # HTML stripped
    assert storm.published == "2026-11-17T01:30:00+03:00"  # the publisher's local day is kept
    assert storm.published_date.isoformat() == "2026-11-17"
    assert storm.source == "Al-Rased" and agri.text == PLAIN
    [e] = errors(items)
    assert "entry 3" in str(e) and "no text" in str(e)
    again = articles(read(f"{base}/news.rss"))
    assert [a.id for a in again] == [storm.id, agri.id]  # ids from guid/link: stable
    assert again[0].source == "الراصد - آخر الأخبار"  # the feed's title without --source


def test_atom_feed_over_http(site):
    root, base = site
    _write_site(root, base)
    [a] = read(f"{base}/sada.atom")
    assert a.title == "المغرب يوقع اتفاقية للهيدروجين الأخضر" and a.source == "صدى"
    assert a.text == ("وقعت وزارة الطاقة المغربية الأربعاء اتفاقية استثمار بقيمة 2.5 مليار درهم.\n\n"
                      "وقالت الوزيرة إن المشروع سيوفر ثلاثة آلاف فرصة عمل.")
    assert a.published == "2026-11-18T09:00:00+01:00" and a.url == f"{base}/h2.html"


def test_feed_sniffed_whatever_the_content_type(site):
    root, base = site
    _write_site(root, base)
    (root / "mislabelled.feed").write_text(ATOM.format(base=base), encoding="utf-8")  # served as text/html
    [a] = read(f"{base}/mislabelled.feed")
    assert a.source == "صدى"


def test_feed_file_on_disk(tmp_path):
    f = tmp_path / "news.xml"
    f.write_text(RSS.format(enc="utf-8", base="https://alrased.example", plain=PLAIN), encoding="utf-8")
    items = list(read(f))
    assert len(articles(items)) == 2 and len(errors(items)) == 1
    g = tmp_path / "notafeed.xml"
    g.write_text("<config><item>قيمة</item></config>", encoding="utf-8")
    assert "not an RSS or Atom feed" in str(only_error(read(g)))


def test_feed_with_fetched_pages(site):
    from marsad.ingest.web import fetch
    from marsad.ingest.feeds import read_feed

    root, base = site
    _write_site(root, base)
    body, _, _ = fetch(f"{base}/news.rss")
    items = list(read_feed(body, f"{base}/news.rss", fetch=True))
    storm, agri = articles(items)
    check_storm_page(storm)  # the full page, decoded from windows-1256, not the teaser
    assert storm.published == "2026-11-17T01:30:00+03:00"
    assert "على ثلاث مراحل" in agri.text and agri.title == "خطة لزراعة مليون شجرة"
    [e] = errors(items)
    assert "HTTP 404" in str(e) and "none.html" in str(e)


def test_html_page_over_http(site):
    from marsad.ingest.html import url_id

    root, base = site
    _write_site(root, base)
    [a] = read(f"{base}/storm.html")
    check_storm_page(a)
    assert a.url == f"{base}/storm.html" and a.id == url_id(a.url)


def test_url_errors(site):
    root, base = site
    (root / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    (root / "empty.html").write_bytes(b"")
    assert "HTTP 404" in str(only_error(read(f"{base}/missing.html")))
    assert "binary" in str(only_error(read(f"{base}/blob.bin"))) or "neither" in str(only_error(read(f"{base}/blob.bin")))
    assert "empty" in str(only_error(read(f"{base}/empty.html")))
    assert "cannot fetch" in str(only_error(read("http://127.0.0.1:9/nothing-listens-here")))


def test_fetch_size_cap(site):
    from marsad.ingest.web import fetch

    root, base = site
    (root / "huge.html").write_bytes(b"<html>" + b" " * 3000)
    with pytest.raises(InputError, match="limit"):
        fetch(f"{base}/huge.html", max_bytes=1000)


# -- WARC ------------------------------------------------------------------------

def test_warc(tmp_path):
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    f = tmp_path / "crawl.warc.gz"
    with f.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, body, ctype in [
            ("https://alrased.example/storm", PAGE.format(meta="").encode("utf-8"), "text/html; charset=utf-8"),
            ("https://alrased.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
            ("https://alrased.example/legacy", PAGE.format(meta="").encode("cp1256"), "text/html; charset=windows-1256"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    items = list(read(f))
    assert not errors(items)
    a, b = articles(items)
    check_storm_page(a)
    check_storm_page(b)
    assert a.url == "https://alrased.example/storm" and a.id != b.id
    bad = tmp_path / "bad.warc"
    bad.write_text("ليس ملف أرشيف", encoding="utf-8")
    assert "WARC" in str(only_error(read(bad)))


def test_truncated_gz_keeps_the_records_before_it(tmp_path):
    recs = [json.dumps({"id": f"z{i}", "text": f"{PLAIN} ({i}) " + "و" * 3000}, ensure_ascii=False) for i in range(40)]
    data = gzip.compress("\n".join(recs).encode("utf-8"))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(data[: len(data) // 2])
    items = list(read(f))
    assert articles(items) and len(articles(items)) < 40
    assert "cannot read further" in str(errors(items)[-1])
    g = tmp_path / "fake.jsonl.gz"
    g.write_text("ليس ملفا مضغوطا", encoding="utf-8")
    assert "cannot read" in str(only_error(read(g)))


def test_json_array_file(tmp_path):
    f = tmp_path / "arr.json"
    f.write_text(json.dumps([{"id": "a1", "text": STORM}, {"id": "a2"}, {"id": "a3", "text": PLAIN}],
                            ensure_ascii=False, indent=2), encoding="utf-8")
    items = list(read(f))
    assert [a.id for a in articles(items)] == ["a1", "a3"]
    assert "item 2: record has no text" in str(only_error(errors(items)))


def test_sniffing():
    from marsad.ingest.web import sniff

    assert sniff(b"\xef\xbb\xbf  <?xml version='1.0'?><rss version='2.0'>", "text/html") == "feed"
    assert sniff(b"<!-- cached --><!DOCTYPE html><html>", "") == "html"
    assert sniff("مقال عن لغة <html> وتاريخها".encode("utf-8"), "text/plain") == "text"
    assert sniff(b"<data/>", "application/atom+xml") == "feed"
    assert sniff(b"\x89PNG\r\n", "image/png") == "unknown"
