"""The events component (PLOVER event mentions) and the events linker (one
event, many reports).  Hand-built documents for the rules, the seeds for
acceptance; sentences here are our own, the seeds are read from ../shared."""
from __future__ import annotations

import pytest

from marsad.extract import event_lexicon as lex
from marsad.extract.events import extract_events
from marsad.lang.ar import load_table
from marsad.model import Article, DateRef, Doc, Mention, Quote, Speaker
from marsad.text.normalize import SEARCH
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize

S003, S000 = "003_7ef351cf9e1796e6", "000_869a8ed862cadf55"


def make_doc(text: str, mentions=(), dates=(), quotes=(), published="2020-11-19") -> Doc:
    """A Doc with real tokens/sentences and hand-placed mentions:
    mentions = [(surface, type, {field: value})], dates = [(surface, iso)]."""
    doc = Doc(Article(id="t", text=text, published=published))
    doc.tokens = tokenize(text)
    doc.sentences = split_sentences(text)
    ms = []
    for surface, typ, *kw in mentions:
        i = text.index(surface)
        ms.append(Mention(i, i + len(surface), surface, typ, **(kw[0] if kw else {})))
    doc.mentions = sorted(ms, key=lambda m: m.start)
    for surface, value in dates:
        i = text.index(surface)
        doc.dates.append(DateRef(i, i + len(surface), surface, value, "day"))
    for qs, speaker in quotes:
        i = text.index(qs)
        mi = next(k for k, m in enumerate(doc.mentions) if m.text == speaker)
        doc.quotes.append(Quote(i, i + len(qs), qs, False, Speaker(None, speaker, mi)))
    return doc


def summary(events):
    return [(e.type, e.mode, {a.role: a.canonical for a in e.actors}) for e in events]


# -- the data files -------------------------------------------------------------

def test_lexicon_covers_every_plover_type_and_loads():
    types = {t.type for t in lex.triggers()} | {t.alt_type for t in lex.triggers() if t.alt_type}
    assert types == set(lex.PLOVER_TYPES)
    assert len(lex.form_index()) > 10_000


def test_lexicon_entries_survive_the_search_normaliser():
    for row in load_table("event_triggers"):
        for form in row["forms"].replace("|", " ").split():
            assert SEARCH.text(form) == SEARCH.text(SEARCH.text(form)) and SEARCH.text(form).strip(), form
    seen = set()
    for t in lex.triggers():
        for w in t.words:
            key = (t.type, t.kind, w, t.context)
            assert key not in seen, key
            seen.add(key)


@pytest.mark.parametrize("written, etype, future", [
    ("وبحث", "CONSULT", False), ("سيبحثان", "CONSULT", True), ("التقت", "CONSULT", False),
    ("بالمباحثات", "CONSULT", False), ("زيارته", "CONSULT", False), ("توقيعهما", "AGREE", False),
    ("الغارات", "ASSAULT", False), ("والمتظاهرون", "PROTEST", False), ("دعت", "REQUEST", False),
    ("وانسحبت", "RETREAT", False), ("اعتقال", "COERCE", False), ("العقوبات", "SANCTION", False),
])
def test_written_forms_with_clitics_find_their_trigger(written, etype, future):
    forms = lex.form_index()[SEARCH.text(written)]
    assert any(lex.triggers()[f.trigger].type == etype and f.future == future for f in forms)


# -- event mentions: actors, mode, date, place ---------------------------------

def test_verb_subject_object_partner_date_and_place():
    text = "وبحث الرئيس العراقي برهم صالح في بغداد اليوم مع السفير البريطاني ستيفن هيكي علاقات البلدين."
    doc = make_doc(text, [("برهم صالح", "PER", {"country": "العراق"}), ("بغداد", "LOC"),
                          ("ستيفن هيكي", "PER", {"country": "بريطانيا"})], [("اليوم", "2020-11-19")])
    (e,) = extract_events(doc)
    assert (e.type, e.mode, e.event_mode) == ("CONSULT", "happened", "meet")
    assert {a.role: (a.canonical, a.country) for a in e.actors} == {
        "source": ("برهم صالح", "العراق"), "target": ("ستيفن هيكي", "بريطانيا")}
    assert (e.date, e.place) == ("2020-11-19", "بغداد")
    assert text[e.trigger_start:e.trigger_end] == e.trigger == "وبحث"


