"""RSS and Atom feeds (via feedparser): one article per entry.

A feed entry carries a link, a title, a date and usually only a summary.
By default the article text is the entry's content (or summary) with its
HTML stripped; with ``fetch=True`` the linked page is fetched and its main
text extracted with trafilatura, the summary being only a teaser.

Precedence of metadata: ``--source`` over the feed's title over the
dateline; the entry's date over ``--published``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

from marsad.errors import InputError
from marsad.ingest.files import MAX_FILE_BYTES, article_from_text
from marsad.model import Article

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
          "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object"}


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(html: str) -> str:
    """Plain text of an HTML fragment: block elements become line breaks,
    scripts and styles vanish, entities are decoded, white space folded."""
    if "<" not in html and "&" not in html:
        text = html
    else:
        s = _Stripper()
        s.feed(html)
        s.close()
        text = "".join(s.parts)
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _iso(t: Any) -> str | None:
    """feedparser's UTC struct_time as an ISO 8601 date-time."""
    if not t:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(t), dt.timezone.utc).isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def _entry_date(entry: Any) -> str | None:
    """The entry's date as ISO 8601, keeping the publisher's own UTC offset
    (the local day is what relative dates such as "أمس" resolve against);
    feedparser's UTC struct_time when the raw string is in another format."""
    for key in ("published", "updated"):
        raw = (entry.get(key) or "").strip()
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return dt.datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
        iso = _iso(entry.get(key + "_parsed"))
        if iso:
            return iso
    return None


def _entry_text(entry: Any) -> str:
    for c in entry.get("content") or []:
        if c.get("value"):
            return strip_html(c["value"])
    return strip_html(entry.get("summary") or entry.get("description") or "")


def entry_id(entry: Any) -> str | None:
    key = entry.get("id") or entry.get("link")
    return hashlib.sha1(key.strip().encode("utf-8")).hexdigest()[:16] if key else None


def read_feed(data: bytes, url: str | None = None, *, source: str | None = None, published: str | None = None,
              fetch: bool = False, path: str | None = None) -> Iterator[Article | InputError]:
    """Articles of an RSS/Atom document; one ``InputError`` per bad entry,
    or one for the whole feed when it is not a feed at all."""
    import feedparser

    where = path or url
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        yield InputError("not an RSS or Atom feed" + (f" ({reason})" if reason else ""), path=where)
        return
    if not parsed.entries:
        yield InputError("feed holds no entries", path=where)
        return
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, start=1):
        link = (entry.get("link") or "").strip() or None
        label = f"{where or 'feed'} entry {n}" + (f" ({link})" if link else "")
        try:
            aid = entry_id(entry)
            title = strip_html(entry.get("title") or "") or None
            entry_date = _entry_date(entry)
            date = entry_date or published
            if fetch and link:
                from marsad.ingest.html import article_from_html
                from marsad.ingest.web import fetch as get

                body, ctype, final = get(link)
                art = article_from_html(body, final, id=aid, source=source or feed_title,
                                        published=date, content_type=ctype, path=link)
                if entry_date:  # the feed's date-time is more precise than the page's day
                    art = art.replace(published=entry_date)
                yield art if art.title else art.replace(title=title)
                continue
            text = _entry_text(entry)
            if not text:
                raise InputError("entry has no text (no content or summary; try fetching the pages)")
            yield article_from_text(text, id=aid or hashlib.sha1(text.encode()).hexdigest()[:16],
                                    source=source or feed_title, published=date, title=title, url=link)
        except InputError as e:
            yield InputError(e.reason, path=label)


def read_feed_file(path: Path, *, source: str | None = None, published: str | None = None,
                   fetch: bool = False) -> Iterator[Article | InputError]:
    p = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield InputError("empty file", path=p)
            return
        if size > MAX_FILE_BYTES * 5:
            yield InputError(f"feed of {size / 1e6:.1f} MB is over the {MAX_FILE_BYTES * 5 // 2**20} MB limit",
                             path=p)
            return
        data = path.read_bytes()
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror}", path=p)
        return
    yield from read_feed(data, source=source, published=published, fetch=fetch, path=p)
