"""Every Arabic data file loads, has no duplicate entries, and its entries
survive the normaliser they are matched with."""
from __future__ import annotations

from collections import Counter

import pytest

from marsad.lang.ar import data_files, load_list, load_table
from marsad.text.normalize import NAMED, SEARCH

FILES = data_files()


def test_there_is_data():
    assert "normalize.tsv" in FILES and "clitics.tsv" in FILES


@pytest.mark.parametrize("name", FILES)
def test_file_loads_without_duplicates(name):
    stem, ext = name.rsplit(".", 1)
    if ext == "txt":
        entries = load_list(stem)
        assert entries, f"{name} is empty"
        keys = [SEARCH.text(e) for e in entries]
    else:
        rows = load_table(stem)
        assert rows, f"{name} has no rows"
        keys = ["\t".join(r.values()) for r in rows]
    dupes = {k for k, n in Counter(keys).items() if n > 1}
    assert not dupes, f"{name}: duplicate entries {sorted(dupes)[:5]}"


@pytest.mark.parametrize("name", [f for f in FILES if f not in ("normalize.tsv",)])
def test_entries_contain_no_characters_the_normaliser_would_drop(name):
    """Entries are written in plain letters: no diacritics, tatweel or
    presentation forms, which would never match normalised text."""
    bad = set(NAMED["diacritics"].table) | set(NAMED["tatweel"].table) | set(NAMED["presentation_forms"].table)
    stem, ext = name.rsplit(".", 1)
    cells = load_list(stem) if ext == "txt" else [c for r in load_table(stem) for c in r.values()]
    offenders = [c for c in cells if any(ord(ch) in bad for ch in c)]
    assert not offenders, f"{name}: {offenders[:5]}"


def test_normalize_table_codes_are_valid():
    for row in load_table("normalize"):
        assert row["normalizer"] in NAMED
        int(row["from"], 16)
        for h in row["to"].split():
            int(h, 16)


def test_masculine_countries_are_gazetteer_countries():
    from marsad.lang.ar.gazetteer import Gazetteer

    g = Gazetteer.default()
    for name in load_list("masculine_countries"):
        e = g.lookup(name)
        assert e is not None and e.kind == "country" and e.canonical == name, name


def test_org_roles_are_definite_heads_of_one_word():
    for row in load_table("org_roles"):
        assert row["role"].startswith("ال") and " " not in row["role"], row
        assert row["type"] in ("ORG", "LOC"), row
        assert all(h and " " not in h for h in row["heads"].split("|")), row


def test_event_cue_kinds_are_documented_and_normalised():
    """event_cues.tsv: every kind is described in the file's header, and the
    forms (matched on SEARCH-normalised words) are written normalised."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "src" / "marsad" / "lang" / "ar" / "data" / "event_cues.tsv"
    header = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    kinds: dict[str, list[str]] = {}
    for row in load_table("event_cues"):
        kinds.setdefault(row["kind"], []).append(row["form"])
    for kind in ("adverb", "medium", "accident", "patient", "place_adverb", "inanimate"):
        assert kinds.get(kind), kind
        assert f"#   {kind}" in header, kind
        for form in kinds[kind]:
            assert SEARCH.text(form.rstrip("*")) == form.rstrip("*"), (kind, form)


def test_event_actor_groups_are_normalised_and_coded():
    """event_actor_groups.tsv: forms written SEARCH-normalised, the first
    word of a one-word form without the article (matched clitic-free),
    canonical names definite or construct, sectors from the documented set."""
    sectors = {"MIL", "COP", "SPY", "GOV", "REB", "INS", "UAF", "OPP", "PRO", "CVL", "MED"}
    rows = load_table("event_actor_groups")
    assert len(rows) >= 50
    for row in rows:
        form = row["form"]
        assert SEARCH.text(form) == form, row
        assert " " in form or not form.startswith("ال"), row
        assert row["sector"] in sectors, row
        assert row["country"] in ("", "required"), row
        assert row["canonical"] and row["gloss"], row


def test_name_heads_are_single_words_in_one_list_only():
    """A head noun is left out of a name always (generic_heads) or only
    before a gazetteer name (name_heads_if_named), never both; heads are
    one word, since they are compared with the first token of a mention."""
    always = {SEARCH.text(w) for w in load_list("generic_heads")}
    if_named = {SEARCH.text(w) for w in load_list("name_heads_if_named")}
    assert not always & if_named, sorted(always & if_named)
    assert all(" " not in w for w in always | if_named)


def test_round2_entity_word_lists_are_one_word_and_consistent():
    """Kept org heads (بنك) are never also heads left out of names; cup heads
    and ministry short-form cues are one word; short forms name a ministry."""
    kept = {SEARCH.text(w) for w in load_list("org_heads_kept")}
    dropped = {SEARCH.text(w) for w in load_list("generic_heads") + load_list("name_heads_if_named")}
    assert kept and not kept & dropped
    assert all(" " not in w for w in kept | set(load_list("competition_heads")))
    rows = load_table("ministry_short_forms")
    assert {r["role"] for r in rows} == {"form", "cue"}
    assert all(r["ministry"].startswith("وزارة ") for r in rows if r["role"] == "form")
    assert all(" " not in r["word"] for r in rows)
    initial = load_list("name_initial_letters")
    assert all(w[0] in "وفبلك" and SEARCH.text(w) == w for w in initial)
