"""Command line: each command opens the engine and calls one of its methods.
Library errors become a one-line message and a non-zero exit."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any, Iterable

import click

from marsad.errors import InputError, MarsadError

DB_HELP = "database: a SQLite file path (default ./marsad.db) or postgresql://..."


def _engine(db: str, **kw: Any):
    from marsad.engine import Engine

    try:
        return Engine(db, **kw)
    except MarsadError as e:
        raise click.ClickException(str(e)) from e


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MarsadError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="marsad")
def main() -> None:
    """marsad (مرصد): Arabic news intelligence.  Ingest articles, then search,
    export, and browse entities, quotes, dates, events, stories and reuse."""


db_option = click.option("--db", default="marsad.db", envvar="MARSAD_DB", show_default=True, help=DB_HELP)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--source", help="source name for records that lack one (e.g. Elaph)")
@click.option("--published", help="publication date (YYYY-MM-DD) for records that lack one")
@click.option("--force", is_flag=True, help="re-analyse articles already stored")
@click.option("--workers", type=int, default=None, help="analysis processes (default: all cores)")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def ingest(paths: tuple[str, ...], db: str, source: str | None, published: str | None, force: bool,
           workers: int | None, quiet: bool) -> None:
    """Ingest files, folders (recursive), JSONL, HTML, RSS/Atom feeds, WARC or URLs."""
    def report_error(e: InputError) -> None:
        click.echo(f"marsad: rejected {e}", err=True)

    with _engine(db, workers=workers) as engine:
        report = engine.ingest(paths, source=source, published=published, progress=not quiet,
                               on_error=report_error, force=force)
        click.echo(f"{report.summary()} -> {engine.store.url} ({engine.store.count()} articles)")
    if report.errors:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--source", help="source name")
@click.option("--published", help="publication date (YYYY-MM-DD)")
@click.option("--tokens", is_flag=True, help="include tokens")
def analyze(file: str, source: str | None, published: str | None, tokens: bool) -> None:
    """Print the analysis of one article as JSON; stores nothing."""
    from marsad.engine import analyze as run
    from marsad.export import article_record
    from marsad.ingest import read
    from marsad.ingest.files import article_from_text, decode

    if file == "-":
        text, _ = decode(sys.stdin.buffer.read(), path="stdin")
        items: Iterable[Any] = [article_from_text(text, id="stdin", source=source, published=published)]
    else:
        items = list(read(file, source=source, published=published))
    failed = False
    for item in items:
        if isinstance(item, InputError):
            click.echo(f"marsad: rejected {item}", err=True)
            failed = True
            continue
        rec = article_record(run(item), tokens=tokens)
        click.echo(json.dumps(rec, ensure_ascii=False, indent=1))
    if failed:
        sys.exit(1)


@main.command()
@click.argument("query")
@db_option
@click.option("--source")
@click.option("--from", "date_from", help="published on or after (YYYY-MM-DD)")
@click.option("--to", "date_to", help="published on or before (YYYY-MM-DD)")
@click.option("--entity", "entity_id", help="only articles mentioning this entity id")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text")
def search(query: str, db: str, source: str | None, date_from: str | None, date_to: str | None,
           entity_id: str | None, limit: int, as_json: bool) -> None:
    """Full-text search (BM25) that folds Arabic spelling variants."""
    from marsad.store.snippets import mark

    with _engine(db) as engine:
        res = engine.search(query, source=source, date_from=date_from, date_to=date_to,
                            entity_id=entity_id, limit=limit)
    if as_json:
        for h in res.hits:
            click.echo(json.dumps({"id": h.article_id, "title": h.title, "source": h.source,
                                   "published": h.published, "score": round(h.score, 4),
                                   "snippet": h.snippet, "highlights": h.highlights}, ensure_ascii=False))
        return
    click.echo(f"{res.total} articles match")
    bold = sys.stdout.isatty()
    for h in res.hits:
        click.echo(f"\n{h.article_id}  {h.source or ''}  {h.published or ''}  score {h.score:.2f}")
        if h.title:
            click.echo(f"  {h.title}")
        before, after = ("\x1b[1;33m", "\x1b[0m") if bold else ("[", "]")
        click.echo("  " + mark(h.snippet, h.highlights, before, after))


def _flat(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return "|".join(str(_flat(x)) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return v


ARTICLE_CSV = ("id", "source", "url", "published", "title", "dateline", "story_id", "entities", "text")


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--what", default="articles", show_default=True,
              help="articles, entities, stories, events (what the installed linkers provide)")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="file to write (default stdout)")
@click.option("--tokens", is_flag=True, help="include tokens in article records")
def export(db: str, fmt: str, what: str, output: str | None, tokens: bool) -> None:
    """Export articles (the documented contract) or linked objects."""
    with _engine(db) as engine:
        rows = engine.export(what, tokens=tokens)
        tmp = Path(output + ".part") if output else None
        fh = tmp.open("w", encoding="utf-8", newline="") if tmp else sys.stdout
        try:
            if fmt == "jsonl":
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                writer = None
                for r in rows:
                    if what == "articles":
                        r = dict(r, entities=sorted({e["canonical"] or e["text"] for e in r["entities"]}))
                        r = {k: r.get(k) for k in ARTICLE_CSV}
                    if writer is None:
                        writer = csv.DictWriter(fh, fieldnames=list(r))
                        writer.writeheader()
                    writer.writerow({k: _flat(v) for k, v in r.items()})
        except BaseException:
            if tmp:  # no half-written .part left behind
                fh.close()
                tmp.unlink(missing_ok=True)
            raise
        finally:
            if tmp:
                fh.close()
        if tmp and output:
            tmp.replace(output)  # never a half-written export


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db: str, as_json: bool) -> None:
    """What the store holds."""
    with _engine(db) as engine:
        s = engine.stats()
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=1))
        return
    for k, v in s.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a}: {b}" for a, b in v.items())
        elif isinstance(v, list):
            v = ", ".join(map(str, v))
        click.echo(f"{k:>12}  {v}")


# Commands of the other surfaces register themselves here.
def _register_optional() -> None:
    import importlib

    for module in ("marsad.link.cli", "marsad.api.cli", "marsad.scale.cli"):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name != module:
                raise
            continue
        mod.register(main)


_register_optional()

if __name__ == "__main__":
    main()
