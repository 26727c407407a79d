"""Quotes with speakers (marsad.extract.quotes): seed acceptance through the
whole default pipeline, one hand-written sentence per construction with
hand-built mentions, the data files, and bad input."""
from __future__ import annotations

import pytest

from marsad.extract.quotes import extract_quotes, lexicon, quoted_spans
from marsad.lang.ar import load_table
from marsad.model import Article, Doc, Mention
from marsad.text.normalize import SEARCH
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


# ------------------------------------------------------------------ helpers
def make_doc(text: str, mentions: list[tuple] = (), title: str | None = None) -> Doc:
    """A doc with tokens, sentences and mentions built by hand.  Each mention
    is ``(phrase, type, canonical=None, kind="name", title=None, nth=0)``;
    the title phrase, when given, is the text right before the name."""
    doc = Doc(Article(id="t", text=text, title=title))
    doc.tokens = tokenize(text)
    doc.sentences = split_sentences(text)
    out = []
    for spec in mentions:
        phrase, typ, canonical, kind, ttl, nth = (tuple(spec) + (None, "name", None, 0)[len(spec) - 2:])[:6]
        start = -1
        for _ in range(nth + 1):
            start = text.index(phrase, start + 1)
        ts = te = -1
        if ttl:
            ts = text.rindex(ttl, 0, start)
            te = ts + len(ttl)
        out.append(Mention(start, start + len(phrase), phrase, typ, kind, canonical=canonical,
                           title=ttl, title_start=ts, title_end=te))
    doc.mentions = sorted(out, key=lambda m: m.start)
    return doc


def quotes_of(text: str, mentions: list[tuple] = (), title: str | None = None):
    doc = make_doc(text, mentions, title)
    qs = extract_quotes(doc)
    for q in qs:
        assert text[q.start:q.end] == q.text
        if q.cue is not None:
            assert text[q.cue_start:q.cue_end] == q.cue
    assert [q.start for q in qs] == sorted(q.start for q in qs)
    return qs


def speaker(q) -> str | None:
    return q.speaker.canonical if q.speaker else None


# ---------------------------------------------------------------- data files
def test_reporting_verbs_load_and_match_through_search():
    rows = load_table("reporting_verbs")
    forms = {SEARCH.text(r["form"]) for r in rows}
    for needed in ("قال", "قالت", "أكد", "أشار", "أضافت", "مشيرا", "منوها", "مشددا", "معربا",
                   "بالقول", "بحسب", "نقلا عن", "يشار"):
        assert SEARCH.text(needed) in forms, needed
    assert {r["kind"] for r in rows} <= {"verb", "participle", "prep"}
    assert {r["reported"] for r in rows} <= {"yes", "no", "source"}
    assert {r["gender"] for r in rows} <= {"m", "f", "p", ""}
    lex = lexicon()
    assert SEARCH.text("أضافت") in lex.cues and lex.cues[SEARCH.text("أضافت")][0].gender == "f"
    assert SEARCH.text("أنه") in lex.comps and SEARCH.text("بأن") in lex.comps


def test_every_reporting_form_is_found_in_a_sentence():
    """Each verb and participle of the data file, written in a sentence with
    the preposition it takes, yields a quote whose cue is that form."""
    for row in load_table("reporting_verbs"):
        if row["kind"] == "prep" or row["reported"] != "yes" or " ... " in row["takes"]:
            continue
        preps = [alt.split()[0] for alt in row["takes"].split("|") if len(alt.split()) == 2]
        prep = preps[0] if preps else ""
        text = f"و{row['form']} {prep} أن الوضع في المنطقة مستقر تماما.".replace("  ", " ")
        qs = quotes_of(text)
        assert len(qs) == 1 and qs[0].cue == row["form"], (row["form"], qs)
        assert qs[0].text == "الوضع في المنطقة مستقر تماما"


