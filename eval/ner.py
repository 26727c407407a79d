"""Named-entity quality: precision, recall and F1 per type and micro.

    python eval/ner.py            # all three evaluations
    python eval/ner.py --split dev

Three evaluations, each reported apart:
(a) ``dev``: the last 10% of ANERcorp train.txt sentences (news; never
    trained on; also what features/clusters were chosen on);
(b) ``test_aqmar``: whole AQMAR articles held out of training (Wikipedia,
    cross-domain; never tuned on);
(c) ``seeds``: the two seed articles against eval/gold/seeds_entities.jsonl
    (PER/LOC/ORG names; offsets located at run time in ../shared/seeds);
(d) ``ant-dev`` / ``ant-test``: real 2018 news (ANT corpus), 12 + 12 articles
    drawn by eval/ner_sample.py and annotated by hand, eval/gold/ner_ant.jsonl
    (PER/LOC/ORG by offsets; guidelines in its first row; MISC is not
    annotated and predicted MISC is ignored).  ``--errors`` lists the
    missed and spurious mentions of ant-dev only: ant-test is scored, never
    inspected.  ``ant-dev2``: 10 more articles of 2018-02..05 (round 2,
    eval/ner_sample.py draw_dev2), a second set to tune against; its
    errors are listed with ``--errors`` too.

For (a) and (b) two systems are scored on token spans: the CRF alone, and
the full ``entities`` component (CRF + gazetteer + rules) with its mentions
mapped back to tokens.  Exact span and type match (CoNLL style).
"""
from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import train_ner  # noqa: E402  (the split definitions live with the trainer)

