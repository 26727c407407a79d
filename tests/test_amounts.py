"""Amounts: digits, words, scales, currencies, percent, ranges, duals, and
what is not an amount (dates, times, URLs, false duals)."""
from __future__ import annotations

import pytest

from marsad.extract.amounts import find_amounts
from marsad.extract.numbers import lexicon, parse_digits
from marsad.lang.ar import load_table
from marsad.text.normalize import SEARCH
from marsad.text.tokenize import tokenize


def amounts(text: str) -> list[tuple]:
    out = []
    for a in find_amounts(tokenize(text), text):
        assert text[a.start:a.end] == a.text
        out.append((a.text, a.value, a.unit, a.counted, a.value_max))
    return out


def values(text: str) -> list:
    return [a[1] for a in amounts(text)]


@pytest.mark.parametrize("name,key", [("number_words", "word"), ("currencies", "word"),
                                      ("units", "word"), ("dual_nouns", "singular"),
                                      ("amount_markers", "word")])
def test_data_tables_load_without_search_duplicates(name, key):
    rows = load_table(name)
    keys = [SEARCH.text(r[key]) for r in rows]
    assert rows and len(keys) == len(set(keys)), name
    assert all(k == SEARCH.text(k) for k in keys)  # entries survive the normaliser


def test_currency_codes_are_iso_shaped():
    for r in load_table("currencies") + load_table("currency_adjectives"):
        assert len(r["code"]) == 3 and r["code"].isupper()


def test_number_words_agree_with_pyarabic():
    from pyarabic.number import text2number

    # pyarabic knows fewer forms (it reads "واحدة" as 0) and misreads the
    # feminine twelve ("اثنتا عشرة" -> 10): where it reads a value otherwise,
    # ours must agree; and it must read most of them
    pyarabic_wrong = {"اثنتا عشرة", "اثنتي عشرة"}
    checked = 0
    for r in load_table("number_words"):
        if r["kind"] in ("unit", "teen", "ten", "hundred") and r["word"] not in pyarabic_wrong:
            got = text2number(r["word"])
            if got:
                checked += 1
                assert got == int(r["value"]), r["word"]
    assert checked >= 60


@pytest.mark.parametrize("s,v", [("13.5", 13.5), ("13,5", 13.5), ("1,300", 1300), ("1.300.000", 1300000),
                                 ("1,300.5", 1300.5), ("0.125", 0.125), ("2020", 2020)])
def test_parse_digits(s, v):
    assert parse_digits(s) == v


def test_arabic_indic_digits_and_decimal_mark():
    assert values("بلغ النمو ١٣٫٥ بالمئة") == [13.5]
    assert amounts("بلغ ١٬٣٠٠ جندي")[0][1] == 1300


def test_scale_and_currency():
    assert amounts("استثمارات تزيد على 13 مليار دولار") == [("13 مليار دولار", 13_000_000_000, "USD", None, None)]
    assert amounts("2.5 مليون يورو")[0][1:3] == (2_500_000, "EUR")
    assert amounts("300 دينار عراقي")[0][:3] == ("300 دينار عراقي", 300, "IQD")
    assert amounts("50 دولارا أمريكيا")[0][2] == "USD"


def test_percent():
    assert amounts("ارتفع 5% ثم 7 في المئة")[0][1:3] == (5, "percent")
    assert amounts("ارتفع 5% ثم 7 في المئة")[1][:3] == ("7 في المئة", 7, "percent")


def test_number_words():
    assert values("ثلاثة آلاف وخمسمائة جندي") == [3500]
    assert values("أربعة عشر اتفاقا") == [14]
    assert values("خمسة وعشرون شخصا") == [25]
    assert values("مئتين وخمسين") == [250]
    assert values("ثلاثة ملايين نسمة") == [3_000_000]


def test_quantifiers_are_not_numbers():
    assert values("بضعة أيام وعدة قطاعات") == []


def test_ranges():
    assert amounts("بين 10 و15 مليون دولار")[0][1:] == (10_000_000, "USD", None, 15_000_000)
    assert amounts("من 3 إلى 5 أيام")[0][1:] == (3, None, "أيام", 5)
    assert amounts("10-15 بالمئة")[0][1:] == (10, "percent", None, 15)


def test_counted_noun():
    assert amounts("وقعا 14 مذكرة تفاهم")[0][3] == "مذكرة تفاهم"
    assert amounts("بحوالي 1300 عسكري ونفذت")[0][3] == "عسكري"
    assert amounts("وصل العدد الى 2500 عنصر اميركي")[0][3] == "عنصر"
    assert amounts("تفاوض 7 دول أوروبية")[0][3] in ("دول", "دول أوروبية")
    assert amounts("سحب 500 من الجنود")[0][3] == "الجنود"
    assert amounts("البالغة 14 مذكرة سيتم توقيعها")[0][3] == "مذكرة"


