"""Storage behind one interface: SQLite (embedded default) or PostgreSQL."""
from __future__ import annotations

from marsad.store.base import SearchHit, SearchQuery, Store


def open_store(url: str) -> Store:
    """``path/to/file.db`` or ``sqlite:///path`` -> SQLite;
    ``postgresql://...`` -> PostgreSQL."""
    if url.startswith(("postgresql://", "postgres://")):
        from marsad.store.postgres import PostgresStore

        return PostgresStore(url)
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


__all__ = ["SearchHit", "SearchQuery", "Store", "open_store"]