def test_quoted_spans_pair_by_direction():
    text = 'وقال ان "الوضع صعب جدا".. مبينا ان "الحل قريب"'
    spans = quoted_spans(text)
    assert [text[a + 1:b] for a, b in spans] == ["الوضع صعب جدا", "الحل قريب"]
    # a stray closing mark (no opener) is dropped; the next opener still pairs
    text = 'تنويع الروابط في اتجاهات أخرى".. مبينا أن "هذا التعاون يتركز هنا".'
    assert [text[a + 1:b] for a, b in quoted_spans(text)] == ["هذا التعاون يتركز هنا"]


# ------------------------------------------------------------ constructions
def test_direct_quote_after_colon():
    text = 'وقال وزير الخارجية المصري سامح شكري للصحفيين: "إن بلادنا لن تقبل أي تدخل في شؤونها الداخلية".'
    qs = quotes_of(text, [("سامح شكري", "PER", None, "name", "وزير الخارجية المصري")])
    assert len(qs) == 1
    q = qs[0]
    assert q.direct and q.text.startswith("إن بلادنا") and q.text.endswith("الداخلية")
    assert speaker(q) == "سامح شكري" and q.cue == "قال"
    assert q.speaker.mention == 0


def test_direct_quote_then_cue():
    text = '"سنواصل العمل من أجل السلام في المنطقة"، قال الرئيس الفرنسي إيمانويل ماكرون.'
    qs = quotes_of(text, [("إيمانويل ماكرون", "PER", None, "name", "الرئيس الفرنسي")])
    assert len(qs) == 1 and qs[0].direct
    assert "السلام" in qs[0].text and speaker(qs[0]) == "إيمانويل ماكرون"


def test_reported_with_an_and_in():
    text = ("وأكد رئيس الوزراء الأردني بشر الخصاونة أن الحكومة ستطلق خطة جديدة لدعم الاقتصاد.\n"
            "وقالت وزيرة الخارجية السويدية آن ليندي إن بلادها تدعم الحل السياسي في اليمن.")
    qs = quotes_of(text, [("بشر الخصاونة", "PER", None, "name", "رئيس الوزراء الأردني"),
                          ("آن ليندي", "PER", None, "name", "وزيرة الخارجية السويدية"),
                          ("اليمن", "GPE")])
    assert [q.direct for q in qs] == [False, False]
    assert qs[0].text == "الحكومة ستطلق خطة جديدة لدعم الاقتصاد" and speaker(qs[0]) == "بشر الخصاونة"
    assert "الحل السياسي" in qs[1].text and speaker(qs[1]) == "آن ليندي" and qs[1].cue == "قالت"


def test_speaker_is_the_name_not_the_country_in_its_title():
    text = "وأعلنت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا في تصريح صحافي إن الوزيرين سيلتقيان الأسبوع المقبل."
    qs = quotes_of(text, [("الخارجية الروسية", "ORG"), ("ماريا زاخاروفا", "PER")])
    assert len(qs) == 1 and speaker(qs[0]) == "ماريا زاخاروفا" and "سيلتقيان" in qs[0].text


def test_continuation_without_subject_links_the_quotes():
    text = "وأكد الوزير محمد علي أن المفاوضات ستستأنف قريبا. وأضاف أن الطرفين اتفقا على جدول أعمال واضح."
    qs = quotes_of(text, [("محمد علي", "PER", None, "name", "الوزير")])
    assert len(qs) == 2
    assert speaker(qs[1]) == "محمد علي" and qs[1].continues == 0 and qs[1].cue == "أضاف"


def test_participle_continues_the_sentence_subject():
    text = "وأبدى الوزير خالد يوسف ارتياحه للنتائج مشيرا إلى أن الحكومة حققت معظم أهدافها هذا العام."
    qs = quotes_of(text, [("خالد يوسف", "PER", None, "name", "الوزير")])
    assert len(qs) == 1 and speaker(qs[0]) == "خالد يوسف" and "حققت" in qs[0].text