def test_future_prefix_and_future_date_make_an_announced_visit():
    text = "سيزور وزير الخارجية العراقي فؤاد حسين موسكو الأربعاء المقبل."
    doc = make_doc(text, [("فؤاد حسين", "PER", {"country": "العراق"}), ("موسكو", "LOC")],
                   [("الأربعاء المقبل", "2020-11-25")])
    (e,) = extract_events(doc)
    assert (e.type, e.mode, e.date) == ("CONSULT", "announced", "2020-11-25")
    assert {a.role: a.canonical for a in e.actors} == {"source": "فؤاد حسين", "target": "موسكو"}
    assert e.actors[1].country == "روسيا"  # a capital stands for its country


def test_negated_and_hypothetical():
    neg = make_doc("لم يلتق الرئيس الأمريكي بنظيره الروسي.")
    assert [e.mode for e in extract_events(neg)] == ["negated"]
    hyp = make_doc("وقال إنه إذا هاجمت القوات التركية المدينة فإن الجيش سيرد.")
    assert [(e.type, e.mode) for e in extract_events(hyp)] == [("ASSAULT", "hypothetical")]


def test_nationality_adjective_after_an_attack_noun_is_its_source():
    text = "ونفذت مقاتلات بريطانية غارات جوية على مواقع داعش في العراق."
    doc = make_doc(text, [("داعش", "ORG"), ("العراق", "LOC")])
    (e,) = extract_events(doc)
    assert (e.type, e.event_mode) == ("ASSAULT", "aerial")
    assert {a.role: a.canonical for a in e.actors} == {"source": "بريطانيا", "target": "داعش"}
    assert e.place == "العراق"


def test_troop_withdrawal_takes_the_nationality_of_the_troops():
    text = "وأعلن البنتاغون سحب 500 جندي أميركي من أفغانستان."
    doc = make_doc(text, [("أفغانستان", "LOC")])
    (e,) = extract_events(doc)
    assert e.type == "RETREAT" and e.actors[0].country == "الولايات المتحدة" and e.actors[0].sector == "MIL"


def test_protest_needs_no_actor():
    doc = make_doc("تظاهر آلاف الطلاب في العاصمة احتجاجا على رفع الأسعار.")
    assert [e.type for e in extract_events(doc)] == ["PROTEST"]


def test_the_speaker_of_a_quote_is_the_source_of_what_it_states():
    text = 'وقال لافروف إن "الوجود الأميركي في المنطقة يقوض سيادة الدول".'
    q = '"الوجود الأميركي في المنطقة يقوض سيادة الدول"'
    doc = make_doc(text, [("لافروف", "PER", {"country": "روسيا"})], quotes=[(q, "لافروف")])
    (e,) = extract_events(doc)
    assert e.type == "ACCUSE" and e.quote == 0
    assert {a.role: a.canonical for a in e.actors} == {"source": "لافروف", "target": "الولايات المتحدة"}


@pytest.mark.parametrize("text, mentions", [
    ("وتحدث الوزير عن فكرة الأمن الجماعي المطروحة من روسيا.", [("روسيا", "LOC")]),
    ("وانضمت قطر إلى مجلس التعاون الخليجي قبل سنوات.", [("قطر", "LOC"), ("مجلس التعاون الخليجي", "ORG")]),
    ("وشاركت بريطانيا في التحالف الدولي.", [("بريطانيا", "LOC"), ("التحالف الدولي", "ORG")]),
    ("وقرأ الطالب نص اتفاق السلام في المكتبة.", []),
    ("اتفاق أبوجا ومستقبل دارفور", [("دارفور", "LOC")]),
    ("وقال إن الحادث وقع في شارع مزدحم.", []),
    ("وخرج الفريق بحثا عن الأسلحة في روسيا.", [("روسيا", "LOC")]),
    ("وأكد أهمية التعاون في مجال التدريب مع الأردن.", [("الأردن", "LOC")]),
])
def test_false_friends_make_no_event(text, mentions):
    assert extract_events(make_doc(text, mentions)) == []


