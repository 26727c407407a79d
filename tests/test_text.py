"""The Arabic text layer: normalisers with offset maps, tokenizer, sentences."""
from __future__ import annotations

import pytest

from marsad.text import normalize as N
from marsad.text.sentences import clauses, split_sentences
from marsad.text.tokenize import segment, tokenize


@pytest.mark.parametrize("normalizer, raw, expected", [
    (N.DIACRITICS, "مُؤْتَمَرٌ", "مؤتمر"),
    (N.TATWEEL, "العـــراق", "العراق"),
    (N.ALEF, "أإآٱ", "اااا"),
    (N.HAMZA, "مؤتمر رئيس", "موتمر رييس"),
    (N.ALEF_MAQSURA, "موسى", "موسي"),
    (N.TEH_MARBUTA, "وزارة", "وزاره"),
    (N.DIGITS, "٢٠٢٠ و۱۴", "2020 و14"),
    (N.PUNCTUATION, "نعم، لا؛ لماذا؟ «هنا»", 'نعم, لا; لماذا? "هنا"'),
    (N.PRESENTATION_FORMS, "\uFEFB", "لا"),
])
def test_each_normalizer_does_one_job(normalizer, raw, expected):
    assert normalizer(raw).text == expected


def test_search_folds_spelling_variants():
    assert N.normalize("إيران") == N.normalize("ايران")
    assert N.normalize("مؤتمر") == N.normalize("موتمر")
    assert N.normalize("الأَمْرِيكِيّ") == N.normalize("الامريكي")
    assert N.normalize("القاهرة") == N.normalize("القاهره")


@pytest.mark.parametrize("raw", [
    "الأَمْرِيكِيّ يَقُولُ", "العـــراق وﻻية", "مُؤْتَمَرٌ ٢٠٢٠", "plain text", "",
])
def test_offset_map_points_back_into_the_original(raw):
    n = N.SEARCH(raw)
    assert n.original_length == len(raw)
    for i, ch in enumerate(n.text):
        o = n.original_index(i)
        # each normalised char comes from an original char that normalises to it
        assert ch in N.SEARCH.text(raw[o]) or N.SEARCH.text(raw[o]) == "" or ch == raw[o]
    # a whole word maps back to the whole original word, diacritics included
    if raw:
        s, e = n.original_span(0, len(n.text))
        assert raw[s:e].strip() == raw.strip()


def test_offset_map_on_a_word_with_diacritics():
    raw = "قالَ الرَّئِيسُ"
    n = N.SEARCH(raw)
    i = n.text.index("الرييس")
    s, e = n.original_span(i, i + len("الرييس"))
    assert raw[s:e] == "الرَّئِيسُ"


def test_chain_is_one_character_map():
    both = N.ALEF | N.HAMZA
    assert both.text("أؤ") == "او"
    assert isinstance(both, N.Normalizer)


def test_tokens_keep_surface_and_offsets(seeds):
    for rec in seeds.values():
        text = rec["text"]
        toks = tokenize(text)
        assert len(toks) > 500
        for t in toks:
            assert text[t.start:t.end] == t.text
            if t.stem_start >= 0:
                assert t.start <= t.stem_start < t.stem_end <= t.end
                assert t.prefix + t.stem + t.suffix == t.text


@pytest.mark.parametrize("word, prefix, stem, suffix", [
    ("والمفاوضات", "وال", "مفاوضات", ""),
    ("بالعراق", "بال", "عراق", ""),
    ("للحكومة", "لل", "حكومة", ""),
    ("وقال", "و", "قال", ""),
    ("وزير", "", "وزير", ""),        # the و belongs to the stem
    ("بغداد", "", "بغداد", ""),      # so does this ب
    ("وتدريبها", "و", "تدريب", "ها"),
    ("وزارة", "", "وزارة", ""),      # a taa marbuta is no enclitic
    ("لإيران", "ل", "إيران", ""),
])
def test_clitic_segmentation(word, prefix, stem, suffix):
    i, j = segment(word)
    assert (word[:i], word[i:j], word[j:]) == (prefix, stem, suffix)


def test_token_kinds():
    toks = tokenize("زار 3 وزراء www.example.com في 2020/11/25 الساعة 10.5 NATO.")
    kinds = {t.text: t.kind for t in toks}
    assert kinds["3"] == "number"
    assert kinds["www.example.com"] == "url"
    assert kinds["2020/11/25"] == "number"
    assert kinds["10.5"] == "number"
    assert kinds["NATO"] == "latin"
    assert kinds["زار"] == "word"


def test_sentences_split_on_arabic_punctuation():
    text = "وصل الوزير إلى بغداد. هل التقى الرئيس؟ نعم؛ التقاه اليوم! وانتهى اللقاء.. ثم غادر\nسطر جديد"
    got = [s.text for s in split_sentences(text)]
    assert got == ["وصل الوزير إلى بغداد.", "هل التقى الرئيس؟", "نعم؛", "التقاه اليوم!",
                   "وانتهى اللقاء..", "ثم غادر", "سطر جديد"]


def test_sentences_never_split_inside_a_quotation():
    text = 'قال الوزير: "وصلنا. وسنبقى! هل تفهمون؟" ثم غادر. وأضاف «لن نتراجع. أبدا» أمس.'
    got = [s.text for s in split_sentences(text)]
    assert got == ['قال الوزير: "وصلنا. وسنبقى! هل تفهمون؟" ثم غادر.', 'وأضاف «لن نتراجع. أبدا» أمس.']


def test_sentences_keep_decimals_and_urls_whole():
    text = "ارتفع النمو 2.5 بالمئة. راجع https://example.com/a?b=1 للمزيد."
    got = [s.text for s in split_sentences(text)]
    assert got == ["ارتفع النمو 2.5 بالمئة.", "راجع https://example.com/a?b=1 للمزيد."]


def test_unbalanced_quote_is_reset_at_a_line_break():
    text = 'قالت إن الوضع صعب".\nوصل الوفد. ثم غادر.'
    got = [s.text for s in split_sentences(text)]
    assert got[-2:] == ["وصل الوفد.", "ثم غادر."]


def test_sentence_offsets_on_the_seeds(seeds):
    for rec in seeds.values():
        text = rec["text"]
        sents = split_sentences(text)
        assert len(sents) > 15
        for s in sents:
            assert text[s.start:s.end] == s.text and s.text.strip() == s.text


def test_clauses_split_at_the_arabic_comma():
    text = "وصل الوزير، والتقى الرئيس، ثم غادر."
    s = split_sentences(text)[0]
    assert [c.text for c in clauses(text, s)] == ["وصل الوزير", "والتقى الرئيس", "ثم غادر."]


def test_degenerate_input():
    assert tokenize("") == []
    assert split_sentences("") == []
    assert split_sentences("   \n\n ") == []
    run_on = "كلمة " * 200_000  # 1 MB, no punctuation
    sents = split_sentences(run_on)
    assert len(sents) == 1 and sents[0].end <= len(run_on)
