"""`marsad spark link --what entities`: cross-article entity linking in bulk.

The incremental linker (marsad.link.entities) resolves each in-article
entity ("unit") against the entities stored so far, in arrival order: an
alias with the same key, else a fuzzy match through single-deletion blocks.
What a unit can ever meet is therefore bounded by its *tokens* -- its alias
keys and, when fuzzy matching applies to it, its blocks.  Here:

1. per article (mapPartitions): ``EntityLinker.units`` -- the very grouping
   the incremental linker uses -- and each unit's tokens (``_blocks``);
2. blocks: units sharing a token are joined, transitively: connected
   components of the unit graph (units sharing a token joined by a star of
   edges, one Spark shuffle), labelled on the driver with scipy when the
   edges fit (``components_local``, up to ``MAX_LOCAL_EDGES``), else by
   min-label propagation in Spark (``components``: a few joins per round
   until no label changes);
3. per component: the units are replayed in arrival order (published,
   article id, unit order) through the incremental linker's own
   ``_View.resolve`` / ``create`` / ``add_alias``, kept in memory instead
   of read from a store.  A component holds every entity its units could
   meet, so each unit resolves as it would in the store -- the same
   entities, even the same ids ("E" + hash of type and key of the unit that
   created it).

Written: ``entities.parquet`` (id, canonical, type, country, qid, aliases,
titles, mention_count, first_seen, last_seen, articles) and
``entity_mentions.parquet`` (entity_id, article_id, start, end, text, kind),
the columns of the ``entity_mentions`` table; in a result folder also
``entity_aliases``, ``entity_blocks`` and ``entity_titles`` (their rows with
``seq``, the arrival order of the unit that wrote them, so that `marsad
load` inserts them in the order the incremental linker does).

Assumes each article arrives once (``marsad load`` and ``Engine.add`` skip
duplicates by URL/content hash; this job does not) and that the incremental
path ingests in (published, id) order -- the order compared in the tests.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from marsad.link.entities import EntityLinker, _blocks, _Unit, _View

MAX_ROUNDS = 200  # label propagation rounds; a component's diameter is far smaller in practice


def unit_tokens(u: _Unit) -> set[str]:
    """Every key or block through which ``u`` can meet a stored entity (or
    through which a later unit can meet the aliases ``u`` adds)."""
    keys = {u.key, *u.aliases}
    out = {"k" + k for k in keys}
    if not u.gazetteer:
        out |= {"b" + b for k in keys if EntityLinker._fuzzy_eligible(u.cls, k) for b in _blocks(k, u.cls)}
    return out


def article_units(rows: Iterator[Any]) -> Iterator[tuple[str, tuple]]:
    """(unit id, (order, unit, mentions)) for every unit of every analysis;
    the unit id sorts in arrival order."""
    from marsad.model import Analysis

    linker = EntityLinker()  # gazetteer and lexicon loaded once per partition
    for r in rows:
        an = Analysis.from_dict(json.loads(r["analysis"]))
        art = an.article
        for i, u in enumerate(linker.units(an)):
            order = (art.published or "", art.id, i)
            ms = [(an.mentions[j].start, an.mentions[j].end, an.mentions[j].text, an.mentions[j].kind)
                  for j in u.mentions]
            yield json.dumps(order, ensure_ascii=False), (order, u, ms)


class _MemoryView(_View):
    """The incremental linker's view, holding one component's entities in
    memory instead of reading them from a store."""

    def __init__(self) -> None:  # no store: start empty
        self.store = None
        self.eligible = EntityLinker._fuzzy_eligible
        self.entities, self.aliases, self.blocks, self.known = {}, {}, {}, {}
        self.changed, self.created = set(), []
        self.new_aliases, self.new_blocks = [], []


def resolve_component(members: Any) -> Iterator[tuple[str, tuple]]:
    """Replay one component's units in arrival order as ``EntityLinker._link_one``
    does; yields ("m", mention row) and ("e", entity row)."""
    view = _MemoryView()
    alias_display: dict[str, dict[str, str]] = {}
    titles: dict[str, list[str]] = {}
    articles: dict[str, set[str]] = {}
    for order, u, ms in sorted(members, key=lambda m: m[0]):
        published, article_id, _ = order
        na, nb = len(view.new_aliases), len(view.new_blocks)
        eid, new = view.apply(u, published or None)
        alias_display.setdefault(eid, {}).update(new)
        seq = json.dumps(order, ensure_ascii=False)  # rows are written in arrival order by `marsad load`
        for i, (e, key, alias) in enumerate(view.new_aliases[na:]):
            yield "a", (e, key, alias, seq, i)
        for i, (block, e, key) in enumerate(view.new_blocks[nb:]):
            yield "b", (block, e, key, seq, i)
        for t in dict.fromkeys(u.titles):
            titles.setdefault(eid, []).append(t)
            yield "t", (eid, t, article_id, published or None, seq)
        articles.setdefault(eid, set()).add(article_id)
        for start, end, text, kind in ms:
            yield "m", (eid, article_id, start, end, text, kind)
    for eid in view.created:
        canonical, type_, country, qid, first, last, count = view.entities[eid]
        aliases = [v for _, v in sorted(alias_display.get(eid, {}).items())]
        yield "e", (eid, canonical, type_, country, qid, aliases, list(dict.fromkeys(titles.get(eid, ()))),
                    count, first, last, sorted(articles.get(eid, ())))


def _key64(s: str) -> int:
    """A signed 64-bit key of a unit id or token (stable across processes)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _star_edges(item: tuple[int, Any]) -> list[tuple[int, int]]:
    """(first unit, other unit) for the units sharing one token: a star that
    joins them all; a token of one unit joins nothing."""
    units = sorted(set(item[1]))
    return [(units[0], u) for u in units[1:]]


