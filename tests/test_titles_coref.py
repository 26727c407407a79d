"""Titles bound to people, and in-article coreference (short forms, role
mentions), on sentences written for these tests and on the two seeds."""
from __future__ import annotations

import pytest

from marsad.extract.coref import Coref
from marsad.extract.titles import Lexicon, bind_titles
from marsad.lang.ar import load_list, load_table
from marsad.lang.ar.gazetteer import Gazetteer
from marsad.model import Article, Doc, Mention
from marsad.pipeline import Pipeline
from marsad.text.normalize import SEARCH
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize

MEETING = ("استقبل وزير الخارجية الروسي سيرغي لافروف اليوم نظيره العراقي فؤاد حسين في موسكو. "
           "وقال لافروف إن المحادثات كانت مثمرة. وأبدى الوزير الروسي تفاؤله بالتعاون، "
           "فيما قال نظيره العراقي إن الزيارة ناجحة. وسيلتقي الوزيرين حسين ولافروف مجددا.")


def _doc(text: str, names: tuple[str, ...] = ()) -> Doc:
    """A doc with tokens, sentences and PER mentions at the first occurrence
    of each of ``names`` (standing in for the NER model)."""
    doc = Doc(Article(id="t", text=text))
    doc.tokens = tokenize(text)
    doc.sentences = split_sentences(text)
    for n in names:
        s = text.index(n)
        doc.mentions.append(Mention(s, s + len(n), n, "PER"))
    doc.mentions.sort(key=lambda m: m.start)
    return doc


def _run(doc: Doc) -> list[Mention]:
    bind_titles(doc)
    Coref()(doc)
    return doc.mentions


def _check_invariants(text: str, mentions) -> None:
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for m in mentions:
        assert text[m.start:m.end] == m.text
        if m.title_start >= 0:
            assert text[m.title_start:m.title_end] == m.title
        if m.antecedent >= 0:
            ante = mentions[m.antecedent]
            assert ante.kind == "name" and ante.canonical == m.canonical


def _by_text(mentions, text: str, kind: str | None = None) -> list[Mention]:
    return [m for m in mentions if m.text == text and (kind is None or m.kind == kind)]


# -- data files --------------------------------------------------------------------
def test_title_rows_survive_the_normaliser_and_are_unique():
    rows = load_table("titles")
    keys = [(SEARCH.text(r["phrase"]), r["type"]) for r in rows]
    assert all(k[0].strip() for k in keys)
    assert len(keys) == len(set(keys))
    lex = Lexicon.default()
    for r in rows:
        if r["type"] in ("modifier", "link", "org_head"):
            continue
        toks = tokenize(r["phrase"])
        m = lex.match_entry(toks, 0)
        assert m is not None and m[1] == len(toks), r["phrase"]


def test_nationalities_join_the_gazetteer():
    g = Gazetteer.default()
    rows = load_table("nationalities")
    assert len(rows) >= 60
    assert len({r["iso"] for r in rows}) == len(rows)
    for r in rows:
        e = g.country(r["iso"])
        assert e is not None and e.canonical == r["country"], r
        for adj in r["masc"].split(","):
            if " " not in adj:
                assert g.demonym(adj).canonical == r["country"]
                assert g.demonym("ال" + adj + "ة").canonical == r["country"]
    assert g.demonym("الامريكية").canonical == g.demonym("الأميركي").canonical == "الولايات المتحدة"
    assert g.demonym("البريطانية").canonical == "بريطانيا"


def test_name_stops_unique_after_normalising():
    words = [SEARCH.text(w) for w in load_list("name_stops")]
    assert all(words) and len(words) == len(set(words))


# -- titles ------------------------------------------------------------------------
@pytest.mark.parametrize("text,name,title,country", [
    ("أعلن وزير الخارجية الروسي سيرغي لافروف ذلك.", "سيرغي لافروف", "وزير الخارجية الروسي", "روسيا"),
    ("التقى السفير البريطاني لدى العراق ستيفن هيكي وفدا.", "ستيفن هيكي", "السفير البريطاني لدى العراق",
     "بريطانيا"),
    ("وقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن الموعد ثابت.", "ماريا زاخاروفا",
     "المتحدثة باسم الخارجية الروسية", "روسيا"),
    ("وحضر المستشار في وزارة الدفاع البريطانية السير جون لوريمر الاجتماع.", "جون لوريمر",
     "المستشار في وزارة الدفاع البريطانية", "بريطانيا"),
    ("وصل وزير خارجية تركيا مولود أوغلو الى بغداد.", "مولود أوغلو", "وزير خارجية تركيا", "تركيا"),
    ("وقال رئيس الوزراء العراقي مصطفى الكاظمي إن الانتخابات قريبة.", "مصطفى الكاظمي",
     "رئيس الوزراء العراقي", "العراق"),
])
def test_title_bound_with_country_by_rule_and_on_model_mentions(text, name, title, country):
    for names in ((), (name,)):  # the model missed the name / the model found it
        mentions = _run(_doc(text, names))
        _check_invariants(text, mentions)
        per = [m for m in mentions if m.type == "PER"]
        assert [(m.text, m.title, m.country) for m in per] == [(name, title, country)]