def test_no_crash_on_empty_latin_or_huge_text():
    assert extract_events(make_doc("")) == []
    assert extract_events(make_doc("The minister met his counterpart.")) == []
    big = ("وبحث الوزير مع نظيره العلاقات و " * 40000)[:1_000_000]
    doc = make_doc(big)
    assert isinstance(extract_events(doc), list)


# -- the seeds: acceptance --------------------------------------------------------

def _find(analysis, etype, mode=None, actor=None, date=None):
    out = []
    for e in analysis.events:
        names = {a.canonical for a in e.actors} | {a.country for a in e.actors}
        if e.type == etype and (mode is None or e.mode == mode) and (actor is None or actor <= names) \
                and (date is None or e.date == date):
            out.append(e)
    return out


def test_seed_003_events(seed_analyses):
    a = seed_analyses[S003]
    salih = _find(a, "CONSULT", "happened", {"برهم صالح"}, "2020-11-19")
    assert salih and any(x.place == "بغداد" for x in salih)
    assert any({"بريطانيا"} <= {y.country for y in x.actors} for x in salih)
    lavrov = _find(a, "CONSULT", "announced", {"فؤاد حسين", "سيرغي لافروف"}, "2020-11-25")
    assert lavrov and lavrov[0].place == "موسكو"
    strikes = _find(a, "ASSAULT", "happened", {"بريطانيا"})
    assert strikes and strikes[0].actors[0].role == "source" and strikes[0].event_mode == "aerial"


def test_seed_000_events(seed_analyses):
    a = seed_analyses[S000]
    assert _find(a, "CONSULT", "happened", {"فؤاد حسين", "سيرغي لافروف"}, "2020-11-25")
    arms = _find(a, "AID", "announced", {"روسيا", "العراق"})
    assert arms and arms[0].event_mode == "military" and arms[0].actors[0].canonical == "روسيا"
    mous = _find(a, "AGREE", "announced")
    assert any(e.date == "2021" for e in mous)
    assert _find(a, "CONSULT", "announced", {"جمعة عناد", "روسيا"})
    (accuse,) = _find(a, "ACCUSE")
    assert {x.role: x.country for x in accuse.actors} == {"source": "روسيا", "target": "الولايات المتحدة"}
    (retreat,) = _find(a, "RETREAT")
    assert retreat.actors[0].canonical == "الولايات المتحدة" and retreat.mode == "happened"
    # "فكرة الأمن الجماعي" and "مجلس الامن الدولي" are no events
    text = a.article.text
    for e in a.events:
        assert "فكرة" not in text[max(0, e.trigger_start - 6):e.trigger_start]


def test_every_event_span_is_true_to_the_text(seed_analyses):
    for a in seed_analyses.values():
        for e in a.events:
            assert a.article.text[e.trigger_start:e.trigger_end] == e.trigger
            assert e.start <= e.trigger_start < e.trigger_end <= e.end


# -- the linker -----------------------------------------------------------------------

def _hussein_lavrov(engine):
    from marsad.link.events import list_events

    evs = [e for e in list_events(engine.store, type="CONSULT", limit=None) if e["date"] == "2020-11-25"
           and e["place"] == "موسكو"]
    return evs