def test_role_mention_speaks_with_its_coreferent_canonical():
    text = ("التقى الرئيس العراقي برهم صالح السفير البريطاني في بغداد.\n"
            "واعتبر الرئيس العراقي أن الحرب على الإرهاب لم تنته بعد.")
    qs = quotes_of(text, [("برهم صالح", "PER", "برهم صالح", "name", "الرئيس العراقي"),
                          ("الرئيس العراقي", "PER", "برهم صالح", "role", None, 1)])
    assert len(qs) == 1 and speaker(qs[0]) == "برهم صالح" and "الإرهاب" in qs[0].text


def test_bare_role_word_finds_the_titled_person():
    text = ("وزار الرئيس الألماني فرانك شتاينماير النصب التذكاري في برلين. "
            "وقال الرئيس إن بلاده لن تنسى ضحايا تلك الحقبة.")
    qs = quotes_of(text, [("فرانك شتاينماير", "PER", None, "name", "الرئيس الألماني"), ("برلين", "GPE")])
    assert len(qs) == 1 and speaker(qs[0]) == "فرانك شتاينماير" and qs[0].speaker.mention == 0


def test_min_janibihi_hands_over_to_the_other_person():
    text = ("وقال وزير الخارجية التركي مولود تشاووش أوغلو إن الحوار مستمر مع نظيره الروسي سيرغي لافروف. "
            "من جانبه، قال إن موسكو مستعدة لمواصلة المشاورات مع أنقرة.")
    qs = quotes_of(text, [("مولود تشاووش أوغلو", "PER"), ("سيرغي لافروف", "PER"), ("أنقرة", "GPE")])
    assert len(qs) == 2
    assert speaker(qs[0]) == "مولود تشاووش أوغلو" and speaker(qs[1]) == "سيرغي لافروف"


def test_min_janibihi_with_its_own_subject():
    text = ("وقال الوزير زيد خالد إن الزيارة ناجحة جدا. "
            "ومن جانبه أعلن السفير عمر سالم أن بلاده ستفتح قنصلية جديدة.")
    qs = quotes_of(text, [("زيد خالد", "PER"), ("عمر سالم", "PER")])
    assert [speaker(q) for q in qs] == ["زيد خالد", "عمر سالم"]


def test_feminine_cue_picks_the_feminine_speaker():
    text = ("وقالت المتحدثة ليلى أحمد إن الاجتماع سيعقد غدا في العاصمة. "
            "وأوضح المستشار كريم حسن أن الوفد وصل صباح اليوم. "
            "وأضافت أن جدول الأعمال يشمل ملفات الطاقة والمياه.")
    qs = quotes_of(text, [("ليلى أحمد", "PER"), ("كريم حسن", "PER")])
    assert [speaker(q) for q in qs] == ["ليلى أحمد", "كريم حسن", "ليلى أحمد"]
    assert qs[2].continues == 0


def test_feminine_title_tells_the_gender():
    text = ("واستقبلت المتحدثة باسم الوزارة ليلى أحمد الوفد الزائر. "
            "وقال الوزير كريم حسن إن الوفد وصل إلى العاصمة. "
            "وأضافت أن المؤتمر سيعقد غدا في القصر.")
    qs = quotes_of(text, [("ليلى أحمد", "PER", None, "name", "المتحدثة باسم الوزارة"),
                          ("كريم حسن", "PER", None, "name", "الوزير")])
    assert [speaker(q) for q in qs] == ["كريم حسن", "ليلى أحمد"]


def test_subject_before_the_verb():
    text = "وكان السفير الألماني هانز شميت قد اعتبر في تصريحات صحافية أن التعاون الاقتصادي يتطور بسرعة."
    qs = quotes_of(text, [("هانز شميت", "PER", None, "name", "السفير الألماني")])
    assert len(qs) == 1 and speaker(qs[0]) == "هانز شميت" and qs[0].text.startswith("التعاون")


