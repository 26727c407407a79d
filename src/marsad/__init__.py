"""marsad (مرصد): an Arabic news intelligence engine.

Python API::

    from marsad import Engine
    with Engine("marsad.db") as engine:
        engine.ingest(["articles/"])
        for hit in engine.search("الأمريكي"):
            print(hit.article_id, hit.snippet)
"""
from marsad.errors import MarsadError
from marsad.model import Analysis, Article

__all__ = ["Analysis", "Article", "Engine", "MarsadError", "analyze"]
__version__ = "0.1.0"


def __getattr__(name: str):  # lazy: importing marsad stays cheap
    if name == "Engine":
        from marsad.engine import Engine

        return Engine
    if name == "analyze":
        from marsad.engine import analyze

        return analyze
    raise AttributeError(name)
