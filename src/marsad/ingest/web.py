"""URLs: fetch a page or a feed over HTTP(S) and read it.

Only the standard library (urllib): a timeout, a size cap, and a
User-Agent that names marsad.  Whether the bytes are a feed, a page or
plain text is decided by sniffing the document first (servers often send
feeds as text/html or text/xml) and by the Content-Type second.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from typing import Iterator

from marsad.errors import InputError
from marsad.model import Article

MAX_FETCH_BYTES = 20 * 1024 * 1024
TIMEOUT = 20.0
USER_AGENT = "marsad/0.1 (Arabic news intelligence; +https://github.com/marsad)"

_FEED_TYPES = ("rss", "atom", "rdf")


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_FETCH_BYTES) -> tuple[bytes, str, str]:
    """(body, content type, final URL after redirects); ``InputError`` on
    any network or HTTP failure or when the body is over ``max_bytes``."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"response of {int(length) / 1e6:.1f} MB is over the "
                                 f"{max_bytes // 2**20} MB limit", path=url)
            body = resp.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(f"response is over the {max_bytes // 2**20} MB limit", path=url)
            return body, resp.headers.get("Content-Type", ""), resp.geturl()
    except urllib.error.HTTPError as e:
        raise InputError(f"HTTP {e.code} {e.reason}", path=url) from None
    except urllib.error.URLError as e:
        raise InputError(f"cannot fetch: {e.reason}", path=url) from None
    except TimeoutError:
        raise InputError(f"no answer within {timeout:g} s", path=url) from None
    except (OSError, ValueError) as e:
        raise InputError(f"cannot fetch: {e}", path=url) from None


def sniff(data: bytes, content_type: str = "") -> str:
    """``feed``, ``html``, ``text`` or ``unknown``."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):  # UTF-16: look at the letters
        head = data[:4096].decode("utf-16", errors="ignore").lower().encode("utf-8", errors="ignore")
    markup = head.startswith(b"<")  # a text that merely mentions "<html" stays text
    if markup and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head):
        return "feed"
    if markup and (b"<html" in head or b"<body" in head or head.startswith(b"<!doctype html")):
        return "html"
    ct = content_type.split(";", 1)[0].strip().lower()
    if any(t in ct for t in _FEED_TYPES):
        return "feed"
    if ct in ("text/html", "application/xhtml+xml"):
        return "html"
    if ct.startswith("text/") or (not ct and not head.startswith(b"<")):
        return "text"
    if ct in ("application/xml", "text/xml"):
        return "feed"
    return "unknown"


def read_bytes(data: bytes, *, url: str | None = None, content_type: str = "", source: str | None = None,
               published: str | None = None, fetch_entries: bool = False,
               path: str | None = None) -> Iterator[Article | InputError]:
    """Dispatch a fetched (or archived) document to the feed, page or text reader."""
    where = path or url
    kind = sniff(data, content_type)
    if kind == "feed":
        from marsad.ingest.feeds import read_feed

        yield from read_feed(data, url, source=source, published=published, fetch=fetch_entries, path=where)
        return
    try:
        if kind == "html":
            from marsad.ingest.html import article_from_html

            yield article_from_html(data, url, source=source, published=published, content_type=content_type,
                                    path=where)
        elif kind == "text":
            import hashlib

            from marsad.ingest.files import article_from_text, decode

            text, _ = decode(data, path=where)
            aid = hashlib.sha1((url or text).encode("utf-8")).hexdigest()[:16]
            yield article_from_text(text, id=aid, source=source, published=published, url=url, path=where)
        else:
            raise InputError(f"neither a page, a feed nor text (Content-Type {content_type or 'missing'})",
                             path=where)
    except InputError as e:
        yield e


def read_url(url: str, *, source: str | None = None, published: str | None = None, fetch_entries: bool = False,
             timeout: float = TIMEOUT) -> Iterator[Article | InputError]:
    """Articles from one URL: a news page gives one, a feed one per entry
    (with ``fetch_entries`` each entry's page is fetched too)."""
    try:
        body, ctype, final = fetch(url, timeout=timeout)
    except InputError as e:
        yield e
        return
    if not body.strip():
        yield InputError("empty response", path=url)
        return
    yield from read_bytes(body, url=final, content_type=ctype, source=source, published=published,
                          fetch_entries=fetch_entries, path=url)
