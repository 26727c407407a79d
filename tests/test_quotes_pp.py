"""Reported speech without a complement clause (شدد على ضرورة ...، دعا إلى
...، أفاد بـ...) and attributions whose source the tagger did not name
(بحسب المرصد), on sentences written for marsad (issue #4, round 2)."""
from __future__ import annotations

from marsad.extract.quotes import lexicon
from marsad.text.normalize import SEARCH
from test_quotes import quotes_of, speaker


def test_pp_prepositions_load_from_the_data_file():
    lex = lexicon()
    shadd = lex.cues[SEARCH.text("شدد")][0]
    assert SEARCH.text("على") in shadd.pps
    assert SEARCH.text("ب") in lex.cues[SEARCH.text("طالب")][0].pps
    assert not lex.cues[SEARCH.text("قال")][0].pps


def test_shaddada_ala_darura_is_a_reported_quote():
    text = "وشدد وزير الخارجية المصري سامح شكري على ضرورة وقف إطلاق النار في غزة فورا."
    qs = quotes_of(text, [("سامح شكري", "PER", None, "name", "وزير الخارجية المصري"), ("غزة", "GPE")])
    assert len(qs) == 1
    assert qs[0].text == "ضرورة وقف إطلاق النار في غزة فورا"
    assert speaker(qs[0]) == "سامح شكري" and not qs[0].direct and qs[0].cue == "شدد"


def test_daa_ila_and_a_complementiser_still_wins():
    text = ("ودعا الأمين العام أنطونيو غوتيريش إلى ضبط النفس وتجنب التصعيد.\n"
            "وشدد الوزير على أن الحوار هو الحل الوحيد للأزمة.")
    qs = quotes_of(text, [("أنطونيو غوتيريش", "PER", None, "name", "الأمين العام")])
    assert [q.text for q in qs] == ["ضبط النفس وتجنب التصعيد", "الحوار هو الحل الوحيد للأزمة"]
    assert speaker(qs[0]) == "أنطونيو غوتيريش"


def test_clitic_ba_opens_the_quote_and_subject_words_speak():
    text = "وأفاد ناشطون محليون بسقوط قذائف على حي سكني في أطراف المدينة."
    qs = quotes_of(text)
    assert len(qs) == 1 and qs[0].text.startswith("بسقوط قذائف") and qs[0].text.endswith("المدينة")
    assert speaker(qs[0]) == "ناشطون محليون"


def test_talaba_needs_its_conjunction_to_be_a_cue():
    said = quotes_of("وطالب المحتجون بإطلاق سراح المعتقلين دون شروط.")
    assert len(said) == 1 and said[0].text.startswith("بإطلاق سراح") and speaker(said[0]) == "المحتجون"
    assert quotes_of("طالب بجامعة القاهرة يفوز بجائزة علمية دولية.") == []
    assert quotes_of("وكرمت الجامعة طالب الهندسة بجائزة التفوق العلمي.") == []


def test_verbal_noun_object_is_no_quote_and_hides_a_later_preposition():
    """"أكد أهمية العمل على ...": the على belongs to العمل (as quotes_dev
    has it: a verbal-noun object is not annotated)."""
    assert quotes_of("وأكد وزير الداخلية أهمية العمل على تعزيز التنسيق بين الأجهزة.") == []
    assert quotes_of("وأكد الوزير دعم بلاده للحكومة الجديدة والقضاء على الفساد.") == []


def test_kama_ends_the_clause_before_it():
    text = "وأشار السفير إلى أهمية الحوار بين الأطراف كافة، كما أكد أن بلاده تدعم المبادرة."
    qs = quotes_of(text)
    assert [q.text for q in qs] == ["أهمية الحوار بين الأطراف كافة", "بلاده تدعم المبادرة"]


def test_post_attribution_to_an_untagged_source():
    text = ("وبحسب (المرصد السوري)، ومقره في لندن، عادت القوات الحكومية إلى وسط البلدة.\n"
            "وقتل خمسة مدنيين في القصف الليلي على البلدة، بحسب المرصد.")
    qs = quotes_of(text)
    assert len(qs) == 2
    assert "عادت القوات الحكومية" in qs[0].text and speaker(qs[0]).startswith("المرصد السوري")
    assert qs[1].text.startswith("وقتل خمسة مدنيين") and qs[1].text.endswith("البلدة")
    assert "المرصد" in speaker(qs[1])


def test_indefinite_words_after_an_attribution_are_no_source():
    assert quotes_of("ويعمل المصنع الجديد منذ شهرين حسب خطة وضعتها الإدارة.") == []


def test_subject_before_a_relative_right_before_the_cue():
    text = ("وقال الرئيس التركي رجب طيب أردوغان إن الانتخابات ستجرى في موعدها.\n"
            "وجاء القرار بعد لقاء مع زعيم الحزب القومي دولت بهجلي والذي كان دعا الثلاثاء إلى إجراء انتخابات مبكرة.")
    qs = quotes_of(text, [("رجب طيب أردوغان", "PER", None, "name", "الرئيس التركي"),
                          ("دولت بهجلي", "PER", None, "name", "زعيم الحزب القومي")])
    assert len(qs) == 2 and qs[1].text.startswith("إجراء انتخابات") and speaker(qs[1]) == "دولت بهجلي"


