"""HTML pages: the main text, title, date and site name of a news page,
extracted with trafilatura (boilerplate such as menus, scripts and footers
left out).

Arabic sites still serve pages in windows-1256 or ISO-8859-6, often with a
wrong or missing declaration, so the bytes are decoded here (HTTP header,
then ``<meta charset>``, then ``files.decode``'s Arabic-aware guess) and
trafilatura only ever sees ``str``.

Precedence of metadata: ``--source`` over the page's site name over the
dateline; the page's own date over ``--published`` (which fills the gap).
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from marsad.errors import InputError
from marsad.ingest.files import MAX_FILE_BYTES, _arabic_ratio, article_from_text, decode, looks_binary
from marsad.model import Article

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Declarations that Arabic pages in cp1256 often carry by mistake.
_WESTERN = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}
MIN_TEXT_LETTERS = 20

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def url_id(url: str) -> str:
    """A stable article id from a URL (the URL is the identity of a page)."""
    return hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:16]


def _declared(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            return m.group(1).lower()
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def decode_html(data: bytes, *, content_type: str | None = None, path: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML or XML document's bytes."""
    if looks_binary(data):
        raise InputError("binary data, not an HTML page", path=path)
    enc = _declared(data, content_type)
    if enc and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass  # unknown or wrong declaration: guess below
        else:
            if enc in _WESTERN and any(b > 0x7F for b in data) and _arabic_ratio(text) < 0.05:
                try:  # an Arabic page mislabelled as Latin-1?
                    return decode(data, path=path)
                except InputError:
                    pass
            return text, enc
    return decode(data, path=path)


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def article_from_html(html: str | bytes, url: str | None = None, *, id: str | None = None,
                      source: str | None = None, published: str | None = None,
                      content_type: str | None = None, path: str | None = None) -> Article:
    """Build one article from a news page; ``InputError`` when the page holds
    no article text.  ``id`` defaults to a hash of ``url``."""
    try:
        import trafilatura
    except ImportError as e:  # lxml >= 5.2 needs lxml_html_clean beside it
        raise InputError(f"reading HTML needs trafilatura ({e})", path=path) from None
    if isinstance(html, bytes):
        if len(html) > MAX_FILE_BYTES:
            raise InputError(f"page of {len(html) / 1e6:.1f} MB is over the {MAX_FILE_BYTES // 2**20} MB limit",
                             path=path)
        html, _ = decode_html(html, content_type=content_type, path=path)
    html = _XML_DECL.sub("", html, count=1)  # lxml refuses str with an encoding declaration
    if not html.strip():
        raise InputError("empty page", path=path)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as e:  # trafilatura/lxml on pathological markup
        raise InputError(f"cannot parse the page ({type(e).__name__}: {e})", path=path) from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if _letters(text) < MIN_TEXT_LETTERS:
        raise InputError("no article text found in the page", path=path)
    title = (getattr(doc, "title", None) or "").strip() or None
    if title:  # trafilatura repeats the <h1> as the first line; the dateline comes after it
        first, _, rest = text.partition("\n")
        if first.strip() == title and _letters(rest) >= MIN_TEXT_LETTERS:
            text = rest.strip()
    page_date = getattr(doc, "date", None)
    sitename = (getattr(doc, "sitename", None) or "").strip() or None
    if sitename and url and sitename.lower() in urlsplit(url).netloc.lower():
        sitename = None  # trafilatura's guess from the host name, not the page's own
    if id is None:
        id = url_id(url) if url else hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    url = url or getattr(doc, "url", None)  # the page's canonical link when read from a file
    return article_from_text(text, id=id, source=source or sitename, published=page_date or published,
                             title=title, url=url, path=path)


def read_html_file(path: Path, *, source: str | None = None, published: str | None = None,
                   url: str | None = None) -> Iterator[Article | InputError]:
    """One article from a saved page; its id is the file stem (or the URL's
    hash when ``url`` is given)."""
    p = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError("empty file", path=p)
        if size > MAX_FILE_BYTES:
            raise InputError(f"file of {size / 1e6:.1f} MB is over the {MAX_FILE_BYTES // 2**20} MB limit "
                             "for one page", path=p)
        yield article_from_html(path.read_bytes(), url, id=None if url else path.stem,
                                source=source, published=published, path=p)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror}", path=p)
