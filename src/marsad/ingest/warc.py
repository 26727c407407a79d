"""WARC archives (web crawls, ``.warc`` / ``.warc.gz``): each HTML or feed
response record becomes articles, read as if it had just been fetched.

The WARC-Date is the crawl time, not the publication date, so it is not
used as ``published``.  Needs ``warcio``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from marsad.errors import InputError
from marsad.ingest.web import MAX_FETCH_BYTES, read_bytes, sniff
from marsad.model import Article


def read_warc(path: Path, *, source: str | None = None,
              published: str | None = None) -> Iterator[Article | InputError]:
    p = str(path)
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield InputError("reading WARC files needs warcio (pip install warcio)", path=p)
        return
    found = 0
    try:
        with path.open("rb") as fh:
            for n, rec in enumerate(ArchiveIterator(fh), start=1):
                if rec.rec_type != "response" or rec.http_headers is None:
                    continue
                status = rec.http_headers.get_statuscode()
                if not status or not status.startswith("2"):
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI")
                ctype = rec.http_headers.get_header("Content-Type") or ""
                body = rec.content_stream().read(MAX_FETCH_BYTES + 1)
                where = f"{p} record {n} ({url})"
                if len(body) > MAX_FETCH_BYTES:
                    yield InputError(f"response is over the {MAX_FETCH_BYTES // 2**20} MB limit", path=where)
                    continue
                if sniff(body, ctype) not in ("html", "feed"):
                    continue  # images, scripts, style sheets of the crawl
                found += 1
                yield from read_bytes(body, url=url, content_type=ctype, source=source, published=published,
                                      path=where)
    except ArchiveLoadFailed as e:
        yield InputError(f"not a readable WARC file ({e})", path=p)
        return
    except OSError as e:
        yield InputError(f"cannot read: {e}", path=p)
        return
    if not found:
        yield InputError("WARC holds no HTML page or feed responses", path=p)