from marsad.extract.entities import EntityRecognizer, _clusters, _stack, _tagger, bio_spans  # noqa: E402
from marsad.extract.ner_features import sentence_features  # noqa: E402
from marsad.text.normalize import SEARCH  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds" / "seeds.jsonl"
GOLD = ROOT / "eval" / "gold" / "seeds_entities.jsonl"
ANT_GOLD = ROOT / "eval" / "gold" / "ner_ant.jsonl"
SHARED = ROOT.parent / "shared" / "data"
TYPES = ("PER", "LOC", "ORG", "MISC")
LETTER = "\u0621-\u064A"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def report(title: str, gold: list[set], pred: list[set], types=TYPES) -> None:
    c: Counter = Counter()
    for g, p in zip(gold, pred):
        for s in g & p:
            c[s[-1], "tp"] += 1
        for s in p - g:
            c[s[-1], "fp"] += 1
        for s in g - p:
            c[s[-1], "fn"] += 1
    print(f"\n{title}")
    print(f"  {'type':5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    tot = Counter()
    for t in types:
        tp, fp, fn = c[t, "tp"], c[t, "fp"], c[t, "fn"]
        tot.update({"tp": tp, "fp": fp, "fn": fn})
        print(f"  {t:5} {prf(tp, fp, fn)[0]:6.1f} {prf(tp, fp, fn)[1]:6.1f} {prf(tp, fp, fn)[2]:6.1f} {tp + fn:6d}")
    p, r, f = prf(tot["tp"], tot["fp"], tot["fn"])
    print(f"  {'micro':5} {p:6.1f} {r:6.1f} {f:6.1f} {tot['tp'] + tot['fn']:6d}")


def corpus_eval(name: str, sents, recognizer: EntityRecognizer) -> None:
    gold, crf, system = [], [], []
    tagger = _tagger(recognizer.model)
    for toks, labels in train_ner.sequences(sents):
        gold.append(set(bio_spans(labels)))
        crf.append(set(bio_spans(tagger.tag(sentence_features(toks, clusters=_clusters(recognizer.model),
                                                              stack=_stack(recognizer.model))))))
        text = _rebuild(toks)
        ends = [t.end for t in toks]
        starts = [t.start for t in toks]
        spans = set()
        for m in recognizer(text, toks, [(0, len(text))]):
            i = bisect.bisect_right(starts, m.start) - 1
            j = bisect.bisect_left(ends, m.end) + 1
            spans.add((max(i, 0), j, m.type))
        system.append(spans)
    report(f"[{name}] CRF alone", gold, crf)
    report(f"[{name}] entities component (CRF + gazetteer + rules)", gold, system)


def _rebuild(toks) -> str:
    """A text in which each token sits at its own offsets (tokens of one
    re-tokenised corpus sentence index the space-joined sentence)."""
    n = toks[-1].end if toks else 0
    buf = [" "] * n
    for t in toks:
        buf[t.start:t.end] = t.text
    return "".join(buf)


def gold_spans(text: str, names: list[list[str]]) -> set[tuple[int, int, str]]:
    """Every occurrence of each gold name as a word (after optional
    proclitics و ف ب ل ك; under لل an ال-name loses its alef and the span is
    the rest), longest names first, never overlapping."""
    norm = SEARCH(text)
    nt = norm.text
    taken: list[tuple[int, int]] = []
    out = set()
    for name, typ in sorted(names, key=lambda x: -len(x[0])):
        n = SEARCH.text(name)
        pats = [rf"(?<![{LETTER}])[وفبلك]{{0,2}}({re.escape(n)})(?![{LETTER}])"]
        if n.startswith("ال"):
            pats.append(rf"(?<![{LETTER}])[وف]?لل({re.escape(n[2:])})(?![{LETTER}])")
        for pat in pats:
            for m in re.finditer(pat, nt):
                s, e = norm.original_span(m.start(1), m.end(1))
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                out.add((s, e, typ))
    return out


def seeds_eval(recognizer: EntityRecognizer) -> None:
    from marsad.model import Article
    from marsad.text.sentences import split_sentences
    from marsad.text.tokenize import tokenize

    texts = {json.loads(l)["id"]: json.loads(l)["text"] for l in SEEDS.read_text(encoding="utf-8").splitlines() if l}
    gold, pred = [], []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        text = Article(rec["id"], texts[rec["id"]]).text
        g = gold_spans(text, rec["names"])
        ms = recognizer(text, tokenize(text), [(s.start, s.end) for s in split_sentences(text)])
        p = {(m.start, m.end, m.type) for m in ms if m.type != "MISC"}
        gold.append(g)
        pred.append(p)
        for s, e, t in sorted(g - p):
            print(f"  missed  {rec['id'][:3]} {t} {text[s:e]}")
        for s, e, t in sorted(p - g):
            print(f"  spurious {rec['id'][:3]} {t} {text[s:e]}")
    report("[seeds] entities component on the two seed articles (PER/LOC/ORG; MISC not annotated)",
           gold, pred, types=("PER", "LOC", "ORG"))


def ant_eval(recognizer: EntityRecognizer, which: str, errors: bool = False) -> None:
    """Component-level scores on the hand-annotated ANT articles of set ``which``."""
    import gzip
    import hashlib

    from marsad.model import Article
    from marsad.text.sentences import split_sentences
    from marsad.text.tokenize import tokenize

    rows = [json.loads(l) for l in ANT_GOLD.read_text(encoding="utf-8").splitlines() if l]
    rows = [r for r in rows if r.get("set") == which]
    want: dict[str, set[str]] = {}
    for r in rows:
        want.setdefault(r["file"], set()).add(r["article"])
    texts: dict[str, str] = {}
    for f, ids in want.items():
        with gzip.open(SHARED / f, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["id"] in ids and rec["id"] not in texts:
                    texts[rec["id"]] = rec["text"]
    gold, pred = [], []
    for r in rows:
        text = Article(r["article"], texts[r["article"]]).text
        g = set()
        for m in r["mentions"]:
            span = text[m["start"]:m["end"]]
            if hashlib.sha1(span.encode("utf-8")).hexdigest()[:12] != m["sha1"]:
                raise SystemExit(f"{r['article']}: gold span {m['start']}-{m['end']} no longer matches its sha1")
            g.add((m["start"], m["end"], m["type"]))
        ms = recognizer(text, tokenize(text), [(s.start, s.end) for s in split_sentences(text)])
        p = {(m.start, m.end, m.type) for m in ms if m.type != "MISC"}
        gold.append(g)
        pred.append(p)
        if errors and which in ("ant-dev", "ant-dev2"):
            for s, e, t in sorted(g - p):
                print(f"  missed   {r['article'][:22]:22} {t} {text[s:e]}")
            for s, e, t in sorted(p - g):
                print(f"  spurious {r['article'][:22]:22} {t} {text[s:e]}")
    report(f"[{which}] entities component on {len(rows)} hand-annotated ANT articles (PER/LOC/ORG; exact span+type)",
           gold, pred, types=("PER", "LOC", "ORG"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "test_aqmar", "seeds", "ant-dev", "ant-dev2", "ant-test", "all"), default="all")
    ap.add_argument("--errors", action="store_true", help="list ant-dev and ant-dev2 errors (never ant-test's)")
    ap.add_argument("--model", default=None, help="model file (default: the shipped one)")
    args = ap.parse_args()
    rec = EntityRecognizer(args.model) if args.model else EntityRecognizer()
    meta = rec.model.with_suffix(".json") if rec.model else None
    if meta and meta.exists():
        m = json.loads(meta.read_text(encoding="utf-8"))
        print(f"model {rec.model.name}: trained on {m['split']['train']} ({m['split']['train_tokens']} tokens)")
    sp = train_ner.splits() if args.split in ("dev", "test_aqmar", "all") else {}
    for name in ("dev", "test_aqmar"):
        if args.split in (name, "all"):
            corpus_eval(name, sp[name], rec)
    if args.split in ("seeds", "all"):
        seeds_eval(rec)
    for name in ("ant-dev", "ant-dev2", "ant-test"):
        if args.split in (name, "all"):
            ant_eval(rec, name, errors=args.errors)


if __name__ == "__main__":
    main()
