"""The web UI in a real browser: Debian's chromium driven by Playwright
(installed by scripts/install_browser.sh; Playwright's own browser download
is never used).  The app runs under uvicorn in a background thread."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
SHOTS = REPO / "test-output" / "screenshots"
SEED_000 = "000_869a8ed862cadf55"
EVIL_ID = "evil-script"
# Our own sentence, with a script that would set window.pwned if it ran.
EVIL_TEXT = ("ايلاف من لندن: قال مسؤول في بغداد <script>window.pwned = true</script> "
             "<img src=x onerror=\"window.pwned = true\"> إن الوفد يصل غدا.")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent: run scripts/install_browser.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_articles):
    import uvicorn

    from marsad.api.app import create_app
    from marsad.engine import Engine
    from marsad.ingest.files import article_from_text

    engine = Engine(str(tmp_path_factory.mktemp("browser") / "ui.db"), workers=1)
    engine.add(list(seed_articles.values()))
    engine.add([article_from_text(EVIL_TEXT, id=EVIL_ID, source="Test", published="2020-11-27")])
    engine.ingest([str(REPO / "examples" / "articles.jsonl")])  # our own text: the README screenshot
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", engine
    srv.should_exit = True
    thread.join(10)
    engine.close()


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ar")
        yield pg
        browser.close()


def _shot(page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def test_article_page_is_rtl_and_highlights_lavrov(server, page):
    base, engine = server
    page.goto(f"{base}/articles/{SEED_000}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.locator("#text .hl-entity").count() > 0
    _shot(page, "article-000.png")

    lavrov = page.locator("#text [data-kind=entity]", has_text="لافروف")
    assert lavrov.count() > 0, "Lavrov's mention is not highlighted"
    first = lavrov.first
    eid = first.get_attribute("data-entity-id")
    assert eid, "Lavrov's mention carries no entity id"
    assert first.get_attribute("href") == f"/entities/{eid}"
    assert "لافروف" in (first.get_attribute("title") or "")
    first.click()
    page.wait_for_url(f"**/entities/{eid}")
    assert "لافروف" in page.locator("h1").inner_text()
    _shot(page, "entity-lavrov.png")


def test_highlight_shows_its_resolution_on_click(server, page):
    base, _ = server
    page.goto(f"{base}/articles/{SEED_000}")
    span = page.locator("#text span.hl").first
    if span.count() == 0:
        pytest.skip("no non-link highlight on the page")
    span.click()
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text().strip() == (span.get_attribute("title") or "").strip()


def test_script_in_article_does_not_run(server, page):
    base, _ = server
    page.goto(f"{base}/articles/{EVIL_ID}")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.pwned") == "undefined"
    text = page.locator("#text").inner_text()
    assert "<script>window.pwned = true</script>" in text  # shown as text
    assert page.locator("#text script, #text img").count() == 0
    _shot(page, "article-script.png")


def test_home_search_and_story_pages(server, page):
    base, engine = server
    page.goto(f"{base}/")
    assert page.evaluate("document.dir") == "rtl"
    _shot(page, "home.png")
    page.fill(".big-search input[name=q]", "لافروف")
    page.click(".big-search button")
    page.wait_for_url("**/search?q=*")
    assert "q=" in page.url
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator("ol.hits mark").count() >= 1
    _shot(page, "search.png")
    story = engine.article_record(SEED_000).get("story_id")
    if story:
        page.goto(f"{base}/stories/{story}")
        assert page.locator("ol.timeline li").count() >= 2
        _shot(page, "story.png")


def test_readme_screenshot_of_an_example_article(server, page):
    """The README shows an article marsad ships (examples/, our own text),
    never a seed or corpus article."""
    base, _ = server
    page.goto(f"{base}/articles/ex-001")
    assert page.locator("#text .hl-entity").count() > 0
    top = _shot(page, "article-example-top.png", full_page=False)
    shutil.copyfile(top, REPO / "docs" / "screenshot-article.png")
