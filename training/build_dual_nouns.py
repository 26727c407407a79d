"""Build ``lang/ar/data/dual_nouns.tsv``: nouns whose dual (-ان/-ين, -تان/-تين)
marsad reads as the amount 2.

Why data-driven: undiacritised Arabic writes the dual accusative (مواطنَين)
exactly like the sound masculine plural (مواطنِين), and many words merely end
in -ين/-ان (فلسطين، البحرين، لكن، حسين، سودان).  A hand list misses most real
duals, so the list is read off the ANT news corpus (../shared/data/ant):

* the singular (the base, SEARCH-normalised, ال and proclitics stripped) is
  frequent on its own (>= MIN_SINGULAR) and at least 3 letters long;
* the singular takes the article (ال+base is seen): a noun or adjective,
  not an imperfect verb whose dual ends alike (يحاولان);
* the dual forms are seen (>= MIN_DUAL) and at most twice as frequent as the
  singular (a name such as حسين dwarfs its "singular" حس); a feminine noun
  (-ة) needs no attested dual: -تان/-تين is not a plural ending, so a
  frequent singular is enough (قنصلية -> قنصليتان);
* a base that takes the sound masculine plural (base+ون seen at least once
  for every 20 base+ين) keeps only its nominative dual -ان: its -ين form is
  a plural (مواطنين); so does a nisba adjective (-ي: عسكريين is a plural),
  and a masculine base whose -ين form is about as frequent as the singular
  (a plural participle such as مشيرين، موهوبين, or another word: تأمين)
  unless its dual is well attested (nominative -ان common, -ين mostly
  definite: البلدين);
* a base that is a proclitic plus a more frequent word (بثلاث = ب+ثلاث) is
  left out;
* a base whose -ان form dwarfs its -ين form (بلدان is the broken plural of
  بلد) keeps only its -ين form;
* words tagged as names in ANERcorp more often than not are left out, and
  so are the hand-checked false duals of ``dual_exclude.txt`` (names and
  participle plurals the counts cannot tell apart).

Run:  python training/build_dual_nouns.py [MONTHS...]  (default: all of 2018-02..09)
Deterministic: same corpus files -> same list.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

from marsad.lang.ar import DATA, load_list, load_table
from marsad.text.normalize import SEARCH

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MIN_SINGULAR = 40
MIN_DUAL = 4
WORD = re.compile(r"[\u0621-\u064A]+")
PREFIX = re.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?")


def strip(word: str) -> str:
    """The word without ال and the proclitics before it.  "لل" is left alone:
    للاعب is ل+اللاعب, so stripping two letters would count a false اعب."""
    if word.startswith(("ال", "وال", "بال", "فال", "كال", "وبال")):
        return PREFIX.sub("", word, count=1)
    return word


def count(months: list[str]) -> tuple[Counter, Counter]:
    bare: Counter = Counter()   # words without any proclitic stripping
    stripped: Counter = Counter()
    for m in months:
        with gzip.open(SHARED / "ant" / f"ant-{m}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                text = SEARCH.text(json.loads(line)["text"])
                for w in WORD.findall(text):
                    bare[w] += 1
                    stripped[strip(w)] += 1
    return bare, stripped


def anercorp_names() -> set[str]:
    tagged: Counter = Counter()
    total: Counter = Counter()
    for line in (SHARED / "anercorp" / "train.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        w = strip(SEARCH.text(parts[0]))
        total[w] += 1
        if parts[1] != "O":
            tagged[w] += 1
    return {w for w, n in tagged.items() if n * 2 >= total[w]}


def main(months: list[str]) -> None:
    bare, c = count(months)
    names = anercorp_names()
    numbers = {SEARCH.text(r["word"]) for r in load_table("number_words")}
    names |= {SEARCH.text(w) for w in load_list("dual_exclude")}
    rows = []
    for base, n_sing in c.items():
        if n_sing < MIN_SINGULAR or len(base) < 3 or base in numbers or base in names:
            continue
        fem = base.endswith("ه")
        stem = base[:-1] + "ت" if fem else base
        an, in_ = stem + "ان", stem + "ين"
        n_an, n_in = c[an], c[in_]
        definite = sum(bare[p + base] for p in ("ال", "وال", "بال", "لل"))
        if definite < 2 or (base[0] in "وبلفك" and c[base[1:]] > n_sing):
            continue
        if n_an + n_in > 2 * n_sing or (not fem and n_an + n_in < MIN_DUAL):
            continue
        if an in numbers or in_ in numbers:
            continue
        # a well-attested dual: the nominative is common and the accusative
        # mostly definite (البلدين، البلدان): not a participle plural
        attested = n_an >= 0.2 * n_in and bare["ال" + in_] >= 0.5 * n_in
        forms = []
        if (n_an >= 1 or fem) and an not in names and not (n_in and n_an > 4 * n_in):
            forms.append(an)
        sound_plural = not fem and (c[base + "ون"] * 20 >= max(n_in, 1) or base.endswith("ي")
                                    or (n_in > 0.9 * n_sing and not attested))
        if (n_in >= 1 or fem) and in_ not in names and not sound_plural:
            forms.append(in_)
        if forms:
            rows.append((base, ",".join(forms), n_sing, n_an, n_in))
    rows.sort()
    out = DATA / "dual_nouns.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write("# Built by training/build_dual_nouns.py from ANT months "
                 f"{' '.join(months)}; do not edit by hand (add to dual_exclude.txt).\n")
        fh.write("# SEARCH-normalised: singular, dual forms, corpus counts (singular, -an, -in)\n")
        fh.write("singular\tduals\tn_singular\tn_an\tn_in\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(rows)} dual-capable nouns -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:] or [f"2018-{m:02d}" for m in range(2, 10)])
