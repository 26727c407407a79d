"""Titles and in-article coreference against gold: title accuracy per person
and precision/recall of short-form and role mentions (right span, right
person), on the seeds, the dev sentences and the test sentences (written
after tuning, never tuned on; reported apart).

    .venv/bin/python eval/titles_coref.py [-v]

Gold files (eval/gold/):
* ``coref_seeds.jsonl``: ``{"article", "start", "end", "key", "canonical"}``
  with offsets into ../shared/seeds texts (read there, never copied);
  ``key`` the mention text as a check.  Seed titles are the issue's list.
* ``coref_dev.jsonl`` / ``coref_test.jsonl``: ``{"id", "text", "people":
  {name: title|null}, "refs": [{"text", "nth", "canonical"}]}`` on texts
  written for marsad.

A system short/role mention is right when its span overlaps a gold one by at
least half of the shorter and its canonical is the gold person (SEARCH
normalised).  Title accuracy: a mention of the person carries the gold title.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from marsad.model import Analysis, Article
from marsad.pipeline import PIPELINE_ORDER, Pipeline, available
from marsad.text.normalize import SEARCH

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
SHARED = HERE.parent.parent / "shared"

SEED_TITLES = {
    "برهم صالح": "الرئيس العراقي", "جون لوريمر": "المستشار في وزارة الدفاع البريطانية",
    "ستيفن هيكي": "السفير البريطاني لدى العراق", "فؤاد حسين": "وزير الخارجية العراقي",
    "سيرغي لافروف": "وزير الخارجية الروسي", "ماريا زاخاروفا": "المتحدثة باسم الخارجية الروسية",
    "ماكسيم ماكسيموف": "السفير الروسي لدى بغداد", "جمعة عناد": "وزير الدفاع العراقي",
    "مصطفى الكاظمي": "رئيس الوزراء العراقي", "دونالد ترامب": "الرئيس الاميركي",
    "يوري بوريسوف": "نائب رئيس الوزراء",
}


def pipeline() -> Pipeline:
    order = list(PIPELINE_ORDER)
    return Pipeline(names=[n for n in available() if order.index(n) <= order.index("coref")])


def _k(s: str | None) -> str:
    return " ".join(SEARCH.text(s or "").split())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter * 2 >= min(a[1] - a[0], b[1] - b[0])


def score_refs(analysis: Analysis, gold: list[tuple[int, int, str]], verbose: bool) -> tuple[int, int, int]:
    """(right, system refs, gold refs)."""
    system = [m for m in analysis.mentions if m.type == "PER" and m.kind in ("short", "role")]
    right, used = 0, set()
    for s, e, name in gold:
        hit = next((i for i, m in enumerate(system) if i not in used and _overlap((m.start, m.end), (s, e))
                    and _k(m.canonical) == _k(name)), None)
        if hit is not None:
            used.add(hit)
            right += 1
        elif verbose:
            got = [(m.text, m.canonical) for m in system if _overlap((m.start, m.end), (s, e))]
            print(f"  MISS {analysis.article.id} {analysis.article.text[s:e]!r} -> {name} (system: {got})")
    if verbose:
        for i, m in enumerate(system):
            if i not in used:
                print(f"  WRONG {analysis.article.id} {m.text!r} -> {m.canonical}")
    return right, len(system), len(gold)


def score_titles(analyses: list[Analysis], people: dict[str, str | None], verbose: bool) -> tuple[int, int]:
    titles: dict[str, set[str]] = {}
    for a in analyses:
        for m in a.mentions:
            if m.type == "PER" and m.title:
                titles.setdefault(_k(m.canonical or m.text), set()).add(_k(m.title))
    right = total = 0
    for name, title in people.items():
        if title is None:
            continue
        total += 1
        ok = _k(title) in titles.get(_k(name), set())
        right += ok
        if verbose and not ok:
            print(f"  TITLE {name}: want {title!r}, got {titles.get(_k(name))}")
    return right, total


def _report(label: str, refs: tuple[int, int, int], titles: tuple[int, int]) -> None:
    r, sys_n, gold_n = refs
    p = r / sys_n if sys_n else 0.0
    rec = r / gold_n if gold_n else 0.0
    f = 2 * p * rec / (p + rec) if p + rec else 0.0
    print(f"{label:6s} refs P={100 * p:5.1f} R={100 * rec:5.1f} F1={100 * f:5.1f} "
          f"(right {r}, system {sys_n}, gold {gold_n})   titles {titles[0]}/{titles[1]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    pipe = pipeline()
    print("pipeline:", ", ".join(pipe.names or []))

    seeds = {}
    for line in (SHARED / "seeds" / "seeds.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        seeds[r["id"]] = pipe(Article(id=r["id"], text=r["text"], published=r["published"]))
    gold: dict[str, list[tuple[int, int, str]]] = {k: [] for k in seeds}
    for line in (GOLD / "coref_seeds.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        if "_comment" in g:
            continue
        text = seeds[g["article"]].article.text
        assert text[g["start"]:g["end"]] == g["key"], g
        gold[g["article"]].append((g["start"], g["end"], g["canonical"]))
    totals = [0, 0, 0]
    for aid, a in seeds.items():
        for i, x in enumerate(score_refs(a, gold[aid], args.verbose)):
            totals[i] += x
    _report("seeds", tuple(totals), score_titles(list(seeds.values()), SEED_TITLES, args.verbose))

    for split in ("dev", "test"):
        _report(split, *score_written(pipe, GOLD / f"coref_{split}.jsonl", args.verbose))


def score_written(pipe: Pipeline, path: Path, verbose: bool) -> tuple[tuple[int, int, int], tuple[int, int]]:
    totals, t_right, t_total = [0, 0, 0], 0, 0
    for line in path.open(encoding="utf-8"):
        rec = json.loads(line)
        if "_comment" in rec:
            continue
        text = rec["text"]
        a = pipe(Article(id=rec["id"], text=text))
        spans = []
        for ref in rec["refs"]:
            pos = -1
            for _ in range(ref["nth"] + 1):
                pos = text.index(ref["text"], pos + 1)
            spans.append((pos, pos + len(ref["text"]), ref["canonical"]))
        for i, x in enumerate(score_refs(a, spans, verbose)):
            totals[i] += x
        r, t = score_titles([a], rec["people"], verbose)
        t_right, t_total = t_right + r, t_total + t
    return (totals[0], totals[1], totals[2]), (t_right, t_total)

if __name__ == "__main__":
    main()