def test_subject_before_a_relative_clause_between_commas():
    text = ("وقال وزير الخارجية الفرنسي جان إيف لودريان إن بلاده مستعدة للمساعدة.\n"
            "لكن الرئيس اللبناني ميشال عون، الذي وصل إلى باريس أمس في زيارة رسمية، أكد أن بلاده تحتاج إلى دعم عاجل.")
    qs = quotes_of(text, [("جان إيف لودريان", "PER", None, "name", "وزير الخارجية الفرنسي"),
                          ("ميشال عون", "PER", None, "name", "الرئيس اللبناني"), ("باريس", "GPE")])
    assert len(qs) == 2 and speaker(qs[1]) == "ميشال عون" and qs[1].text.startswith("بلاده تحتاج")
    text = ("وقال المتحدث باسم الحوثيين محمد عبد السلام إن الحوار متوقف.\n"
            "وزار المبعوث الأممي مارتن غريفيث صنعاء أمس.\n"
            "لكن الأخير، الذي التقى قادة الحوثيين لساعات طويلة، اعتبر أن الحل لا يزال بعيدا.")
    qs = quotes_of(text, [("محمد عبد السلام", "PER"), ("مارتن غريفيث", "PER", None, "name", "المبعوث الأممي"),
                          ("صنعاء", "GPE")])
    assert len(qs) == 2 and qs[1].text == "الحل لا يزال بعيدا" and speaker(qs[1]) == "مارتن غريفيث"


def test_short_quoted_name_after_a_source_word_is_not_the_quote():
    text = 'وذكرت صحيفة "الشرق الأوسط اللندنية" أن المفاوضات ستستأنف الأسبوع المقبل في القاهرة.'
    qs = quotes_of(text, [("القاهرة", "GPE")])
    assert len(qs) == 1 and qs[0].text == "المفاوضات ستستأنف الأسبوع المقبل في القاهرة" and not qs[0].direct
    text = 'ونقلت مصادر "قناة الأخبار المحلية" عن شهود عيان سماع دوي انفجارات قرب المطار.'
    assert all("قناة الأخبار" not in q.text for q in quotes_of(text))
    said = quotes_of('وقال المتحدث "لن نقبل بأي تسوية على حساب شعبنا".')
    assert len(said) == 1 and said[0].direct and said[0].text.startswith("لن نقبل")


def test_hashtag_organisation_speaks_without_its_marks():
    qs = quotes_of("وقالت #الخارجية_الروسية في بيان إن موسكو سترد على العقوبات الجديدة.")
    assert len(qs) == 1 and speaker(qs[0]) == "الخارجية الروسية"
    qs = quotes_of("وقالت #الخارجية_الروسية في بيان إن موسكو سترد على العقوبات الجديدة.",
                   [("الخارجية_الروسية", "ORG")])
    assert len(qs) == 1 and speaker(qs[0]) == "الخارجية الروسية"


def test_author_of_a_tweet_written_in_it():
    text = ("وقال رئيس الوزراء بشر الخصاونة إن الحكومة ستدعم المزارعين.\n"
            "ونشر وزير الخارجية أيمن الصفدي تغريدة على تويتر كتب فيها: \"لن نسمح بتكرار ما حدث في المدينة\".")
    qs = quotes_of(text, [("بشر الخصاونة", "PER", None, "name", "رئيس الوزراء"),
                          ("أيمن الصفدي", "PER", None, "name", "وزير الخارجية"), ("تويتر", "ORG")])
    assert len(qs) == 2 and qs[1].direct and qs[1].text.startswith("لن نسمح")
    assert speaker(qs[1]) == "أيمن الصفدي"


def test_attribution_opening_a_quotation_and_its_issuer_in_brackets():
    text = ('وبحسب بيان صادر عن (الهيئة العامة للطيران) فقد "تم إلغاء جميع الرحلات المتجهة إلى المدينة حتى إشعار آخر".\n'
            'ويضيف البيان "سيتم تعويض المسافرين المتضررين خلال أسبوعين".')
    qs = quotes_of(text)
    assert len(qs) == 2 and all(q.direct for q in qs)
    assert qs[0].text.startswith("تم إلغاء") and speaker(qs[0]) == "الهيئة العامة للطيران"
    assert qs[1].text.startswith("سيتم تعويض") and speaker(qs[1]) == "الهيئة العامة للطيران"


def test_information_given_by_a_source():
    text = "وغادر نحو مئتي مقاتل المدينة منذ مطلع العام، حسب معلومات قدمها مصدر أمني، الذي أوضح أن بعضهم عاد."
    qs = quotes_of(text)
    assert qs and qs[0].text.startswith("وغادر نحو مئتي") and speaker(qs[0]) == "مصدر أمني"
