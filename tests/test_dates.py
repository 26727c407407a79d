"""Date rules, each with an explicit publication date, and the seed acceptance."""
from __future__ import annotations

import datetime as dt

import pytest

from marsad.extract.dates import find_dates, iso_week, resolve_month, resolve_weekday
from marsad.lang.ar import load_list, load_table
from marsad.model import Article
from marsad.pipeline import Pipeline
from marsad.text.normalize import SEARCH
from marsad.text.tokenize import tokenize

THU = dt.date(2020, 11, 19)  # seed 003's publication day, a Thursday


def dates(text: str, pub: dt.date | None = THU) -> dict[str, str | None]:
    out = {}
    for d in find_dates(tokenize(text), text, pub):
        assert text[d.start:d.end] == d.text
        out[d.text] = d.value
    return out


@pytest.mark.parametrize("name,key", [("months", "name"), ("weekdays", "name"),
                                      ("relative_dates", "phrase"), ("date_markers", "word"),
                                      ("ordinal_days", "ordinal")])
def test_data_tables_load_without_search_duplicates(name, key):
    rows = load_table(name)
    assert rows
    keys = [SEARCH.text(r[key]) for r in rows]
    assert len(keys) == len(set(keys)), name


def test_vague_list_has_no_search_duplicates():
    words = [SEARCH.text(w) for w in load_list("vague_dates")]
    assert len(words) == len(set(words))


# --- relative expressions ---------------------------------------------------

def test_today_yesterday_tomorrow():
    got = dates("وصل اليوم وكان قد غادر أمس على أن يعود غدا", THU)
    assert got == {"اليوم": "2020-11-19", "أمس": "2020-11-18", "غدا": "2020-11-20"}


def test_day_before_yesterday_and_after_tomorrow():
    got = dates("التقى أول أمس وسيلتقي بعد غد", THU)
    assert got == {"أول أمس": "2020-11-17", "بعد غد": "2020-11-21"}


def test_yawm_is_kept_in_the_span():
    assert dates("وصل يوم أمس", THU) == {"يوم أمس": "2020-11-18"}


def test_conjunction_is_trimmed_from_the_span():
    assert dates("غادر وامس عاد", THU) == {"امس": "2020-11-18"}


def test_last_week_is_an_iso_week():
    assert dates("تم الاعلان الاسبوع الماضي", dt.date(2020, 11, 26)) == {"الاسبوع الماضي": "2020-W47"}


def test_week_crossing_a_month_boundary():
    # Tue 2020-12-01 is in W49; the week before (W48) runs Nov 23 - Nov 29
    assert dates("الأسبوع الماضي", dt.date(2020, 12, 1)) == {"الأسبوع الماضي": "2020-W48"}


def test_week_crossing_a_year_boundary():
    # Thu 2021-01-07 is 2021-W01: last week is 2020's 53rd ISO week
    assert dates("الأسبوع الماضي", dt.date(2021, 1, 7)) == {"الأسبوع الماضي": "2020-W53"}
    # Fri 2021-01-01 itself belongs to 2020-W53 (ISO weeks start on Monday)
    assert dates("الأسبوع الجاري", dt.date(2021, 1, 1)) == {"الأسبوع الجاري": "2020-W53"}
    assert dates("الأسبوع الماضي", dt.date(2021, 1, 1)) == {"الأسبوع الماضي": "2020-W52"}
    assert dates("الأسبوع المقبل", dt.date(2020, 12, 31)) == {"الأسبوع المقبل": "2021-W01"}


def test_month_and_year_relatives():
    pub = dt.date(2021, 1, 15)
    got = dates("الشهر الماضي والشهر المقبل والعام الحالي والسنة الماضية", pub)
    assert got == {"الشهر الماضي": "2020-12", "الشهر المقبل": "2021-02",
                   "العام الحالي": "2021", "السنة الماضية": "2020"}


def test_yesterday_across_a_leap_day():
    assert dates("وصل أمس", dt.date(2024, 3, 1)) == {"أمس": "2024-02-29"}
    assert dates("وصل أمس", dt.date(2023, 3, 1)) == {"أمس": "2023-02-28"}


def test_leap_day_written_without_year():
    assert dates("في 29 فبراير", dt.date(2024, 3, 10)) == {"29 فبراير": "2024-02-29"}


# --- weekdays, tense-aware --------------------------------------------------

def test_weekday_on_publication_day_is_that_day():
    assert dates("أجرى العراق الخميس مباحثات", THU) == {"الخميس": "2020-11-19"}