def test_interrupted_direct_quote_stays_one_quote():
    text = ('وقال الوزير سمير نعمة إن النمو مستمر. وأشار إلى أن "الاقتصاد يتعافى ببطء. '
            'وأوضح أن الصادرات ارتفعت هذا العام".')
    qs = quotes_of(text, [("سمير نعمة", "PER")])
    assert len(qs) == 2
    assert qs[1].direct and "يتعافى" in qs[1].text and "الصادرات" in qs[1].text
    assert speaker(qs[1]) == "سمير نعمة" and qs[1].continues == 0


def test_reported_clause_ends_at_the_next_cue():
    text = "وأشار نبيل سعد إلى أن الأسعار ارتفعت كثيرا مشيرا إلى أن الحكومة ستتدخل لضبط السوق."
    qs = quotes_of(text, [("نبيل سعد", "PER")])
    assert [q.text for q in qs] == ["الأسعار ارتفعت كثيرا", "الحكومة ستتدخل لضبط السوق"]
    assert qs[1].continues == 0 and speaker(qs[1]) == "نبيل سعد"


def test_musaddidan_bilqawl_direct():
    text = 'وأكد هشام زكي دعم بلاده للمبادرة مشددا بالقول "نحن مستعدون للعمل مع الجميع دون شروط".'
    qs = quotes_of(text, [("هشام زكي", "PER")])
    assert len(qs) == 1 and qs[0].direct and speaker(qs[0]) == "هشام زكي" and qs[0].cue == "مشددا"


def test_quoted_single_word_is_not_a_quote():
    assert quotes_of('وشاركت طائرات من طراز "رافال" في المناورات التي جرت قرب الحدود.') == []
    # with a source after the content, the sentence is the quote, never the quoted word
    text = 'وشاركت طائرات من طراز "رافال" في المناورات التي جرت قرب الحدود، كما ذكرت صحيفة "الأهرام".'
    qs = quotes_of(text)
    assert len(qs) == 1 and qs[0].text.startswith("وشاركت") and speaker(qs[0]) == "صحيفة الأهرام"
    assert quotes_of('وتابعته "ايلاف" عن قرب خلال المؤتمر الصحافي.') == []


def test_impersonal_yushar_is_not_a_quote():
    assert quotes_of("يشار الى ان الوزير قد بدأ امس زيارة رسمية الى موسكو تستغرق يومين.") == []


def test_statement_as_source_after_the_content():
    text = 'واستقبل الرئيس الوفد الزائر في القصر الجمهوري وبحث معه التعاون، كما قال بيان رئاسي تابعته "ايلاف".'
    qs = quotes_of(text)
    assert len(qs) == 1 and not qs[0].direct
    assert speaker(qs[0]) == "بيان رئاسي" and qs[0].speaker.mention == -1 and qs[0].cue == "قال"
    assert "الوفد الزائر" in qs[0].text


def test_kama_with_another_verb_means_also():
    text = "وعززت الشركة هاتفها الجديد بألعاب شهيرة وتقنيات حديثة، كما أضافت معالجا للرسوميات بأداء عال."
    assert quotes_of(text) == []


def test_quoted_name_inside_the_subject():
    text = 'وقد أشارت أرقام شركة البيانات "آي دي سي"، إلى أن مبيعات الشركة تجاوزت منافستها الأميركية.'
    qs = quotes_of(text)
    assert len(qs) == 1 and not qs[0].direct and qs[0].text.startswith("مبيعات")
    assert "آي دي سي" in speaker(qs[0])


def test_naql_an_qawlihi_speaker_follows_an():
    text = "ونقلت وكالة رويترز عن المتحدث باسم الوزارة سامي فرج قوله إن الشحنات ستستأنف الشهر المقبل."
    qs = quotes_of(text, [("وكالة رويترز", "ORG"), ("سامي فرج", "PER")])
    assert len(qs) == 1 and speaker(qs[0]) == "سامي فرج" and qs[0].cue == "نقلت"