def test_rule_names_are_guarded():
    text = ("وأبدى الوزير الروسي تفاؤله بالنتائج. واعتبر الرئيس العراقي أن الحرب مستمرة. "
            "وهذا هو المجال الرئيس في التعاون. ويقوم وزير خارجيته بزيارة الى موسكو.")
    assert [m for m in _run(_doc(text)) if m.kind == "name"] == []


def test_split_model_mentions_are_merged_and_overreach_trimmed():
    text = "قال الرئيس الاميركي دونالد ترامب ذلك. ثم التقى ترامب ومع ذلك لم يعلق."
    doc = _doc(text, ("دونالد", "ترامب"))
    s = text.index("ترامب ومع")
    doc.mentions.append(Mention(s, s + len("ترامب ومع"), "ترامب ومع", "PER"))
    mentions = _run(doc)
    _check_invariants(text, mentions)
    assert [(m.text, m.kind) for m in mentions if m.type == "PER"] == [
        ("دونالد ترامب", "name"), ("ترامب", "short")]
    assert mentions[0].title == "الرئيس الاميركي" and mentions[0].country == "الولايات المتحدة"


# -- coreference ----------------------------------------------------------------------
def test_short_forms_and_roles_resolve_to_the_full_name():
    mentions = _run(_doc(MEETING, ("سيرغي لافروف", "فؤاد حسين")))
    _check_invariants(MEETING, mentions)
    lavrov = "سيرغي لافروف"
    hussein = "فؤاد حسين"
    assert _by_text(mentions, lavrov)[0].title == "وزير الخارجية الروسي"
    assert _by_text(mentions, hussein)[0].country == "العراق"
    assert [m.canonical for m in _by_text(mentions, "لافروف", "short")] == [lavrov, lavrov]
    role = _by_text(mentions, "الوزير الروسي", "role")
    assert len(role) == 1 and role[0].canonical == lavrov and role[0].country == "روسيا"
    assert mentions[role[0].antecedent].text == lavrov
    counterpart = _by_text(mentions, "نظيره العراقي", "role")
    assert len(counterpart) == 1 and counterpart[0].canonical == hussein
    assert [m.canonical for m in _by_text(mentions, "حسين", "short")] == [hussein]
    assert not _by_text(mentions, "الوزيرين")  # a dual names two people: no mention


def test_same_surname_two_people_nearest_wins():
    text = ("التقى الرئيس العراقي الاسبق صدام حسين عام 1990 الوزير فؤاد حسين. "
            "وقال حسين إن اللقاء جيد.")
    mentions = _run(_doc(text, ("صدام حسين", "فؤاد حسين")))
    _check_invariants(text, mentions)
    short = _by_text(mentions, "حسين", "short")
    assert len(short) == 1 and short[0].canonical == "فؤاد حسين"
    assert len({m.canonical for m in mentions if m.kind == "name"}) == 2


@pytest.mark.parametrize("text", ["", "no Arabic here at all 123", "لا اسماء هنا ."])
def test_bad_input_is_harmless(text):
    pipe = Pipeline(names=["tokens", "sentences", "titles", "coref"])
    assert pipe(Article(id="x", text=text)).mentions == ()


def test_one_megabyte_run_on_text_is_bounded():
    text = ("قال وزير الخارجية الروسي سيرغي لافروف إن لافروف والوزير الروسي و" * 16000)[:1_000_000]
    pipe = Pipeline(names=["tokens", "sentences", "titles", "coref"])
    mentions = pipe(Article(id="x", text=text)).mentions
    assert 0 < len(mentions) < len(text) // 10
    assert all(text[m.start:m.end] == m.text for m in mentions[:200])


