"""Reading articles from files: plain text, JSONL, folders; bytes decoded
from UTF-8, UTF-16 or the legacy Arabic code pages (windows-1256,
ISO-8859-6).  Readers yield ``Article`` or ``InputError`` so that one bad
record never stops a batch."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterator

from marsad.errors import InputError
from marsad.ingest.dateline import parse_dateline
from marsad.model import Article

MAX_FILE_BYTES = 20 * 1024 * 1024  # one plain-text or HTML article
MAX_ARTICLE_CHARS = 2_000_000  # one article's text, whatever the container
TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}

_ARABIC = range(0x0621, 0x064B)


def _arabic_ratio(text: str) -> float:
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return 0.0
    return sum(ord(c) in _ARABIC for c in letters) / len(letters)


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode(data: bytes, *, path: str | None = None) -> tuple[str, str]:
    """(text, encoding).  UTF-8 first; then UTF-16 by BOM; then the Arabic
    code page that yields the most Arabic letters."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if looks_binary(data):
        raise InputError("binary data, not text (is this a PDF, image or archive?)", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for enc in ("cp1256", "iso8859_6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _arabic_ratio(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.3:
        raise InputError("not UTF-8 and not Arabic in windows-1256 or ISO-8859-6; "
                         "convert it to UTF-8 (iconv -f ENCODING -t UTF-8)", path=path)
    return best[1], best[2]


def _id_for(path: Path, text: str) -> str:
    return path.stem if path.stem else hashlib.sha1(text.encode()).hexdigest()[:16]


def article_from_text(text: str, *, id: str, source: str | None = None, published: str | None = None,
                      title: str | None = None, url: str | None = None, path: str | None = None,
                      line: int | None = None) -> Article:
    """Validate and build an article, reading the dateline when there is one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty article (no text)", path=path, line=line)
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"article of {len(text):,} characters is over the {MAX_ARTICLE_CHARS:,} limit; "
                         "split it into articles", path=path, line=line)
    if "\x00" in text:
        raise InputError("text contains NUL characters (binary data?)", path=path, line=line)
    dl = parse_dateline(text)
    if published:
        published = _check_date(published, path=path, line=line)
    return Article(id=str(id), text=text, source=source or (dl.source if dl else None), url=url or None,
                   published=published, title=title or None, dateline=dl.place if dl else None)


def _check_date(value: Any, *, path: str | None, line: int | None) -> str:
    import datetime as dt

    s = str(value).strip()
    try:
        if len(s) <= 10:
            dt.date.fromisoformat(s)
        else:
            dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"published {s!r} is not an ISO 8601 date (YYYY-MM-DD)", path=path, line=line) from None
    return s


def read_text_file(path: Path, *, source: str | None = None, published: str | None = None) -> Iterator[Article | InputError]:
    p = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"file of {size / 1e6:.1f} MB is over the {MAX_FILE_BYTES // 2**20} MB limit "
                             "for one article; split it or convert it to JSONL", path=p)
        if size == 0:
            raise InputError("empty file", path=p)
        text, _ = decode(path.read_bytes(), path=p)
        yield article_from_text(text, id=_id_for(path, text), source=source, published=published, path=p)
    except InputError as e:
        yield e
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror}", path=p)


JSON_FIELDS = ("id", "source", "published", "title", "text", "url")


def read_jsonl(path: Path, *, source: str | None = None, published: str | None = None) -> Iterator[Article | InputError]:
    """One JSON object a line: ``id, source, published, title, text, url``
    (``text`` required; a missing ``id`` is derived from the URL or text)."""
    p = str(path)
    try:
        fh = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    except OSError as e:
        yield InputError(f"cannot read: {e.strerror}", path=p)
        return
    with fh:
        seen_any = False
        try:
            head = fh.peek(64)[:64] if hasattr(fh, "peek") else b""
            if path.suffix.lower() == ".json" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
                yield from _read_json_array(fh, p, source=source, published=published)
                return
            for n, raw in enumerate(_lines(fh, p), start=1):
                if not raw.strip():
                    continue
                seen_any = True
                try:
                    if len(raw) > MAX_ARTICLE_CHARS * 4:
                        raise InputError(f"record of {len(raw) / 1e6:.1f} MB is over the limit for one article",
                                         path=p, line=n)
                    line, _ = decode(raw, path=p)
                    try:
                        rec = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(f"malformed JSON ({e.msg} at column {e.colno})", path=p, line=n) from None
                    yield _from_record(rec, path=p, line=n, source=source, published=published)
                except InputError as e:
                    yield e
        except InputError as e:  # a truncated or corrupt .gz: the records before it are kept
            yield e
            return
        except (OSError, EOFError) as e:
            yield InputError(f"cannot read: {e}", path=p)
            return
        if not seen_any:
            yield InputError("empty file", path=p)


def _from_record(rec: Any, *, path: str, line: int | None, source: str | None,
                 published: str | None) -> Article:
    if not isinstance(rec, dict):
        raise InputError("a JSON object was expected", path=path, line=line)
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("record has no text", path=path, line=line)
    rid = rec.get("id") or (hashlib.sha1((rec.get("url") or text).encode()).hexdigest()[:16])
    return article_from_text(text, id=str(rid), source=rec.get("source") or source,
                             published=rec.get("published") or rec.get("date") or published,
                             title=rec.get("title"), url=rec.get("url"), path=path, line=line)


def _read_json_array(fh: Any, path: str, *, source: str | None,
                     published: str | None) -> Iterator[Article | InputError]:
    """A ``.json`` file holding one array of records (item N reported as line N)."""
    data = fh.read(MAX_FILE_BYTES * 5 + 1)
    if len(data) > MAX_FILE_BYTES * 5:
        yield InputError(f"JSON array over {MAX_FILE_BYTES * 5 // 2**20} MB; write it as JSON lines", path=path)
        return
    try:
        recs = json.loads(decode(data, path=path)[0])
    except json.JSONDecodeError as e:
        yield InputError(f"malformed JSON ({e.msg} at line {e.lineno}, column {e.colno})", path=path)
        return
    if not recs:
        yield InputError("empty JSON array", path=path)
    for n, rec in enumerate(recs, start=1):
        try:
            yield _from_record(rec, path=path, line=None, source=source, published=published)
        except InputError as e:
            yield InputError(f"item {n}: {e.reason}", path=path)


def _lines(fh: Any, path: str) -> Iterator[bytes]:
    try:
        yield from fh
    except (OSError, EOFError) as e:  # a truncated or corrupt .gz
        raise InputError(f"cannot read further: {e}", path=path) from None


# Files a folder of articles commonly holds that are not articles: read
# when named one by one, skipped (and counted) when a folder is walked.
NOT_ARTICLE_NAMES = ("readme", "license", "licence", "copying", "changelog", "changes", "notice", "authors",
                     "contributing", "makefile", "dockerfile", "manifest")
NOT_ARTICLE_SUFFIXES = frozenset(
    ".md .rst .py .js .ts .css .sh .bat .ps1 .c .h .java .go .rs .rb .pl .php .toml .yaml .yml .ini .cfg .lock "
    ".png .jpg .jpeg .gif .svg .webp .ico .bmp .tif .tiff .heic .pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods "
    ".zip .tar .tgz .7z .rar .bz2 .xz .zst .exe .dll .so .dylib .bin .o .a .class .jar .pyc .whl .db .sqlite "
    ".sqlite3 .parquet .mp3 .mp4 .m4a .wav .ogg .avi .mov .mkv .webm .woff .woff2 .ttf .otf .eot".split())


def not_article(name: str) -> bool:
    """Whether a file met while walking a folder is obviously not an article:
    hidden, a README/LICENSE-like file, or a non-text suffix."""
    low = name.lower()
    if low.startswith(".") or low.endswith(("~", ".tar.gz")):
        return True
    if low.split(".", 1)[0] in NOT_ARTICLE_NAMES:
        return True
    return os.path.splitext(low)[1] in NOT_ARTICLE_SUFFIXES


def iter_files(root: Path, skipped: list[str] | None = None) -> Iterator[Path]:
    """Files below ``root`` in a stable order.  Hidden folders are not
    entered; files that are obviously not articles (:func:`not_article`)
    are left out and, when ``skipped`` is given, appended to it."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not_article(f):
                if skipped is not None:
                    skipped.append(str(Path(dirpath) / f))
            else:
                yield Path(dirpath) / f
