"""Optional linker modules, reached lazily and defensively.

The entity, event, story and reuse linkers land independently of the API.
Each query helper here looks its module up with ``importlib.util.find_spec``
and answers "nothing yet" (an empty list, or ``None`` for one object) when the
module or the function is not there, so the REST API and the pages never
crash on a partial installation.  Results are normalised to plain dicts
whatever the linker returns (dataclass records, dicts, ``(rows, total)``).
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
from typing import Any, Callable

from marsad.store.base import Store


def module(name: str) -> Any | None:
    """``marsad.link.<name>`` if installed, else None (never raises ImportError)."""
    full = f"marsad.link.{name}"
    try:
        if importlib.util.find_spec(full) is None:
            return None
        return importlib.import_module(full)
    except ImportError:
        return None


def function(mod: str, *names: str) -> Callable[..., Any] | None:
    """The first of ``names`` defined by ``marsad.link.<mod>``."""
    m = module(mod)
    if m is None:
        return None
    for n in names:
        fn = getattr(m, n, None)
        if callable(fn):
            return fn
    return None


def to_plain(obj: Any) -> Any:
    """Records (``to_dict``), tuples and dicts to JSON-ready values."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if hasattr(obj, "to_dict"):
        return to_plain(obj.to_dict())
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_plain(x) for x in obj]
    return str(obj)


def call(fn: Callable[..., Any], store: Store, *args: Any, **kw: Any) -> Any:
    """Call ``fn(store, *args, **kw)`` passing only the keyword arguments its
    signature accepts (the linkers' helpers differ in their options)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        params = {}
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        kw = {k: v for k, v in kw.items() if k in params and (v is not None or k == "limit")}
    return fn(store, *args, **kw)


def as_rows(result: Any) -> tuple[list[dict[str, Any]], int | None]:
    """A linker's list answer as (rows, total or None)."""
    if result is None:
        return [], 0
    if isinstance(result, dict) and isinstance(result.get("items"), (list, tuple)):
        total = result.get("total")
        return to_plain(list(result["items"])), total if isinstance(total, int) else None
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], int):
        rows = to_plain(result[0])
        return rows, result[1]
    if hasattr(result, "__iter__") and not isinstance(result, (dict, str)):
        return [r if isinstance(r, dict) else {"value": r} for r in to_plain(list(result))], None
    return [to_plain(result)], None


def get_one(mod: str, names: tuple[str, ...], store: Store, key: str) -> dict[str, Any] | None:
    fn = function(mod, *names)
    if fn is None:
        return None
    try:
        obj = call(fn, store, key)
    except LookupError:
        return None
    except Exception as e:  # a linker's NotFound
        if getattr(e, "status", None) == 404:
            return None
        raise
    plain = to_plain(obj)
    return plain if isinstance(plain, dict) and plain else None


def list_of(mod: str, names: tuple[str, ...], store: Store, **kw: Any) -> tuple[list[dict[str, Any]], int | None]:
    fn = function(mod, *names)
    if fn is None:
        return [], 0
    return as_rows(call(fn, store, **kw))
