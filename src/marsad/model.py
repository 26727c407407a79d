"""The data model: an article and span annotations over its untouched text.

Every annotation carries ``start``/``end`` character offsets into
``Article.text`` (never into a normalised copy), so that
``article.text[a.start:a.end] == a.text`` always holds.  All classes are
frozen dataclasses with a JSON round trip (``to_dict`` / ``from_dict``).

The export contract (``EXPORT_VERSION``) is documented in docs/export.md.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Self

EXPORT_VERSION = "1.0"

ENTITY_TYPES = ("PER", "LOC", "ORG", "GPE", "MISC")


def content_hash(text: str) -> str:
    """Hash of the article text with white space folded: the identity used for
    idempotent ingestion when an article has no URL."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


class _Record:
    """JSON round trip for frozen dataclasses (nested records and tuples)."""

    _nested: ClassVar[dict[str, type]] = {}
    _nested_lists: ClassVar[dict[str, type]] = {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if isinstance(v, _Record):
                v = v.to_dict()
            elif isinstance(v, tuple):
                v = [x.to_dict() if isinstance(x, _Record) else x for x in v]
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kw: dict[str, Any] = {}
        for k, v in d.items():
            if k not in known:
                continue
            if k in cls._nested and v is not None:
                v = cls._nested[k].from_dict(v)
            elif k in cls._nested_lists and v is not None:
                v = tuple(cls._nested_lists[k].from_dict(x) for x in v)
            elif isinstance(v, list):
                v = tuple(v)
            kw[k] = v
        return cls(**kw)

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class Article(_Record):
    id: str
    text: str
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or date-time
    title: str | None = None
    dateline: str | None = None  # place named in the opening line ("لندن")
    lang: str = "ar"
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_hash(self.text))

    @property
    def published_date(self) -> dt.date | None:
        """Publication day, or None when unknown or unparseable."""
        if not self.published:
            return None
        try:
            return dt.date.fromisoformat(self.published[:10])
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Span(_Record):
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token(_Record):
    """A white-space/punctuation delimited token.  ``stem_start``/``stem_end``
    delimit the token once proclitics (و ف ب ل ك س + ال) and common enclitics
    are split off; the surface form is always ``text``."""

    start: int
    end: int
    text: str
    norm: str  # normalised form of the whole token
    kind: str = "word"  # word | number | latin | punct | symbol
    stem_start: int = -1
    stem_end: int = -1

    @property
    def prefix(self) -> str:
        return self.text[: self.stem_start - self.start] if self.stem_start >= 0 else ""

    @property
    def suffix(self) -> str:
        return self.text[self.stem_end - self.start :] if self.stem_end >= 0 else ""

    @property
    def stem(self) -> str:
        if self.stem_start < 0:
            return self.text
        return self.text[self.stem_start - self.start : self.stem_end - self.start]


@dataclass(frozen=True, slots=True)
class Sentence(_Record):
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention(_Record):
    """A mention of an entity.  ``kind`` tells how it was found: ``name``
    (a proper name), ``short`` (a short form such as a surname), ``role``
    (a role mention such as "الوزير الروسي"), ``pronoun``, ``demonym``."""

    start: int
    end: int
    text: str
    type: str  # PER | LOC | ORG | GPE | MISC
    kind: str = "name"
    entity_id: str | None = None
    canonical: str | None = None
    title: str | None = None  # "وزير الخارجية الروسي"
    title_start: int = -1
    title_end: int = -1
    country: str | None = None  # country of the title/role ("روسيا")
    antecedent: int = -1  # index of the mention this one refers to (coref)
    source: str = "model"  # model | gazetteer | rule | coref
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Speaker(_Record):
    entity_id: str | None
    canonical: str | None
    mention: int = -1  # index into Analysis.mentions, -1 if none


@dataclass(frozen=True, slots=True)
class Quote(_Record):
    _nested: ClassVar[dict[str, type]] = {"speaker": Speaker}

    start: int
    end: int
    text: str
    direct: bool
    speaker: Speaker | None = None
    cue: str | None = None  # the reporting verb as written
    cue_start: int = -1
    cue_end: int = -1
    continues: int = -1  # index of the quote this one continues


@dataclass(frozen=True, slots=True)
class Amount(_Record):
    start: int
    end: int
    text: str
    value: float | int
    unit: str | None = None  # USD, EUR, IQD, percent, ...
    counted: str | None = None  # the counted noun: "مذكرة تفاهم", "عنصر"
    value_max: float | int | None = None  # upper bound of a range


@dataclass(frozen=True, slots=True)
class DateRef(_Record):
    start: int
    end: int
    text: str
    value: str | None  # ISO 8601 at its granularity: 2020-11-25, 2020-W47, 2020-11, 2021
    granularity: str | None = None  # day | week | month | year | ...
    relative: bool = False
    vague: bool = False
    resolved: bool = True


@dataclass(frozen=True, slots=True)
class Actor(_Record):
    role: str  # source | target
    entity_id: str | None
    canonical: str | None
    mention: int = -1
    country: str | None = None
    sector: str | None = None  # a group that is no named entity: MIL, COP, REB ... (event_actor_groups.tsv)


@dataclass(frozen=True, slots=True)
class EventMention(_Record):
    _nested_lists: ClassVar[dict[str, type]] = {"actors": Actor}

    start: int  # the clause/sentence that states the event
    end: int
    type: str  # PLOVER event type
    mode: str  # happened | announced | negated | hypothetical
    trigger: str
    trigger_start: int
    trigger_end: int
    actors: tuple[Actor, ...] = ()
    date: str | None = None
    place: str | None = None
    event_mode: str | None = None  # PLOVER mode (military, economic, ...)
    quote: int = -1
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Analysis(_Record):
    """Everything the per-article pipeline found in one article."""

    _nested: ClassVar[dict[str, type]] = {"article": Article}
    _nested_lists: ClassVar[dict[str, type]] = {
        "tokens": Token,
        "sentences": Sentence,
        "mentions": Mention,
        "quotes": Quote,
        "amounts": Amount,
        "dates": DateRef,
        "events": EventMention,
    }

    article: Article
    tokens: tuple[Token, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    amounts: tuple[Amount, ...] = ()
    dates: tuple[DateRef, ...] = ()
    events: tuple[EventMention, ...] = ()
    version: str = EXPORT_VERSION


@dataclass(frozen=True, slots=True)
class Entity(_Record):
    """One real-world thing across the store."""

    id: str
    canonical: str
    type: str
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    country: str | None = None
    qid: str | None = None
    mention_count: int = 0
    articles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reuse(_Record):
    other_id: str
    start: int
    end: int
    other_start: int
    other_end: int
    similarity: float


@dataclass
class Doc:
    """The mutable working state of the pipeline for one article.  Components
    read and assign its attributes; ``to_analysis`` freezes it."""

    article: Article
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # scratch for components

    @property
    def text(self) -> str:
        return self.article.text

    def to_analysis(self) -> Analysis:
        """Freeze.  Order is kept as the components left it: indices such as
        ``Mention.antecedent`` and ``Quote.continues`` point into these lists,
        so components keep their own list sorted by offset."""
        return Analysis(
            article=self.article,
            tokens=tuple(self.tokens),
            sentences=tuple(self.sentences),
            mentions=tuple(self.mentions),
            quotes=tuple(self.quotes),
            amounts=tuple(self.amounts),
            dates=tuple(self.dates),
            events=tuple(self.events),
        )
