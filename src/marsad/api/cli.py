"""``marsad serve``: the REST API and the web UI over one database."""
from __future__ import annotations

import os

import click


def register(main: click.Group) -> None:
    @main.command()
    @click.option("--db", default="marsad.db", envvar="MARSAD_DB", show_default=True,
                  help="SQLite file (default ./marsad.db) or postgresql://...")
    @click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
    @click.option("--port", default=8000, show_default=True, type=int)
    @click.option("--token", envvar="MARSAD_TOKEN", default=None,
                  help="bearer token for POST /api/ingest (or MARSAD_TOKEN); without one, writes are off")
    @click.option("--max-body", default=5 * 1024 * 1024, show_default=True, type=int,
                  help="largest ingest body in bytes (413 above)")
    def serve(db: str, host: str, port: int, token: str | None, max_body: int) -> None:
        """Serve the REST API (/api/, /openapi.json) and the web UI (/)."""
        import uvicorn

        from marsad.api.app import create_app

        if db != ":memory:" and "://" not in db and not os.path.exists(db):
            raise click.ClickException(f"no database at {db}; run `marsad ingest PATH --db {db}` first")
        app = create_app(db, token=token or None, max_body=max_body)
        click.echo(f"marsad: serving {db} on http://{host}:{port}/ "
                   f"(writes {'need the token' if token else 'disabled: no --token'})", err=True)
        uvicorn.run(app, host=host, port=port, log_level="warning")