def test_past_weekday_is_latest_on_or_before_publication():
    assert dates("اكدت روسيا الاربعاء", dt.date(2020, 11, 26)) == {"الاربعاء": "2020-11-25"}
    assert dates("التقى الرئيس يوم السبت", THU) == {"يوم السبت": "2020-11-14"}


def test_weekday_with_muqbil_is_next_one():
    assert dates("يزور موسكو الاربعاء المقبل", THU) == {"الاربعاء المقبل": "2020-11-25"}
    assert dates("يصل الخميس القادم", THU) == {"الخميس القادم": "2020-11-26"}


def test_weekday_with_future_verb_is_next_one():
    assert dates("سيزور الرئيس باريس الاثنين", THU) == {"الاثنين": "2020-11-23"}
    assert dates("سيتم التوقيع يوم الأحد", THU) == {"يوم الأحد": "2020-11-22"}


def test_weekday_with_madi_is_strictly_before():
    assert dates("وصل الخميس الماضي", THU) == {"الخميس الماضي": "2020-11-12"}


def test_weekday_across_a_year_boundary():
    assert dates("سيعقد الاجتماع الاثنين", dt.date(2020, 12, 31)) == {"الاثنين": "2021-01-04"}
    assert dates("عقد الاجتماع الاثنين", dt.date(2021, 1, 1)) == {"الاثنين": "2020-12-28"}


def test_resolvers_directly():
    assert resolve_weekday(THU, 3, "past") == THU
    assert resolve_weekday(THU, 3, "future") == dt.date(2020, 11, 26)
    assert resolve_month(THU, 1, "future") == (2021, 1)
    assert resolve_month(THU, 12, "past") == (2019, 12)
    assert iso_week(dt.date(2021, 1, 3)) == "2020-W53"


# --- absolute dates ---------------------------------------------------------

def test_absolute_dates_every_way_news_writes_them():
    got = dates("في 25 نوفمبر 2020 و25 تشرين الثاني 2020 و 2020/11/25 و 25/11/2020 و 25-11-2020")
    assert set(got.values()) == {"2020-11-25"}
    assert len(got) == 5


def test_maghrebi_month_names():
    assert dates("في 3 جويلية 2019") == {"3 جويلية 2019": "2019-07-03"}


def test_year_after_aam():
    assert dates("سيتم توقيعها في عام 2021") == {"عام 2021": "2021"}


def test_month_and_year():
    assert dates("في أيلول 2019") == {"أيلول 2019": "2019-09"}


def test_bare_month_takes_nearest_or_tense():
    pub = dt.date(2020, 11, 26)
    assert dates("في ديسمبر", pub) == {"ديسمبر": "2020-12"}
    assert dates("في نوفمبر الماضي", pub) == {"نوفمبر الماضي": "2019-11"}
    assert dates("في مارس المقبل", pub) == {"مارس المقبل": "2021-03"}


def test_ambiguous_month_word_alone_is_not_a_date():
    assert dates("مارس الضغط على الحكومة") == {}


def test_hijri_date_is_converted():
    assert dates("في 10 ربيع الثاني 1442 هـ") == {"10 ربيع الثاني 1442 هـ": "2020-11-25"}


def test_invalid_date_is_dropped():
    assert dates("في 31/02/2020") == {}


def test_month_named_in_two_traditions_is_one_span():
    assert dates("في 26 أيار/مايو 2018") == {"26 أيار/مايو 2018": "2018-05-26"}
    assert dates("منذ آذار/مارس 2015") == {"آذار/مارس 2015": "2015-03"}


def test_ordinal_day_of_month():
    pub = dt.date(2018, 4, 8)
    assert dates("في الرابع من آذار", pub) == {"الرابع من آذار": "2018-03-04"}
    assert dates("في الحادي والعشرين من شهر مارس 2017", pub) == {
        "الحادي والعشرين من شهر مارس 2017": "2017-03-21"}


def test_imperfect_verb_before_weekday_is_future():
    pub = dt.date(2018, 6, 27)  # a Wednesday
    assert dates("ويعقد الاتحاد الأوروبي قمته الخميس", pub) == {"الخميس": "2018-06-28"}
    # after لم the imperfect is a past; after a complementiser it is another clause
    assert dates("لم يعد الوفد الخميس", pub) == {"الخميس": "2018-06-21"}
    assert dates("أعلن الخميس أنه يعتزم السفر", pub) == {"الخميس": "2018-06-21"}


