"""The learned PROTEST/ASSAULT sentence filter (extract/event_filter.py,
models/event_filter.json): a concrete attack report is kept, a reaction to
an attack and a mention of an old one are dropped; the signs of a concrete
incident it reads; which rule events are evidence in themselves.  Every
sentence here is our own."""
from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract import event_filter
from marsad.extract.events import as_trained, extract_events, filter_events
from marsad.ingest.files import article_from_text
from marsad.lang.ar import load_table
from marsad.model import Doc
from marsad.pipeline import Pipeline

pytestmark = pytest.mark.skipif(event_filter._model() is None, reason="no event filter model")


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(config={"events": {"filter": "none"}})


def run(pipe: Pipeline, text: str) -> Doc:
    return pipe.run(Doc(article_from_text(text, id="t", published="2021-03-10")))


def kept(pipe: Pipeline, text: str, etype: str, mode: str = "graded") -> bool:
    doc = run(pipe, text)
    assert any(e.type == etype for e in doc.events), "the rules must find it first"
    return any(e.type == etype for e in filter_events(doc, doc.events, mode))


REPORT = ("قتل خمسة أشخاص وأصيب ثمانية آخرون بجروح صباح أمس في انفجار عبوة ناسفة استهدفت حافلة "
          "للركاب جنوب المدينة، حسبما أفاد مصدر في الشرطة.")


def test_a_concrete_attack_report_is_kept(pipe):
    assert kept(pipe, REPORT, "ASSAULT")
    assert kept(pipe, REPORT, "ASSAULT", "all")  # the model itself judges it an attack
    assert kept(pipe, "تظاهر آلاف الطلاب أمس أمام مبنى البرلمان احتجاجا على رفع رسوم الجامعات.", "PROTEST", "all")


def test_a_condemnation_of_an_attack_is_dropped(pipe):
    text = ("وأدان وزير الخارجية بشدة الهجوم الإرهابي على السفارة، وقال إن مثل هذه الأعمال لن تثني "
            "الحكومة عن مواصلة جهودها.")
    assert not kept(pipe, text, "ASSAULT")


def test_a_historical_mention_is_dropped(pipe):
    text = ("ويذكّر المشهد بمحاولة اغتيال الزعيم في خمسينيات القرن الماضي، حين كانت البلاد تعيش "
            "صراعا مريرا على السلطة.")
    assert not kept(pipe, text, "ASSAULT")


def test_a_report_scores_above_a_reaction(pipe):
    """The score orders sentences: the report above talk about attacks."""
    def z(text):
        doc = run(pipe, text)
        return event_filter.score(doc.tokens, [as_trained(e) for e in doc.events], "ASSAULT")

    talk = "ويرى محللون أن عمليات الخطف والاغتيال باتت ظاهرة تهدد الاستقرار في المنطقة منذ سنوات."
    assert z(REPORT) > z(talk)


def _strong(pipe, text: str, trigger: str) -> bool:
    doc = run(pipe, text)
    e = next(e for e in extract_events(doc) if doc.text[e.trigger_start:e.trigger_end].endswith(trigger))
    k = next(i for i, t in enumerate(doc.tokens) if t.start == e.trigger_start)
    return event_filter.strong(doc.tokens, k, e)


def test_a_verbal_noun_written_like_the_verb_is_no_evidence(pipe):
    assert _strong(pipe, "وخطف مسلحون ثلاثة موظفين من مكتبهم في المدينة.", "خطف")
    # the same letters after a noun or a preposition that governs them: the verbal noun
    assert not _strong(pipe, "وقالت الشرطة إن عصابة محلية تقف وراء خطف الموظفين.", "خطف")
    assert not _strong(pipe, "وقال إن المجموعة متورطة في قتل المدنيين.", "قتل")


def _signs(pipe, text: str) -> set[str]:
    doc = run(pipe, text)
    words = [t for t in doc.tokens if t.kind == "word"]
    cues = [event_filter._cue(event_filter._stem(t)) for t in words]
    return event_filter._concrete(doc.tokens, words, cues)


def test_signs_of_a_concrete_incident(pipe):
    assert "toll" in _signs(pipe, "وأسفر الانفجار عن مقتل ثلاثة أشخاص.")
    assert "toll" in _signs(pipe, "وقتل 12 شخصا في الهجوم.")
    assert "toll" not in _signs(pipe, "وذكر الوزير ثلاثة أسباب للأزمة.")
    assert "year" in _signs(pipe, "ووقع الاغتيال في عام 1956 في العاصمة.")
    assert "anchored" in _signs(pipe, "وانفجرت العبوة مساء الخميس.")


def test_the_model_reads_the_features_the_code_writes():
    """The shipped model was trained on this code's features (retrain with
    training/train_event_gsr.py when they change)."""
    for etype in event_filter.FILTERED:
        vocab = set(event_filter._model()["types"][etype]["vocab"])
        assert {"strong", "toll"} <= vocab or {"strong", "anchored"} <= vocab, etype
        assert not any(f.startswith("w:") for f in vocab), etype


def test_filter_cue_kinds_are_documented():
    path = Path(__file__).resolve().parents[1] / "src" / "marsad" / "lang" / "ar" / "data" / "event_filter_cues.tsv"
    header = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    kinds = {row["kind"] for row in load_table("event_filter_cues")}
    for kind in ("casualty", "numword", "victim", "weekday", "generic", "informant", "construct"):
        assert kind in kinds, kind
    for kind in kinds:
        assert f"#   {kind}" in header, kind
