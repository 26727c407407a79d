"""Round-2 entity rules on sentences written for marsad: a و/ل/ب that is the
first letter of a name, a place not named by its country's adjective, two
names the model ran together, bank heads, a ministry's short form, cups,
names in a reporting frame, a family name the model left out."""
from __future__ import annotations

from marsad.extract import entities as E
from marsad.extract.entities import EntityRecognizer, postprocess
from marsad.lang.ar import load_list
from marsad.model import Mention
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


def mentions(text: str, model=E.MODEL_PATH) -> list[tuple[str, str]]:
    ms = EntityRecognizer(model)(text, tokenize(text), [(s.start, s.end) for s in split_sentences(text)])
    return [(m.text, m.type) for m in ms]


def at(text: str, word: str, typ: str, source: str = "model", nth: int = 0) -> Mention:
    s = -1
    for _ in range(nth + 1):
        s = text.index(word, s + 1)
    return Mention(s, s + len(word), word, typ, source=source)


def token(text: str, word: str):
    return next(t for t in tokenize(text) if t.text == word)


def test_a_name_letter_is_told_from_a_conjunction():
    text = "التقى ونستون بوترامب ووزكريايف"
    assert E._name_letter(token(text, "ونستون"))  # the name Winston
    assert not E._name_letter(token(text, "بوترامب"))  # not a one-letter proclitic
    assert not E._name_letter(token("قال وترامب", "وترامب"))  # و + Trump: the rest is the frequent word
    assert not E._name_letter(token(text, "ووزكريايف"))  # never seen: the letter is a clitic


def test_the_name_initial_list_is_names_with_a_letter_the_tokenizer_splits():
    words = load_list("name_initial_letters")
    assert len(words) > 500 and all(w[0] in "وفبلك" for w in words)
    assert not set(words) & set(load_list("stem_initial_letters"))
    assert "ونستون" in words and "وترامب" not in words


def test_winston_keeps_his_first_letter():
    found = mentions("وقال رئيس الوزراء البريطاني الأسبق ونستون تشرشل إن الحرب طويلة.")
    assert ("ونستون تشرشل", "PER") in found


def test_a_preposition_after_a_place_trigger_is_no_letter_of_a_gazetteer_name():
    found = mentions("اعترف الرئيس بالمدينة عاصمة لإسرائيل أمس.")
    assert ("إسرائيل", "LOC") in found and ("لإسرائيل", "LOC") not in found


def test_a_town_is_not_named_by_its_countrys_adjective():
    found = mentions("سقطت قذائف على مدينة دوما السورية صباح اليوم، وقال سكان دوما إن القصف استمر.")
    assert ("دوما السورية", "LOC") not in found
    assert found.count(("دوما", "LOC")) == 2


def test_two_gazetteer_names_joined_by_and_are_split():
    text = "فرضت واشنطن رسوما على الاتحاد الأوروبي والمكسيك أمس"
    toks = [t for t in tokenize(text)]
    i = next(k for k, t in enumerate(toks) if t.text == "الاتحاد")
    rec = EntityRecognizer(E.MODEL_PATH)
    assert rec._split(text, toks, i, i + 3, "ORG") == [(i, i + 2, "ORG"), (i + 2, i + 3, "LOC")]
    assert rec._split(text, toks, i, i + 2, "ORG") == [(i, i + 2, "ORG")]


def test_a_person_span_running_into_another_known_person_is_split():
    text = "استقبل الرئيس خوسيه موراليس الوفد. وقال كريم سالم لموراليس إن الزيارة مهمة."
    ms = [at(text, "خوسيه موراليس", "PER"), at(text, "كريم سالم لموراليس", "PER")]
    out = [(m.text, m.type) for m in postprocess(text, tokenize(text), ms)]
    assert out == [("خوسيه موراليس", "PER"), ("كريم سالم", "PER"), ("موراليس", "PER")]
    # with no other person of that name, the span stays whole
    ms = [at(text, "كريم سالم لموراليس", "PER")]
    assert [m.text for m in postprocess(text, tokenize(text), ms)] == ["كريم سالم لموراليس"]


def test_a_bank_keeps_its_head_noun():
    text = "أعلن بنك أولستر أرباحه، وقالت شركة فيرتكس إنها ستوسع أعمالها، وخسر بنك باركليز."
    ms = [at(text, "أولستر", "ORG"), at(text, "فيرتكس", "ORG"), at(text, "باركليز", "ORG")]
    out = [(m.text, m.type) for m in postprocess(text, tokenize(text), ms)]
    assert out == [("بنك أولستر", "ORG"), ("فيرتكس", "ORG"), ("باركليز", "ORG")]


def test_a_ministry_short_form_after_a_statement_is_an_organisation():
    text = "وأفاد بيان الداخلية بأن الشرطة اعتقلت رجلين، وقال وزير الداخلية إن التحقيق مستمر."
    out = [(m.text, m.type, m.canonical) for m in postprocess(text, tokenize(text), [])]
    assert out == [("الداخلية", "ORG", "وزارة الداخلية")]


def test_a_preposition_on_a_short_head_noun_does_not_hide_a_gazetteer_name():
    found = mentions("وقال إن الشركة تابعة لبنك اسكتلندا الملكي منذ سنوات.", model=None)
    assert ("بنك اسكتلندا الملكي", "ORG") in found and ("اسكتلندا", "LOC") not in found


def test_a_country_after_a_cup_names_the_cup():
    text = "فاز الفريق بكأس إيطاليا بعد أن زار إيطاليا."
    ms = [at(text, "إيطاليا", "LOC"), at(text, "إيطاليا", "LOC", nth=1)]
    out = [(m.text, m.type) for m in postprocess(text, tokenize(text), ms)]
    assert out == [("كأس إيطاليا", "MISC"), ("إيطاليا", "LOC")]


def test_a_name_in_a_reporting_frame_before_a_title_is_a_person():
    toks = tokenize("وتقول سلمى حداد، مديرة المركز، إن الوضع صعب")
    assert [(c[0], c[1], c[2]) for c in E._framed_persons(toks)] == [(6, 15, "PER")]
    assert E._framed_persons(tokenize("وقال أحمد إن الوضع صعب")) == []  # one word, no title after


def test_a_family_name_after_a_first_name_and_before_a_comma():
    text = "والناشط عباس زندوري، الذي اعتقل أمس"
    assert E._surname_like(token(text, "زندوري"), {})
    assert not E._surname_like(token(text, "الذي"), {})
    assert not E._surname_like(token(text, "زندوري"), {"زندوري": ("LOChi", "LOCB")})


def test_particles_never_continue_a_person():
    assert E._name_stop(token("نتنياهو على", "على")) and E._name_stop(token("وقال إن", "وقال"))
    assert not E._name_stop(token("نتنياهو على", "نتنياهو"))
