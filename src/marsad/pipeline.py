"""Pipeline components and their composition.

A component is a factory registered with :func:`component`; it declares the
``Doc`` attributes it ``requires`` and ``assigns``.  The factory takes the
component's config as keyword arguments and returns a callable ``(doc) ->
None`` that fills what it assigns.  :class:`Pipeline` composes components in
one place (``PIPELINE_ORDER``), checks that every requirement is assigned by
an earlier component, and lets a user disable or replace a component.

    pipe = Pipeline(disable=["events"], config={"dates": {"vague": False}})
    analysis = pipe(article)
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

from marsad.errors import ConfigError
from marsad.model import Analysis, Article, Doc


class Component(Protocol):
    def __call__(self, doc: Doc) -> None: ...


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    factory: Callable[..., Component]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str = ""


REGISTRY: dict[str, ComponentInfo] = {}

# Pipeline order: component name -> module that registers it.  A component
# whose module is not part of this installation is left out of the default
# pipeline (``Pipeline.names`` says what runs); asking for it explicitly is an
# error.
PIPELINE_ORDER: dict[str, str] = {
    "tokens": "marsad.extract.text",
    "sentences": "marsad.extract.text",
    "entities": "marsad.extract.entities",
    "titles": "marsad.extract.titles",
    "coref": "marsad.extract.coref",
    "quotes": "marsad.extract.quotes",
    "amounts": "marsad.extract.amounts",
    "dates": "marsad.extract.dates",
    "events": "marsad.extract.events",
}

ARTICLE_FIELDS = ("article", "text")


def component(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()):
    """Register a component factory under ``name``."""

    def wrap(factory: Callable[..., Component]) -> Callable[..., Component]:
        REGISTRY[name] = ComponentInfo(name, factory, tuple(requires), tuple(assigns),
                                       (factory.__doc__ or "").strip().split("\n")[0])
        return factory

    return wrap


def _load(name: str) -> ComponentInfo:
    if name not in REGISTRY:
        module = PIPELINE_ORDER.get(name)
        if module is None:
            raise ConfigError(f"unknown pipeline component {name!r}; known: {', '.join(PIPELINE_ORDER)}")
        importlib.import_module(module)
        if name not in REGISTRY:
            raise ConfigError(f"module {module} does not register component {name!r}")
    return REGISTRY[name]


def available() -> list[str]:
    """Components of ``PIPELINE_ORDER`` present in this installation."""
    return [n for n, m in PIPELINE_ORDER.items() if n in REGISTRY or importlib.util.find_spec(m) is not None]


@dataclass
class Pipeline:
    names: list[str] | None = None
    config: dict[str, dict[str, Any]] = field(default_factory=dict)
    disable: Iterable[str] = ()
    replace: dict[str, Component] = field(default_factory=dict)

    def __post_init__(self) -> None:
        disable = set(self.disable)
        unknown = disable - set(PIPELINE_ORDER)
        if unknown:
            raise ConfigError(f"cannot disable unknown component(s): {', '.join(sorted(unknown))}")
        names = list(self.names) if self.names is not None else available()
        self.names = [n for n in names if n not in disable]
        self._steps: list[tuple[str, Component]] = []
        assigned = set(ARTICLE_FIELDS)
        for n in self.names:
            info = _load(n)
            missing = [r for r in info.requires if r not in assigned]
            if missing:
                raise ConfigError(
                    f"component {n!r} requires {', '.join(missing)}, which no earlier component "
                    f"assigns; add the component that does, or disable {n!r}")
            assigned.update(info.assigns)
            fn = self.replace.get(n) or info.factory(**self.config.get(n, {}))
            self._steps.append((n, fn))

    def run(self, doc: Doc) -> Doc:
        for _, fn in self._steps:
            fn(doc)
        return doc

    def __call__(self, article: Article) -> Analysis:
        return self.run(Doc(article)).to_analysis()

    def describe(self) -> list[dict[str, Any]]:
        return [{"name": n, "requires": REGISTRY[n].requires, "assigns": REGISTRY[n].assigns,
                 "doc": REGISTRY[n].doc} for n, _ in self._steps]