def _edge_blob(rows: Iterator[tuple[int, int]]) -> Iterator[bytes]:
    import numpy as np

    a = np.fromiter((x for e in rows for x in e), dtype=np.int64)
    yield a.astype("<i8").tobytes()


def components_local(edges: Any, max_edges: int) -> tuple[Any, Any] | None:
    """Connected components of the unit graph on the driver: units (64-bit
    keys of their ids) sharing a token are joined by a star of edges
    (``_star_edges``, one Spark shuffle); the edges are collected and
    ``scipy.sparse.csgraph.connected_components`` labels them.  Returns the
    sorted keys of the units that share a token with another (a unit absent
    is alone) and the smallest unit key of each one's component, or None
    when there are more than ``max_edges`` edges (they would not fit on the
    driver: use ``components``).

    Keys are hashes: two ids colliding (p ~ 1e-8 in a million units) only
    merge two components, and units of different components never meet in
    the replay, so the result is the same."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    stars = edges.map(lambda tu: (_key64(tu[0]), _key64(tu[1]))).groupByKey().flatMap(_star_edges)
    if stars.count() > max_edges:
        return None
    pairs = np.frombuffer(b"".join(stars.mapPartitions(_edge_blob).collect()), dtype="<i8").reshape(-1, 2)
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys, idx = np.unique(pairs, return_inverse=True)
    idx = idx.reshape(-1, 2)
    n = len(keys)
    graph = coo_matrix((np.ones(len(idx), dtype=np.int8), (idx[:, 0], idx[:, 1])), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    smallest = np.full(comp.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, comp, keys)
    return keys, smallest[comp]


def _labelled(rows: Iterator[tuple[str, Any]], keys: Any, labels: Any) -> Iterator[tuple[int, Any]]:
    """(component label, member) of each (unit id, member): the label
    ``components_local`` gave the unit, or its own key when it shares no token."""
    import numpy as np

    rows = list(rows)
    own = np.fromiter((_key64(uid) for uid, _ in rows), dtype=np.int64, count=len(rows))
    at = np.minimum(np.searchsorted(keys, own), max(len(keys) - 1, 0))
    found = (keys[at] == own) if len(keys) else np.zeros(len(rows), dtype=bool)
    lab = np.where(found, labels[at] if len(keys) else own, own)
    for (_, member), label in zip(rows, lab.tolist()):
        yield label, member


MAX_LOCAL_EDGES = 50_000_000  # ~0.8 GB of int64 pairs on the driver; beyond, label propagation in Spark


def components(spark: Any, edges: Any) -> Any:
    """(unit id, component label) for an RDD of (token, unit id) edges: the
    smallest unit id reachable through shared tokens, by label propagation
    (a few Spark joins per round until no label changes; for unit graphs
    too big for ``components_local``)."""
    n = max(spark.sparkContext.defaultParallelism, edges.getNumPartitions())
    edges = edges.distinct(n).cache()
    by_unit = edges.map(lambda tu: (tu[1], tu[0])).partitionBy(n).cache()
    labels = by_unit.map(lambda ut: (ut[0], ut[0])).distinct(n).cache()
    for rnd in range(MAX_ROUNDS):
        token_min = by_unit.join(labels, n).map(lambda kv: kv[1]).reduceByKey(min, n)  # (token, label)
        new = edges.join(token_min, n).map(lambda kv: kv[1]).reduceByKey(min, n).cache()  # (unit, label)
        if rnd % 10 == 9:
            new.localCheckpoint()  # keep the lineage short on archives with long chains
        changed = new.join(labels, n).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            return labels
    raise RuntimeError(f"entity blocks did not converge in {MAX_ROUNDS} rounds")


ENTITY_FIELDS = ("id", "canonical", "type", "country", "qid", "aliases", "titles", "mention_count",
                 "first_seen", "last_seen", "articles")
MENTION_FIELDS = ("entity_id", "article_id", "start", "end", "text", "kind")


def link_entities(spark: Any, df: Any, entities_path: str, mentions_path: str,
                  extra_dir: str | None = None) -> dict[str, int]:
    """Entities and entity mentions of an analysed archive (``df`` has the
    ``analysis`` column of `marsad spark analyze`) written as Parquet; with
    ``extra_dir``, also ``entity_aliases``, ``entity_blocks`` and
    ``entity_titles`` there (the rest of the linker's tables)."""
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    units = df.select("analysis").rdd.mapPartitions(article_units).cache()
    edges = units.flatMap(lambda kv: [(t, kv[0]) for t in unit_tokens(kv[1][1])])
    local = components_local(edges, MAX_LOCAL_EDGES)
    if local is not None:  # (component label, member): labels broadcast from the driver
        table = spark.sparkContext.broadcast(local)
        grouped = units.mapPartitions(lambda rows: _labelled(rows, *table.value))
    else:
        grouped = units.join(components(spark, edges)).map(lambda kv: (kv[1][1], kv[1][0]))
    out = grouped.groupByKey().flatMap(lambda kv: resolve_component(kv[1])).cache()
    s = StringType()
    ent_schema = StructType([StructField("id", s), StructField("canonical", s), StructField("type", s),
                             StructField("country", s), StructField("qid", s),
                             StructField("aliases", ArrayType(s)), StructField("titles", ArrayType(s)),
                             StructField("mention_count", IntegerType()), StructField("first_seen", s),
                             StructField("last_seen", s), StructField("articles", ArrayType(s))])
    men_schema = StructType([StructField("entity_id", s), StructField("article_id", s),
                             StructField("start", IntegerType()), StructField("end", IntegerType()),
                             StructField("text", s), StructField("kind", s)])
    spark.createDataFrame(out.filter(lambda r: r[0] == "e").map(lambda r: r[1]), ent_schema) \
        .write.mode("overwrite").parquet(entities_path)
    spark.createDataFrame(out.filter(lambda r: r[0] == "m").map(lambda r: r[1]), men_schema) \
        .write.mode("overwrite").parquet(mentions_path)
    counts = {"entities": spark.read.parquet(entities_path).count(),
              "entity_mentions": spark.read.parquet(mentions_path).count()}
    if extra_dir is not None:  # the other entity tables, for `marsad load` (rows carry their arrival order)
        i = IntegerType()
        tables = {
            "entity_aliases": ("a", [("entity_id", s), ("alias_key", s), ("alias", s), ("seq", s), ("i", i)]),
            "entity_blocks": ("b", [("block", s), ("entity_id", s), ("alias_key", s), ("seq", s), ("i", i)]),
            "entity_titles": ("t", [("entity_id", s), ("title", s), ("article_id", s), ("published", s),
                                    ("seq", s)]),
        }
        for name, (tag, cols) in tables.items():
            schema = StructType([StructField(c, t) for c, t in cols])
            spark.createDataFrame(out.filter(lambda r, tag=tag: r[0] == tag).map(lambda r: r[1]), schema) \
                .write.mode("overwrite").parquet(f"{extra_dir}/{name}.parquet")
    out.unpersist()
    units.unpersist()
    return counts