def test_subject_words_without_mentions():
    qs = quotes_of("وقال مصدر حكومي إن الاجتماع تأجل إلى الأسبوع المقبل.")
    assert len(qs) == 1 and speaker(qs[0]) == "مصدر حكومي" and qs[0].speaker.entity_id is None


def test_headline_not_attributed():
    text = ('وقال الوزير زيد خالد إن الزيارة ناجحة جدا.\n'
            'محادثات "مهمة جدا للبلدين" في موسكو\n'
            'وزير الخارجية العراقي الى موسكو الاربعاء\n'
            'وأعلنت الوزارة أن الوفد سيغادر صباح الغد.')
    qs = quotes_of(text, [("زيد خالد", "PER")])
    assert all("مهمة جدا" not in q.text for q in qs)
    assert all("الى موسكو الاربعاء" not in q.text for q in qs)
    assert [speaker(q) for q in qs] == ["زيد خالد", "الوزارة"]


def test_headline_colon_names_its_own_speaker():
    text = ("وقال الوزير زيد خالد إن الزيارة ناجحة جدا.\n"
            "الوزير العراقي: نتفاوض مع سبع دول حول مواطنيها\n"
            "وأعلن وزير الخارجية العراقي فؤاد حسين أن بلاده تفاوض سبع دول.")
    qs = quotes_of(text, [("زيد خالد", "PER"), ("الوزير العراقي", "PER", "فؤاد حسين", "role"),
                          ("فؤاد حسين", "PER", None, "name", "وزير الخارجية العراقي")])
    head = [q for q in qs if "نتفاوض" in q.text]
    assert len(head) == 1 and speaker(head[0]) == "فؤاد حسين" and head[0].cue is None


def test_title_line_carries_no_speaker():
    text = '"نحن مستعدون لكل الاحتمالات"\nوقال الوزير زيد خالد إن الجيش جاهز تماما.'
    qs = quotes_of(text, [("زيد خالد", "PER")], title='"نحن مستعدون لكل الاحتمالات"')
    assert [q.text for q in qs] == ["الجيش جاهز تماما"]


def test_bare_quoted_sentence_continues_the_speaker():
    text = 'وقال الوزير زيد خالد إن الزيارة ناجحة جدا.\n"سنوقع اتفاقيات كثيرة في الأسابيع المقبلة".'
    qs = quotes_of(text, [("زيد خالد", "PER")])
    assert len(qs) == 2 and qs[1].direct and speaker(qs[1]) == "زيد خالد" and qs[1].cue is None


def test_reported_clause_over_a_line_break():
    text = "وقال نبيل سعد إن روسيا كانت ولا تزال تلعب\n\ndورا مهما في المنطقة.".replace("d", "د")
    qs = quotes_of(text, [("نبيل سعد", "PER")])
    assert len(qs) == 1 and qs[0].text.endswith("في المنطقة")


# ---------------------------------------------------------------- bad input
def test_empty_and_non_arabic_text():
    assert extract_quotes(Doc(Article(id="e", text=""))) == []
    assert quotes_of("Hello world, no Arabic here: \"just English words\".") == []


def test_unbalanced_quotes_do_not_crash():
    text = 'وقال الوزير إن "الوضع صعب جدا وخطير\nوأضاف أن" الحل "قريب.\n«مفتوح بلا إغلاق'
    qs = quotes_of(text)
    assert all(0 <= q.start < q.end <= len(text) for q in qs)


def test_one_megabyte_run_on_text():
    unit = 'وقال الوزير إن الوضع في المنطقة صعب جدا ومعقد مشيرا إلى أن "الحل قريب جدا" و '
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    qs = quotes_of(text)
    assert len(qs) > 1000


