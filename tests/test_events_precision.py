"""False friends of the PROTEST/ASSAULT triggers and the other precision
rules of the events component (docs/events.md, "What is not an event"), and
the graded sentence filter.  Every sentence here is our own."""
from __future__ import annotations

import pytest

from marsad.extract import event_filter
from marsad.extract import event_lexicon as lex
from marsad.extract.events import extract_events, filter_events
from marsad.lang.ar import load_table
from marsad.model import DateRef, Doc
from marsad.text.normalize import SEARCH
from tests.docs import doc_with_mentions


def make_doc(text: str, mentions=(), dates=(), published="2020-11-19") -> Doc:
    doc = doc_with_mentions(text, mentions, published)
    for surface, value in dates:
        i = text.index(surface)
        doc.dates.append(DateRef(i, i + len(surface), surface, value, "year" if len(value) == 4 else "day"))
    return doc


def types(text: str, mentions=(), dates=()) -> list[str]:
    return [e.type for e in extract_events(make_doc(text, mentions, dates))]


def test_new_cue_kinds_are_present_and_normalised():
    kinds = {}
    for row in load_table("event_cues"):
        kinds.setdefault(row["kind"], []).append(row["form"])
    for kind in ("sport", "fiction", "scene_required", "protest_scene", "verbal_attack", "speech", "violence",
                 "participant"):
        assert kinds.get(kind), kind
        for form in kinds[kind]:
            assert SEARCH.text(form.rstrip("*")) == form.rstrip("*"), (kind, form)


# -- PROTEST: objection, career and drone are no street protest ---------------------

@pytest.mark.parametrize("text", [
    "وقدمت الوزارة احتجاجا رسميا على تصريحات السفير.",
    "وتحدث المدير عن مسيرة طويلة في العمل الحكومي.",
    "وأسقطت الدفاعات الجوية طائرة مسيرة فوق المدينة.",
])
def test_objection_career_and_drone_are_no_protest(text):
    assert "PROTEST" not in types(text)


def test_protests_with_a_street_scene_are_protests():
    assert types("وخرج آلاف المحتجين إلى الشوارع في احتجاجات على الغلاء.") == ["PROTEST"]
    assert "PROTEST" in types("ونظم الطلاب مسيرة في ساحة الجامعة رفعوا فيها لافتات.")


def test_may_boycott_is_hypothetical():
    (e,) = extract_events(make_doc("وقال محللون إن قطر قد تقاطع المؤتمر.", [("قطر", "LOC")]))
    assert (e.type, e.mode) == ("PROTEST", "hypothetical")


# -- ASSAULT: sports, words, dawn, fiction, charges, history -----------------------------

def test_sports_sentence_has_no_attack():
    assert types("وشن المنتخب هجوما قويا على مرمى الخصم في الشوط الثاني.") == []


def test_a_sports_article_has_no_events_but_the_same_sentence_elsewhere_does():
    sentence = "وتعرض الحارس لاعتداء من المشجعين بعد اللقاء."
    assert types(sentence) == ["ASSAULT"]
    sport = ("فاز النادي في مباراة الدوري أمس. وسجل اللاعب هدفين بعد تمريرة من زميله، وأشاد المدرب بالملعب. "
             + sentence)
    assert types(sport) == []


def test_a_verbal_attack_is_criticism():
    assert types("وشن النائب هجوما حادا على الحكومة في مقابلة تلفزيونية.") == ["ACCUSE"]
    assert types("وشن مسلحون هجوما على مركز للشرطة قتل فيه ثلاثة جنود.")[0] == "ASSAULT"


def test_verbal_attack_on_a_person_without_weapons_is_criticism():
    text = "وشن الوزير هجوما على سمير داود بعد الجلسة."
    (e,) = extract_events(make_doc(text, [("سمير داود", "PER")]))
    assert e.type == "ACCUSE" and [(a.role, a.canonical) for a in e.actors] == [("target", "سمير داود")]


@pytest.mark.parametrize("text", [
    "وسقطت أمطار غزيرة من فجر السبت حتى المساء.",
    "وفجر القرار موجة من الغضب في الشارع.",
    "ويروي الفيلم قصة رجل يقتل جاره بعد خلاف على الأرض.",
    "ووجهت النيابة إلى الرجلين تهمة قتل الحارس.",
    "وتستهدف العقوبات شركات النفط الإيرانية.",
    "وتواجه المعارضة معركة انتخابية صعبة.",
])
def test_assault_false_friends(text):
    assert "ASSAULT" not in types(text)


def test_a_plot_is_not_an_attack_that_happened():
    modes = [e.mode for e in extract_events(make_doc("وكشفت الشرطة مخططا لتفجير سيارة أمام السفارة."))
             if e.type == "ASSAULT"]
    assert modes and "happened" not in modes


def test_history_told_as_background_is_no_event():
    text = "وفي عام 2003 اغتال مسلحون رئيس البلدية."
    assert types(text, dates=[("عام 2003", "2003")]) == []
    assert types("وأمس اغتال مسلحون رئيس البلدية.", dates=[("أمس", "2020-11-18")]) == ["ASSAULT"]


# -- the graded filter ----------------------------------------------------------------

def _event(text: str, etype: str):
    doc = make_doc(text)
    events = extract_events(doc)
    e = next(e for e in events if e.type == etype)
    k = next(i for i, t in enumerate(doc.tokens) if t.start == e.trigger_start)
    return doc, events, e, k


def test_strong_forms_are_evidence_in_themselves():
    doc, _, e, k = _event("واغتال مسلحون ضابطا في الشرطة قرب منزله.", "ASSAULT")
    assert event_filter.strong(doc.tokens, k, e)
    doc, _, e, k = _event("وشنت الطائرات غارات على القرية.", "ASSAULT")
    assert event_filter.strong(doc.tokens, k, e)
    doc, _, e, k = _event("وأدان الوزير الهجوم على المدرسة.", "ASSAULT")
    assert not event_filter.strong(doc.tokens, k, e)  # a reference back: the filter judges it
    doc, _, e, k = _event("واعتقلت الشرطة عشرات المتظاهرين في الساحة.", "PROTEST")
    assert not event_filter.strong(doc.tokens, k, e)  # the participants, not the report of a protest


def test_graded_filter_keeps_a_plain_attack_report():
    doc = make_doc("واغتال مسلحون ضابطا في الشرطة قرب منزله.")
    events = extract_events(doc)
    assert [e.type for e in filter_events(doc, events, "graded")] == ["ASSAULT"]
    assert lex.cue_match("participant", "متظاهرون")