def test_duals():
    assert amounts("زيارة تستغرق يومين") == [("يومين", 2, None, "يومين", None)]
    assert amounts("وقنصليتان في أربيل") == [("قنصليتان", 2, None, "قنصليتان", None)]
    assert [a[3] for a in amounts("علاقات البلدين واجتمع الوزيران")] == ["البلدين", "الوزيران"]
    assert values("علاقات بلديهما") == [2]


def test_false_duals():
    text = "في فلسطين والبحرين لكن المواطنين والمسؤولين قابلوا حسين يوم الاثنين وعمان"
    assert amounts(text) == []
    assert values("البلدان العربية") == []  # a broken plural, not a dual


def test_ithnayn_number_vs_weekday():
    assert values("كلا الاثنين وافق") == [2]
    assert values("يصل الاثنين") == []
    assert values("اثنين من الجنود") == [2]


def test_not_amounts_dates_times_urls_years():
    text = ("في 25/11/2020 الساعة 10:30 و 25-11-2020 وفي 25 نوفمبر 2020 "
            "https://example.com/2020/11/5 عام 2021 و 1999م")
    assert amounts(text) == []


def test_years_are_not_amounts():
    assert values("فاز باللقب 2004 و2006 وفي كأس العالم 2018") == []
    assert values("بين عامي 1993 و2006") == []


def test_date_ranges_are_not_amounts():
    assert values("تجري الامتحانات من 3 إلى 5 حزيران") == []
    assert values("بدءا من يوم الأحد 24 من شهر يونيو") == []


def test_definite_number_word_counts_the_noun_before_it():
    assert amounts("سافر الرجال الثلاثة خططوا")[0][1:4] == (3, None, "الرجال")
    assert amounts("قمة الدول السبع")[0][1:4] == (7, None, "الدول")


def test_hundreds_written_apart_and_dual_scales():
    assert amounts("تبلغ مليارين وخمس مئة مليون دولار أميركي")[0][1:3] == (2_500_000_000, "USD")
    assert amounts("بحضور ألفي مندوب")[0][1:4] == (2000, None, "مندوب")


def test_bare_thousands_are_not_a_number():
    assert values("تشريد آلاف المدنيين والملايين من الأمهات") == []


def test_counted_noun_is_no_verb_or_definite_word():
    assert amounts("منهم 13 يشتبه بأنهم")[0][3] is None
    assert amounts("الدول 3 بتقديم")[0][3] is None


def test_dual_adjective_joins_its_dual():
    assert amounts("خلال السنتين الماضيتين") == [("السنتين الماضيتين", 2, None, "السنتين", None)]


def test_dual_after_a_preposition_only_before_the_article():
    assert values("وصل لاعبين جدد") == []  # لاعبين is a plural, not ل + a dual
    assert values("بالبلدين") == [2]


def test_labels_and_ordinals_are_not_amounts():
    assert values("سجل الهدف في الدقيقة 73 قرب الكيلو 16") == []
    assert values("في القرن العشرين وصبيحة الحادي عشر من سبتمبر") == []
    assert values("هجوم WannaCry 2.0 الشهير") == []
    assert values('هاتف "نوت 9" وطائرة إف-35') == []


def test_bracketed_numbers_and_ordinal_teens_are_labels():
    assert values("سجل نيمار الهدف الثاني (88).") == []
    assert values("في قمة الثاني عشر من يونيو") == []


def test_definite_teen():
    assert amounts("خلال الاثني عشر شهرا الماضية")[0][:2] == ("الاثني عشر", 12)


def test_robust_inputs():
    assert amounts("") == []
    assert amounts("plain english 42 apples") == [("42", 42, None, None, None)]
    big = "وصل 1300 عسكري الى القاعدة " * 40000
    assert len(find_amounts(tokenize(big), big)) == 40000


def test_lexicon_loads_duals_from_corpus_list():
    lex = lexicon()
    assert "يومين" in lex.duals and "قنصليتان" in lex.duals
    assert "حسين" not in lex.duals and "فلسطين" not in lex.duals and "مواطنين" not in lex.duals


SEED_003 = "003_7ef351cf9e1796e6"
SEED_000 = "000_869a8ed862cadf55"


def _got(analysis):
    text = analysis.article.text
    for a in analysis.amounts:
        assert text[a.start:a.end] == a.text
    return [(a.value, a.unit, a.counted) for a in analysis.amounts]


def test_seed_003(seed_analyses):
    got = _got(seed_analyses[SEED_003])
    assert (1300, None, "عسكري") in got
    assert (13_000_000_000, "USD", None) in got
    assert (2, None, "يومين") in got


def test_seed_000(seed_analyses):
    got = _got(seed_analyses[SEED_000])
    assert (14, None, "مذكرة تفاهم") in got
    assert (7, None, "دول") in got or (7, None, "دول أوروبية") in got
    for v in (5200, 2500, 500):
        assert (v, None, "عنصر") in got
    assert (13_000_000_000, "USD", None) in got
    assert (2, None, "قنصليتان") in got