def test_component_runs_without_mentions():
    from marsad.pipeline import Pipeline

    pipe = Pipeline(names=["tokens", "sentences", "quotes"])
    an = pipe(Article(id="x", text="وقال مصدر حكومي إن الاجتماع تأجل إلى الأسبوع المقبل."))
    assert len(an.quotes) == 1 and an.quotes[0].speaker.canonical == "مصدر حكومي"


# ----------------------------------------------------------- seed acceptance
SEED_000 = "000_869a8ed862cadf55"
SEED_003 = "003_7ef351cf9e1796e6"


@pytest.mark.parametrize("seed, phrase, surname, direct", [
    (SEED_000, "نحن مستعدون لتلبية", "لافروف", True),
    (SEED_000, "الوجود الاميركي", "لافروف", True),
    (SEED_000, "تدخل اميركا", "لافروف", True),
    (SEED_000, "يتفاوض حاليا مع 7 دول", "حسين", False),
    (SEED_000, "قطاع النفط والغاز", "ماكسيموف", True),
    (SEED_003, "نقاط التطابق", "ماكسيموف", True),
    (SEED_003, "سيناقشان", "زاخاروفا", False),
    (SEED_003, "الحرب على الإرهاب لا تزال قائمة", "صالح", False),
])
def test_seed_quotes(seed_analyses, seed, phrase, surname, direct):
    an = seed_analyses[seed]
    found = [q for q in an.quotes if phrase in q.text]
    assert found, f"no quote containing {phrase!r}"
    q = found[0]
    assert q.direct is direct
    assert q.speaker is not None and surname in (q.speaker.canonical or ""), q.speaker
    text = an.article.text
    assert all(text[x.start:x.end] == x.text for x in an.quotes)


def test_seed_quoted_names_and_outlet_are_not_quotes(seed_analyses):
    for an in seed_analyses.values():
        for q in an.quotes:
            assert q.text not in ("ايلاف", "تورنادو")
            assert q.speaker is None or "ايلاف" not in (q.speaker.canonical or "")


# ------------------------------------- role and group speakers on real-text shapes
def test_statement_speaks_for_whoever_issued_it():
    qs = quotes_of("أصدرت وزارة الخارجية المصرية بيانا مساء أمس. وأكد البيان أن القاهرة تتابع الموقف عن كثب.",
                   [("وزارة الخارجية المصرية", "ORG")])
    assert len(qs) == 1 and speaker(qs[0]) == "وزارة الخارجية المصرية"


def test_statement_quoted_in_the_same_sentence_keeps_that_speaker():
    qs = quotes_of("وقال الجيش اللبناني في بيان إن دورية تعرضت لإطلاق نار. وأوضح البيان أن أحدا لم يصب.")
    assert [speaker(q) for q in qs] == ["الجيش اللبناني", "الجيش اللبناني"]


def test_definite_head_refers_to_an_earlier_indefinite_speaker():
    qs = quotes_of("وقال مسؤول عراقي إن الحدود مغلقة. وأضاف المسؤول الذي طلب عدم ذكر اسمه أن القرار مؤقت.")
    assert [speaker(q) for q in qs] == ["مسؤول عراقي", "مسؤول عراقي"]


def test_verbal_noun_after_a_modal_is_no_cue():
    qs = quotes_of("وأوضح مصدر أمني أن الطريق مقطوع. وأضاف المصدر الذي لم يشأ كشف هويته أن الجيش يتقدم.")
    assert [speaker(q) for q in qs] == ["مصدر أمني", "مصدر أمني"]
    assert all(q.cue != "كشف" for q in qs)


def test_organisation_inside_a_title_does_not_speak_for_the_envoy():
    qs = quotes_of("وقال مبعوث الأمم المتحدة إلى اليمن إن الهدنة صامدة.", [("الأمم المتحدة", "ORG")])
    assert len(qs) == 1 and speaker(qs[0]) == "مبعوث الأمم المتحدة"


