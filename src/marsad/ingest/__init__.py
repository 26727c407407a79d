"""Ingestion: turn paths and URLs into ``Article`` records.

``read(target)`` dispatches on what the target is: a folder (recursive), a
JSONL file (``.jsonl``, ``.jsonl.gz``), a plain-text file, an HTML page, an
RSS/Atom feed, a WARC file, or an ``http(s)://`` URL of a page or a feed.  It
yields ``Article`` or ``InputError`` items, so that the caller keeps the good
records of a batch and reports the bad ones.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from marsad.errors import InputError
from marsad.ingest.files import JSONL_SUFFIXES, _check_date, iter_files, read_jsonl, read_text_file
from marsad.model import Article

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
WARC_SUFFIXES = {".warc"}

Item = Article | InputError


def _suffix(path: Path) -> str:
    s = path.suffix.lower()
    if s == ".gz":
        return Path(path.stem).suffix.lower() + ".gz"
    return s


def read_path(path: Path, *, source: str | None = None, published: str | None = None) -> Iterator[Item]:
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES or suffix in {s + ".gz" for s in JSONL_SUFFIXES}:
        yield from read_jsonl(path, source=source, published=published)
    elif suffix in HTML_SUFFIXES:
        from marsad.ingest.html import read_html_file

        yield from read_html_file(path, source=source, published=published)
    elif suffix in FEED_SUFFIXES:
        from marsad.ingest.feeds import read_feed_file

        yield from read_feed_file(path, source=source, published=published)
    elif suffix in WARC_SUFFIXES or suffix == ".warc.gz":
        from marsad.ingest.warc import read_warc

        yield from read_warc(path, source=source, published=published)
    else:
        kind = _peek(path)
        if kind == "html":
            from marsad.ingest.html import read_html_file

            yield from read_html_file(path, source=source, published=published)
        elif kind == "feed":
            from marsad.ingest.feeds import read_feed_file

            yield from read_feed_file(path, source=source, published=published)
        else:
            yield from read_text_file(path, source=source, published=published)


def _peek(path: Path) -> str:
    """A saved page or feed without the usual suffix is still read as one."""
    from marsad.ingest.web import sniff

    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return "text"  # read_text_file reports the error
    return sniff(head, "text/plain")


def read(target: str | Path, *, source: str | None = None, published: str | None = None,
         skipped: list[str] | None = None) -> Iterator[Item]:
    """Articles (or the errors of bad records) from one path or URL.

    ``source`` and ``published`` fill in what the input lacks: a record's
    own date (JSONL field, feed entry, page metadata) wins over
    ``published``; ``source`` wins over a page's site name or a feed's
    title and over the dateline, but not over a JSONL record's field.
    Files of a folder that are obviously not articles (README, LICENSE,
    hidden files, images, code ...: ``files.not_article``) are not read;
    their paths are appended to ``skipped`` when given."""
    t = str(target)
    if published is not None:
        try:
            published = _check_date(published, path=None, line=None)
        except InputError as e:
            yield InputError(f"--published: {e.reason}", path=t)
            return
    if t.startswith(("http://", "https://")):
        from marsad.ingest.web import read_url

        yield from read_url(t, source=source, published=published)
        return
    path = Path(t)
    if not path.exists():
        yield InputError("no such file or folder", path=t)
    elif path.is_dir():
        found = False
        left_out: list[str] = []
        for f in iter_files(path, left_out):
            found = True
            yield from read_path(f, source=source, published=published)
        if skipped is not None:
            skipped.extend(left_out)
        if not found:
            yield InputError(f"folder holds no article files ({len(left_out)} other files skipped)" if left_out
                             else "folder holds no files", path=t)
    else:
        yield from read_path(path, source=source, published=published)
