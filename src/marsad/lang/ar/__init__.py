"""Arabic knowledge as data files in ``data/``, loaded by name.

Two formats, both UTF-8, ``#`` starts a comment line:

* ``NAME.txt``: one entry per line.
* ``NAME.tsv``: a header line naming the columns, then one row per line,
  tab-separated; empty cells are ``""``.

Every file is checked by ``tests/test_lang_data.py`` (entries survive the
normaliser they are matched with, no duplicates, codes valid).
"""
from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files(__package__) / "data"))


def path(name: str) -> Path:
    p = DATA / name
    if not p.exists():
        known = ", ".join(sorted(f.name for f in DATA.iterdir()))
        raise FileNotFoundError(f"no Arabic data file {name!r}; known: {known}")
    return p


def _lines(name: str) -> list[str]:
    out = []
    for line in path(name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line.rstrip("\n"))
    return out


@cache
def load_list(name: str) -> tuple[str, ...]:
    """Entries of ``data/NAME.txt`` (name without extension)."""
    return tuple(line.strip() for line in _lines(f"{name}.txt"))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``data/NAME.tsv`` as dicts keyed by the header's columns."""
    lines = _lines(f"{name}.tsv")
    if not lines:
        return ()
    header = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) > len(header):
            raise ValueError(f"{name}.tsv row {n}: {len(cells)} cells, header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        rows.append({h: c.strip() for h, c in zip(header, cells)})
    return tuple(rows)


def data_files() -> list[str]:
    return sorted(f.name for f in DATA.iterdir() if f.suffix in {".txt", ".tsv"})
