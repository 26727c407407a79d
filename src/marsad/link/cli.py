"""CLI commands for stories and text reuse: ``marsad stories``, ``marsad story
ID``, ``marsad reuse ID``.  Thin: each opens the engine and calls one query
helper of ``marsad.link.stories`` / ``marsad.link.reuse``."""
from __future__ import annotations

import json

import click


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def register(main: click.Group) -> None:
    from marsad.cli import _engine, db_option

    @main.command("stories")
    @db_option
    @click.option("--limit", default=20, show_default=True)
    @click.option("--offset", default=0, show_default=True)
    @click.option("--min-size", default=1, show_default=True, help="only stories with at least this many articles")
    @click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text")
    def stories_cmd(db: str, limit: int, offset: int, min_size: int, as_json: bool) -> None:
        """Stories, most recent first: size, first and last date, title."""
        from marsad.link.stories import list_stories

        with _engine(db) as engine:
            rows = list_stories(engine.store, limit, offset, min_size=min_size)
        for r in rows:
            if as_json:
                click.echo(json.dumps(r, ensure_ascii=False))
            else:
                click.echo(f"{r['id']}  {r['size']:>4}  {(r['first_published'] or '?')[:10]} .. "
                           f"{(r['last_published'] or '?')[:10]}  {_short(r['title'] or '')}")

    @main.command("story")
    @click.argument("story_id")
    @db_option
    @click.option("--json", "as_json", is_flag=True)
    def story_cmd(story_id: str, db: str, as_json: bool) -> None:
        """One story's timeline: articles by date, links, shared passages."""
        from marsad.link.stories import get_story

        with _engine(db) as engine:
            story = get_story(engine.store, story_id)
        if story is None:
            raise click.ClickException(f"no story {story_id!r}; `marsad stories` lists them")
        if as_json:
            click.echo(json.dumps(story, ensure_ascii=False, indent=1))
            return
        click.echo(f"{story['id']}  {story['size']} articles  {_short(story['title'] or '')}")
        for a in story["articles"]:
            click.echo(f"  {(a['published'] or '?')[:16]:<16}  {a['id']}  {_short(a['title'] or '', 70)}")
        if story["links"]:
            click.echo("links:")
            for link in story["links"]:
                click.echo(f"  {link['from']} -> {link['to']}  {link['kind']}")
        pairs = {(r["a_id"], r["b_id"]) for r in story["reuse"]}
        if pairs:
            click.echo(f"reuse: {len(story['reuse'])} passages in {len(pairs)} article pairs "
                       "(`marsad reuse ID` shows them)")

    @main.command("reuse")
    @click.argument("article_id")
    @db_option
    @click.option("--json", "as_json", is_flag=True)
    def reuse_cmd(article_id: str, db: str, as_json: bool) -> None:
        """Passages an article shares with others, side by side."""
        from marsad.link.reuse import ReuseLinker

        with _engine(db) as engine:
            text = engine.analysis(article_id).article.text  # NotFound -> clean error
            rows = ReuseLinker().passages(engine.store, article_id)
            others = {r["other_id"]: engine.store.get_article(r["other_id"]) for r in rows}
        if as_json:
            for r in rows:
                click.echo(json.dumps(r, ensure_ascii=False))
            return
        if not rows:
            click.echo(f"{article_id}: no reused passages")
            return
        for r in rows:
            other = others.get(r["other_id"])
            click.echo(f"\n{article_id} [{r['start']}:{r['end']}]  <->  {r['other_id']} "
                       f"[{r['other_start']}:{r['other_end']}]  similarity {r['similarity']:.2f}  {r['kind']}")
            click.echo("  this:  " + " ".join(text[r["start"]:r["end"]].split()))
            if other is not None:
                click.echo("  other: " + " ".join(other.text[r["other_start"]:r["other_end"]].split()))
