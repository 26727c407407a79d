"""The entities component on the seed articles (read from ../shared at run
time) and on bad input."""
from __future__ import annotations

import pytest

from marsad.extract.entities import EntityRecognizer, bio_spans
from marsad.model import Article, Doc
from marsad.pipeline import Pipeline

PERSONS = ["برهم صالح", "جون لوريمر", "ستيفن هيكي", "فؤاد حسين", "سيرغي لافروف", "ماريا زاخاروفا",
           "ماكسيم ماكسيموف", "جمعة عناد", "مصطفى الكاظمي", "دونالد ترامب", "يوري بوريسوف"]
PLACES = ["روسيا", "العراق", "موسكو", "بغداد", "بريطانيا", "قبرص", "سوريا", "ليبيا", "أفغانستان",
          "إيران", "اليمن", "أربيل", "البصرة"]
ORGS = ["داعش", "مجلس الأمن الدولي", "التحالف الدولي", "وزارة الدفاع البريطانية"]


@pytest.fixture(scope="module")
def pipe():
    return Pipeline(names=["tokens", "sentences", "entities"])


@pytest.fixture(scope="module")
def mentions(pipe, seed_articles):
    return {k: pipe(a).mentions for k, a in seed_articles.items()}


def _all(mentions):
    return [m for ms in mentions.values() for m in ms]


def test_offsets_are_the_truth(mentions, seed_articles):
    for k, ms in mentions.items():
        text = seed_articles[k].text
        for m in ms:
            assert text[m.start:m.end] == m.text
            assert m.kind == "name" and m.type in ("PER", "LOC", "ORG", "MISC")
            assert 0.0 <= m.score <= 1.0


def test_sorted_and_non_overlapping(mentions):
    for ms in mentions.values():
        for a, b in zip(ms, ms[1:]):
            assert a.start < b.start and a.end <= b.start


@pytest.mark.parametrize("name", PERSONS)
def test_persons(mentions, name):
    assert any(m.text == name and m.type == "PER" for m in _all(mentions)), name


@pytest.mark.parametrize("name", PLACES)
def test_places(mentions, name):
    found = {m.canonical or m.text for m in _all(mentions) if m.type == "LOC"}
    assert name in found


@pytest.mark.parametrize("name", ORGS)
def test_organisations(mentions, name):
    found = {m.canonical or m.text for m in _all(mentions) if m.type == "ORG"}
    assert name in found


def test_typo_resolves_to_afghanistan(mentions):
    m = next(m for m in mentions["000_869a8ed862cadf55"] if m.text == "اغانستان")
    assert m.type == "LOC" and m.canonical == "أفغانستان" and m.source == "gazetteer"


def test_metonym_and_variant_canonicals(mentions):
    canon = {m.text: m.canonical for m in _all(mentions)}
    assert canon["اميركا"] == "الولايات المتحدة"
    assert canon["المملكة المتحدة"] == "بريطانيا"
    assert canon["الدواعش"] == "داعش"


def test_compositional_ministry_has_country(mentions):
    m = next(m for m in _all(mentions) if m.text == "وزارة الدفاع البريطانية")
    assert m.type == "ORG" and m.country == "بريطانيا"
    # the adjective of "وزير الخارجية العراقي" qualifies the minister, not a ministry
    assert not any(m.text == "الخارجية العراقي" for m in _all(mentions))


def test_clitics_are_not_part_of_names():
    rec = EntityRecognizer()
    text = "وصل الوفد الى بغداد ثم توجه ولإيران وللعراق والعراق وبغداد."
    from marsad.text.tokenize import tokenize

    ms = rec(text, tokenize(text), [(0, len(text))])
    got = [(m.text, m.canonical) for m in ms]
    assert ("إيران", "إيران") in got and ("العراق", "العراق") in got and ("عراق", "العراق") in got
    assert got.count(("بغداد", "بغداد")) == 2
    assert all(not m.text.startswith(("و", "ل")) for m in ms)


def test_gazetteer_only_mode_without_model():
    from marsad.text.tokenize import tokenize

    text = "زار وزير الخارجية موسكو ولندن."
    ms = EntityRecognizer(model=None)(text, tokenize(text), [(0, len(text))])
    assert [m.text for m in ms] == ["موسكو", "لندن"] and all(m.source == "gazetteer" for m in ms)


def test_missing_model_file_says_how_to_fix(tmp_path):
    from marsad.text.tokenize import tokenize

    rec = EntityRecognizer(model=tmp_path / "none.crfsuite")
    with pytest.raises(FileNotFoundError, match="train_ner.py"):
        rec("بغداد", tokenize("بغداد"), [(0, 6)])


def test_bio_spans():
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG"]) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG")]


@pytest.mark.parametrize("text", ["", "   \n ", "Only English text, no Arabic at all. 2020!"])
def test_empty_and_non_arabic(pipe, text):
    assert pipe(Article("x", text)).mentions == ()


def test_one_megabyte_run_on_sentence_is_bounded(pipe):
    unit = "وقال وزير الخارجية الروسي سيرغي لافروف في موسكو ان العراق شريك مهم و"
    text = unit * (1_000_000 // len(unit))
    ms = pipe(Article("big", text)).mentions
    assert 0 < len(ms) <= len(text.split())
    assert all(text[m.start:m.end] == m.text for m in ms[:50])


def test_component_declares_its_contract():
    from marsad.pipeline import REGISTRY

    info = REGISTRY["entities"]
    assert info.requires == ("tokens", "sentences") and info.assigns == ("mentions",)
    doc = Doc(Article("x", ""))
    info.factory()(doc)
    assert doc.mentions == []


def test_fuzzy_fires_on_a_typo_in_context_but_not_on_an_ordinary_word():
    from marsad.text.tokenize import tokenize

    rec = EntityRecognizer()
    typo = "انتشرت القوات في سوريا وليبيا واغانستان منذ سنوات."
    ms = rec(typo, tokenize(typo), [(0, len(typo))])
    assert any(m.text == "اغانستان" and m.canonical == "أفغانستان" for m in ms)
    word = "كان الفراق بين الصديقين صعبا على الجميع."  # الفراق is one edit from العراق
    ms = rec(word, tokenize(word), [(0, len(word))])
    assert not any(m.canonical == "العراق" for m in ms)
