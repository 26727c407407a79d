"""Shared fixtures: paths to ../shared (read there, never copied), the seed
articles, and a fresh engine on a temporary SQLite file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def load_seeds() -> dict[str, dict]:
    out = {}
    with (SEEDS / "seeds.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


@pytest.fixture(scope="session")
def seeds() -> dict[str, dict]:
    """The two seed records keyed by id: 003_7ef351cf9e1796e6, 000_869a8ed862cadf55."""
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not beside the repo")
    return load_seeds()


@pytest.fixture(scope="session")
def seed_articles(seeds):
    from marsad.ingest.files import article_from_text

    return {k: article_from_text(v["text"], id=k, source=v["source"], published=v["published"])
            for k, v in seeds.items()}


@pytest.fixture(scope="session")
def seed_analyses(seed_articles):
    """Both seeds through the full default pipeline (computed once)."""
    from marsad.pipeline import Pipeline

    pipe = Pipeline()
    return {k: pipe(a) for k, a in seed_articles.items()}


@pytest.fixture
def engine(tmp_path):
    from marsad.engine import Engine

    with Engine(str(tmp_path / "test.db"), workers=1) as e:
        yield e