def test_group_speakers_are_kept_and_carried_to_the_plural_cue():
    qs = quotes_of("وقال مسؤولون أتراك إن المحادثات ستستأنف. وأضافوا أن الوفد سيصل غدا.")
    assert [speaker(q) for q in qs] == ["مسؤولون أتراك", "مسؤولون أتراك"]


def test_a_cue_after_fima_ends_the_running_quote():
    qs = quotes_of("وقال ماكرون إن البلدين متفقان، فيما أكدت ميركل أن أوروبا موحدة.",
                   [("ماكرون", "PER", "إيمانويل ماكرون"), ("ميركل", "PER", "أنغيلا ميركل")])
    assert [(q.text, speaker(q)) for q in qs] == [("البلدين متفقان", "إيمانويل ماكرون"),
                                                  ("أوروبا موحدة", "أنغيلا ميركل")]


def test_name_in_apposition_after_a_title_speaks():
    qs = quotes_of("قال المندوب الصيني في مجلس الأمن، تشانغ جون، يوم الخميس، إن بلاده ترفض العقوبات.",
                   [("مجلس الأمن", "ORG"), ("تشانغ جون", "PER")])
    assert speaker(qs[0]) == "تشانغ جون"


def test_untagged_first_name_in_apposition():
    qs = quotes_of("أكد المرشد الإيراني، علي خامنئي، أنه لا تفاوض مع واشنطن.", [("خامنئي", "PER")])
    assert speaker(qs[0]) == "خامنئي"


def test_a_dateline_is_not_a_preverbal_subject():
    qs = quotes_of("واشنطن (CNN)-- كشفت مصادر مطلعة أن البيت الأبيض يدرس خيارات جديدة.",
                   [("واشنطن", "LOC"), ("CNN", "ORG"), ("البيت الأبيض", "ORG")])
    assert speaker(qs[0]) == "مصادر مطلعة"


def test_a_country_before_the_verb_speaks_but_not_after_a_preposition():
    qs = quotes_of("تركيا أعلنت أمس أنها ستفتح المعبر. وفي دمشق قال مسؤولون إن المعبر مغلق.",
                   [("تركيا", "LOC"), ("دمشق", "LOC")])
    assert [speaker(q) for q in qs] == ["تركيا", "مسؤولون"]


def test_person_before_his_title_speaks_not_the_organisation_in_it():
    qs = quotes_of("وكان يوري أوشاكوف المتحدث باسم الكرملين، قال إن موسكو لا تتدخل.",
                   [("يوري أوشاكوف", "PER"), ("الكرملين", "ORG")])
    assert speaker(qs[0]) == "يوري أوشاكوف"


def test_a_name_reported_through_an_agency_is_carried_by_a_masculine_cue():
    qs = quotes_of("قال المتحدث باسم الجيش إن الهجوم صد. ونقلت وكالة الأنباء الرسمية عن اللواء سامي "
                   "حداد قوله إن الوضع مستقر. وأضاف أن التعزيزات وصلت.",
                   [("سامي حداد", "PER")])
    assert [speaker(q) for q in qs] == ["المتحدث باسم الجيش", "سامي حداد", "سامي حداد"]


def test_definite_plural_or_institution_before_the_verb():
    qs = quotes_of("ارتفعت الأسعار. لكن التجار قالوا إن الطلب تراجع. ورغم أن الشرطة أكدت أن التحقيق مستمر "
                   "فإنها لم تعتقل أحدا.")
    assert [speaker(q) for q in qs] == ["التجار", "الشرطة"]


def test_participle_speaks_for_the_subject_of_its_sentence():
    qs = quotes_of("وقالت الصحيفة إن القرار نهائي. وعلق وزير الدفاع الأمريكي، جيمس ماتيس، قائلا: "
                   "\"لن نغير خططنا في المنطقة\".", [("جيمس ماتيس", "PER")])
    assert [speaker(q) for q in qs] == ["الصحيفة", "جيمس ماتيس"]