@pytest.mark.parametrize("order", [(S003, S000), (S000, S003)])
def test_one_event_two_reports(engine, seed_articles, order):
    from marsad.link.events import get_event

    for aid in order:
        engine.add([seed_articles[aid]])
    evs = _hussein_lavrov(engine)
    assert len(evs) == 1
    ev = evs[0]
    assert ev["article_ids"] == sorted([S000, S003]) and ev["reports"] == 2
    assert ev["mode"] == "happened"  # announced on the 19th, reported done on the 26th
    full = get_event(engine.store, ev["id"])
    assert {m["article_id"] for m in full["mentions"]} == {S000, S003}
    stored = engine.analysis(S000)
    assert any(e.event_id == ev["id"] for e in stored.events)


def test_export_events_and_mentions(engine, seed_articles):
    engine.add([seed_articles[S003], seed_articles[S000]])
    rows = list(engine.export("events"))
    assert rows and {"id", "date", "type", "mode", "source_actor", "target_actor", "place", "reports",
                     "article_ids"} <= set(rows[0])
    mentions = list(engine.export("event_mentions"))
    text = {a: seed_articles[a].text for a in (S000, S003)}
    for m in mentions:
        assert text[m["article_id"]][m["trigger_start"]:m["trigger_start"] + len(m["trigger"])] == m["trigger"]


def test_cli_exports_events_as_csv(tmp_path, seed_articles):
    from click.testing import CliRunner

    from marsad.cli import main
    from marsad.engine import Engine

    db = str(tmp_path / "cli.db")
    with Engine(db, workers=1) as e:
        e.add([seed_articles[S003], seed_articles[S000]])
    res = CliRunner().invoke(main, ["export", "--db", db, "--what", "events", "--format", "csv"])
    assert res.exit_code == 0, res.output
    header = res.output.splitlines()[0]
    assert header.startswith("id,date,type,mode")


def test_bad_filter_setting_is_a_clear_error():
    from marsad.errors import ConfigError
    from marsad.pipeline import Pipeline

    with pytest.raises(ConfigError, match="actorless"):
        Pipeline(config={"events": {"filter": "sometimes"}})


def test_list_events_filters(engine, seed_articles):
    from marsad.link.events import get_event, list_events

    engine.add([seed_articles[S003], seed_articles[S000]])
    assault = list_events(engine.store, type="ASSAULT")
    assert assault and all(e["type"] == "ASSAULT" for e in assault)
    assert all(S000 in e["article_ids"] for e in list_events(engine.store, article_id=S000))
    assert list_events(engine.store, actor="الولايات المتحدة")
    assert get_event(engine.store, "ev_nothing") is None


def test_unnamed_groups_do_not_merge_two_attacks(engine):
    """"مسلحون" in two reports on one day is no shared actor: two attacks
    with no named actor stay two events unless they share a named place, and
    a second report of the same attack in the same city joins it."""
    from marsad.link.events import list_events
    from marsad.model import Article

    texts = {
        "g1": "هاجم مسلحون مجهولون حافلة تقل عمالا على الطريق الصحراوي صباح اليوم الاثنين، ما أدى إلى مقتل ثلاثة منهم.",
        "g2": "هاجم مسلحون نقطة تفتيش صباح اليوم الاثنين وأطلقوا النار على الحراس قبل أن يلوذوا بالفرار.",
        "g3": "هاجم مسلحون مقرا حكوميا في مدينة الموصل صباح اليوم الاثنين، بحسب مصادر محلية.",
        "g4": "قالت الشرطة إن مسلحين هاجموا مقرا حكوميا في مدينة الموصل صباح اليوم الاثنين.",
    }
    engine.add([Article(id=k, text=v, published="2026-11-23T10:00:00") for k, v in texts.items()])
    got = [e for e in list_events(engine.store, type="ASSAULT", limit=None)]
    by_article = {}
    for e in got:
        for a in e["article_ids"]:
            by_article.setdefault(a, set()).add(e["id"])
    assert set(by_article) == set(texts), got  # every report coded ASSAULT
    assert not by_article["g1"] & by_article["g2"]  # two attacks, no place, unnamed gunmen
    assert by_article["g3"] & by_article["g4"]  # the same city on the same day
