"""`marsad spark ...` and `marsad load`: the Spark surface of the CLI."""
from __future__ import annotations

import json

import click


def register(main: click.Group) -> None:
    @main.group()
    def spark() -> None:
        """Run marsad over archives with Spark (local[*] by default; set
        MARSAD_SPARK_MASTER or --master for a cluster)."""

    @spark.command("analyze")
    @click.option("--input", "input_path", required=True, help="JSONL (.jsonl/.jsonl.gz) or Parquet archive")
    @click.option("--output", "output_path", required=True, help="Parquet folder to write")
    @click.option("--master", default=None, help="Spark master URL (default local[*])")
    @click.option("--partitions", type=int, default=None)
    def spark_analyze(input_path: str, output_path: str, master: str | None, partitions: int | None) -> None:
        """Per-article analysis as a pure function over partitions -> Parquet."""
        from marsad.scale.spark import analyze

        click.echo(json.dumps(analyze(input_path, output_path, master=master, partitions=partitions)))

    @spark.command("link")
    @click.option("--input", "input_path", required=True, help="Parquet written by `marsad spark analyze`")
    @click.option("--output", "output_path", required=True,
                  help="Parquet for reuse pairs; with --what other than reuse, a folder of one Parquet per result")
    @click.option("--what", default="reuse", show_default=True,
                  help="comma-separated results: reuse, entities, stories (e.g. reuse,entities,stories)")
    @click.option("--master", default=None)
    def spark_link(input_path: str, output_path: str, what: str, master: str | None) -> None:
        """Reuse candidates (MinHash LSH) and passages, entities, events and stories over the whole archive."""
        from marsad.scale.spark_link import link

        try:
            counts = link(input_path, output_path, master=master, what=what)
        except ValueError as e:
            raise click.UsageError(str(e)) from e
        click.echo(json.dumps(counts))

    @main.command("load")
    @click.argument("path")
    @click.option("--db", default="marsad.db", envvar="MARSAD_DB", show_default=True)
    @click.option("--analysis", default=None,
                  help="with a result folder: the analysed Parquet it links (default: the one in its manifest)")
    def load_cmd(path: str, db: str, analysis: str | None) -> None:
        """Load Spark results into a database (SQLite or postgresql://).

        PATH is either the analysed Parquet of `marsad spark analyze` (linked
        as it loads, like `marsad ingest`) or the folder of `marsad spark link
        --what reuse,entities,stories` (loaded as it is: every linker table)."""
        from marsad.errors import ConfigError
        from marsad.scale.load import is_result_folder, load_folder

        if is_result_folder(path):
            try:
                counts = load_folder(path, db, analysis=analysis)
            except ConfigError as e:
                raise click.ClickException(str(e)) from e
            if counts.get("articles") == 0 and len(counts) == 1:
                click.echo(f"{path} is already loaded into {db}: nothing added")
            else:
                click.echo(json.dumps(counts))
            return
        from marsad.scale.spark import load

        click.echo(f"{load(path, db)} articles loaded into {db}")