# -- the seeds ---------------------------------------------------------------------------
SEED_TITLES = {
    "برهم صالح": "الرئيس العراقي",
    "جون لوريمر": "المستشار في وزارة الدفاع البريطانية",
    "ستيفن هيكي": "السفير البريطاني لدى العراق",
    "فؤاد حسين": "وزير الخارجية العراقي",
    "سيرغي لافروف": "وزير الخارجية الروسي",
    "ماريا زاخاروفا": "المتحدثة باسم الخارجية الروسية",
    "ماكسيم ماكسيموف": "السفير الروسي لدى بغداد",
    "جمعة عناد": "وزير الدفاع العراقي",
    "مصطفى الكاظمي": "رئيس الوزراء العراقي",
    "دونالد ترامب": "الرئيس الاميركي",
    "يوري بوريسوف": "نائب رئيس الوزراء",
}


def test_seed_people_have_their_titles(seed_analyses):
    found: dict[str, set[str]] = {}
    for a in seed_analyses.values():
        _check_invariants(a.article.text, a.mentions)
        for m in a.mentions:
            if m.type == "PER" and m.title:
                found.setdefault(SEARCH.text(m.canonical or m.text), set()).add(m.title)
    for name, title in SEED_TITLES.items():
        assert title in found.get(SEARCH.text(name), set()), (name, found.get(SEARCH.text(name)))


def test_seed_000_short_forms_and_roles(seed_analyses):
    a = seed_analyses["000_869a8ed862cadf55"]
    ms = a.mentions
    lavrov = [m for m in ms if m.text == "لافروف"]
    assert len(lavrov) >= 3 and all(m.canonical == "سيرغي لافروف" for m in lavrov)
    roles = [m for m in ms if m.text == "الوزير الروسي"]
    assert len(roles) == 2 and all(m.kind == "role" and m.canonical == "سيرغي لافروف" for m in roles)
    counterpart = [m for m in ms if m.text == "نظيره العراقي" and m.kind == "role"]
    assert counterpart and all(m.canonical == "فؤاد حسين" for m in counterpart)
    iraqi_minister = [m for m in ms if m.text == "الوزير العراقي"]
    assert iraqi_minister and all(m.canonical == "فؤاد حسين" for m in iraqi_minister)


def test_seed_003_roles(seed_analyses):
    ms = seed_analyses["003_7ef351cf9e1796e6"].mentions
    assert {m.canonical for m in ms if m.text == "الرئيس العراقي"} == {"برهم صالح"}
    assert {m.canonical for m in ms if m.text == "صالح"} == {"برهم صالح"}
    assert {m.canonical for m in ms if m.text == "السفير" and m.kind == "role"} == {"ماكسيم ماكسيموف"}
    assert {m.canonical for m in ms if m.text in ("حسين", "لافروف")} == {"فؤاد حسين", "سيرغي لافروف"}


def test_model_spans_cut_short_are_completed_after_a_title():
    text = ("وصلت السفيرة الكندية لدى الأردن ماري لوران الى عمان. "
            "وقال رئيس الوزراء العراقي محمد شياع السوداني إن الحكومة مستمرة.")
    doc = _doc(text, ("لوران", "محمد شياع"))
    mentions = _run(doc)
    _check_invariants(text, mentions)
    per = [(m.text, m.title) for m in mentions if m.type == "PER"]
    assert per == [("ماري لوران", "السفيرة الكندية لدى الأردن"),
                   ("محمد شياع السوداني", "رئيس الوزراء العراقي")]


def test_title_with_an_organisation_after_lil():
    text = "وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن الوضع خطير. ودعا الأمين العام الى التهدئة."
    mentions = _run(_doc(text, ("أنطونيو غوتيريش",)))
    _check_invariants(text, mentions)
    assert mentions[0].title == "الأمين العام للأمم المتحدة"
    roles = [m for m in mentions if m.kind == "role"]
    assert [(m.text, m.canonical) for m in roles] == [("الأمين العام", "أنطونيو غوتيريش")]


def test_a_surname_cut_at_a_clitic_like_letter_is_restored():
    text = "قال الرئيس الأميركي جو بايدن ذلك. وأضافت المتحدثة أن بايدن سيثير الملف."
    doc = _doc(text, ("جو بايدن",))
    s = text.index("ايدن سيثير")
    doc.mentions.append(Mention(s, s + len("ايدن سيثير"), "ايدن سيثير", "PER"))
    mentions = _run(doc)
    _check_invariants(text, mentions)
    assert [(m.text, m.kind, m.canonical) for m in mentions if m.type == "PER"] == [
        ("جو بايدن", "name", "جو بايدن"), ("بايدن", "short", "جو بايدن")]