def test_present_tense_weekday_may_be_publication_day():
    pub = dt.date(2018, 7, 12)  # a Thursday
    assert dates("يبحث وزراء الداخلية الخميس ملف الهجرة", pub) == {"الخميس": "2018-07-12"}
    assert dates("يبحث وزراء الداخلية الجمعة ملف الهجرة", pub) == {"الجمعة": "2018-07-13"}


def test_month_of_the_year_phrase():
    assert dates("وفي يونيو/حزيران من العام 2013 أعلن") == {"يونيو/حزيران من العام 2013": "2013-06"}
    assert dates("في الثاني عشر من يونيو من عام 2018") == {"الثاني عشر من يونيو من عام 2018": "2018-06-12"}


def test_weekday_in_apposition_to_today():
    pub = dt.date(2018, 4, 7)  # a Saturday
    text = "لم يعد موجودا على صفحته اليوم السبت."
    assert [(d.text, d.value) for d in find_dates(tokenize(text), text, pub)] == [
        ("اليوم", "2018-04-07"), ("السبت", "2018-04-07")]


# --- vague, unresolved, false friends --------------------------------------

def test_vague_is_kept_without_value():
    refs = find_dates(tokenize("وصل مؤخرا وسيعود قريبا في وقت قريب"), "وصل مؤخرا وسيعود قريبا في وقت قريب", THU)
    assert [r.text for r in refs] == ["مؤخرا", "قريبا", "في وقت قريب"]
    assert all(r.vague and r.value is None for r in refs)


def test_no_publication_date_leaves_relatives_unresolved():
    text = "وصل أمس الخميس وسيغادر الاسبوع المقبل في 25 نوفمبر 2020"
    refs = find_dates(tokenize(text), text, None)
    rel = [r for r in refs if r.relative]
    assert rel and all(r.value is None and not r.resolved for r in rel)
    assert [r.value for r in refs if not r.relative] == ["2020-11-25"]


def test_false_friends():
    # "اليوم" inside "اليومية", "أمس" inside a longer word, الاثنين as "both"
    assert dates("نشرت الصحيفة اليومية تقريرا عن الأمسية") == {}
    assert dates("كلا الاثنين وافقا على الاتفاق") == {}
    assert dates("الاثنين من المشاركين") == {}
    assert dates("البلاد بأمس الحاجة الى الدعم") == {}  # a preposition never opens a date


def test_alan_is_not_now_and_that_night_is_not_tonight():
    assert dates("وكتب عضو البرلمان ألان دنكان") == {}
    assert dates("وعاد الرجلان في وقت لاحق من تلك الليلة") == {"في وقت لاحق": None}


def test_month_naming_an_event_is_no_date():
    assert dates("منذ ثورة فبراير") == {}


def test_bare_month_defaults_to_past_unless_near_ahead():
    pub = dt.date(2018, 9, 2)
    assert dates("لكن في يناير حجبت الإدارة التمويل", pub) == {"يناير": "2018-01"}
    assert dates("بعد انقضاء المهلة في نوفمبر", pub) == {"نوفمبر": "2018-11"}


def test_robust_inputs():
    assert dates("") == {}
    assert dates("no Arabic here 2020") == {}
    big = "وصل الوفد اليوم الى العاصمة " * 40000
    refs = find_dates(tokenize(big), big, THU)
    assert len(refs) == 40000


def test_component_without_published_date():
    pipe = Pipeline(names=["tokens", "sentences", "dates"])
    a = pipe(Article(id="x", text="وصل الوزير أمس"))
    assert a.dates[0].value is None and not a.dates[0].resolved


# --- seed acceptance ----------------------------------------------------------

SEED_003 = "003_7ef351cf9e1796e6"
SEED_000 = "000_869a8ed862cadf55"


def _by_text(analysis) -> dict[str, set]:
    out: dict[str, set] = {}
    for d in analysis.dates:
        assert analysis.article.text[d.start:d.end] == d.text
        out.setdefault(d.text, set()).add(d.value)
    return out


def test_seed_003(seed_analyses):
    got = _by_text(seed_analyses[SEED_003])
    assert got["الخميس"] == {"2020-11-19"}
    assert got["اليوم"] == {"2020-11-19"}
    assert got["الاربعاء المقبل"] == {"2020-11-25"}
    assert got["الاربعاء"] == {"2020-11-25"}  # the headline takes the explicit date
    assert None in got["مؤخرا"]


def test_seed_000(seed_analyses):
    got = _by_text(seed_analyses[SEED_000])
    assert got["الاربعاء"] == {"2020-11-25"}
    assert got["امس"] == {"2020-11-25"}
    assert got["الاسبوع الماضي"] == {"2020-W47"}
    assert got["عام 2021"] == {"2021"}