def test_a_role_after_a_continuing_cue_is_the_last_speaker():
    qs = quotes_of("وقال البرادعي في تغريدة إن الاعتقالات مستمرة. وأضاف المدير العام السابق في تغريدته "
                   "أن القمع لا يبني دولة.")
    assert [speaker(q) for q in qs] == ["البرادعي", "البرادعي"]


def test_a_delegate_speaks_rather_than_the_organisation_in_his_title():
    qs = quotes_of("وقال مندوب فرنسا لدى الأمم المتحدة إن الإخفاق سيكون فضيحة.", [("الأمم المتحدة", "ORG")])
    assert speaker(qs[0]) == "مندوب فرنسا لدى الأمم المتحدة"


def test_an_indefinite_spokesperson_speaks_not_the_ministry():
    qs = quotes_of("أعلن متحدث باسم وزارة الصحة التونسية الجمعة أن الوزير استقال.",
                   [("وزارة الصحة التونسية", "ORG")])
    assert speaker(qs[0]) == "متحدث باسم وزارة الصحة التونسية"


def test_a_body_named_after_a_head_noun_speaks():
    qs = quotes_of("وكشفت إدارة بايدن أنها تدرس العقوبات. وقالت بعثة الاتحاد الأوروبي في ليبيا إن الهدنة هشة.",
                   [("بايدن", "PER"), ("الاتحاد الأوروبي", "ORG"), ("ليبيا", "LOC")])
    assert [speaker(q) for q in qs] == ["إدارة بايدن", "بعثة الاتحاد الأوروبي"]


def test_time_words_end_the_subject_and_a_head_noun_finds_its_body():
    qs = quotes_of("انتقد حزب العمال الجديد في بريطانيا القرار. وقال الحزب في بيان، إنه سيطعن فيه. "
                   "وقالت حكومة النيجر الأسبوع الماضي إن الجنود بخير.")
    assert [speaker(q) for q in qs] == ["حزب العمال الجديد", "حكومة النيجر"]


def test_a_title_then_a_name_after_a_preposition_phrase():
    qs = quotes_of("وقال المسؤول الأردني عن أمن الحدود خالد المومني في مؤتمر صحفي إن المعبر سيفتح.",
                   [("خالد المومني", "PER")])
    assert speaker(qs[0]) == "خالد المومني"


def test_a_statement_of_an_organisation_speaks_for_it():
    qs = quotes_of("ونقلت وسائل إعلام تركية عن بيان للرئاسة التركية أن القمة ستعقد في أنقرة.",
                   [("رئاسة التركية", "ORG", "الرئاسة التركية")])  # under لل the article's alef is gone
    assert speaker(qs[0]) == "الرئاسة التركية"


def test_threat_and_pledge_introduce_reported_speech():
    qs = quotes_of("وهدد قائد الجيش بأن قواته سترد بحزم. وتعهدت الحكومة بأنها ستعوض المتضررين.")
    assert [(q.text, speaker(q)) for q in qs] == [("قواته سترد بحزم", "قائد الجيش"),
                                                  ("ستعوض المتضررين", "الحكومة")]


def test_agency_with_its_acronym_before_the_verb():
    qs = quotes_of("نفى المرصد الخبر. لكن وكالة الأنباء الرسمية (واع) قالت إن القافلة وصلت.", [("واع", "ORG")])
    assert speaker(qs[-1]) == "واع"


def test_addressee_after_a_definite_subject_is_not_part_of_it():
    qs = quotes_of("وقال الطبيب لمراسلنا إن الحالات مستقرة. وقال وزير الداخلية الليبي محمد لعبيدي إن الوضع هادئ.")
    assert [speaker(q) for q in qs] == ["الطبيب", "وزير الداخلية الليبي محمد لعبيدي"]


def test_a_body_after_a_head_noun_police():
    qs = quotes_of("وقالت شرطة مانشستر إنها اعتقلت مشتبها به.", [("مانشستر", "LOC")])
    assert speaker(qs[0]) == "شرطة مانشستر"
