"""The NER model's stacked resources (ner_features.Stack): the name lexicon
from ANT, the word vectors and the window MLP, computed in numpy at
inference; and that the shipped model uses them."""
from __future__ import annotations

import json

import numpy as np
import pytest

from marsad.extract.entities import MODEL_PATH, EntityRecognizer, _stack
from marsad.extract.ner_features import (MLP_WINDOW, NER_KINDS, Stack, Vectors, WindowMLP, lexicon_entry,
                                         load_lexicon, sentence_features, token_form)
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import tokenize


def _toks(text):
    return [t for t in tokenize(text) if t.kind in NER_KINDS]


def test_lexicon_entry_levels_and_position():
    assert lexicon_entry({"B-PER": 8, "I-PER": 1, "O": 1}) == ("PERhi", "PERB")
    assert lexicon_entry({"I-ORG": 3, "O": 7}) == ("ORGmid", "ORGI")
    assert lexicon_entry({"B-LOC": 1, "O": 19}) == ("LOClo",)
    assert lexicon_entry({"O": 50}) == ()


def test_window_input_and_mlp_forward(tmp_path):
    words = ["الرئيس", "قال", "<num>"]
    vec = Vectors(words, np.eye(3, 4, dtype=np.float16))
    toks = _toks("قال الرئيس مجهولكوف 12")
    x = vec.window_input([token_form(t) for t in toks], [t.kind for t in toks])
    width = 2 * MLP_WINDOW + 1
    assert x.shape == (4, width * 4 + width)
    centre = slice(MLP_WINDOW * 4, MLP_WINDOW * 4 + 4)
    assert x[0, centre].tolist() == [0, 1, 0, 0]          # قال
    assert x[2, centre].tolist() == [0, 0, 0, 0]          # an unknown word: zero vector ...
    assert x[2, width * 4 + MLP_WINDOW] == 1.0            # ... and its unknown flag
    assert x[3, centre].tolist() == [0, 0, 1, 0]          # a number is <num>
    assert x[0, :4].tolist() == [0, 0, 0, 0] and x[0, width * 4] == 0.0  # padding is not "unknown"
    rng = np.random.default_rng(0)
    mlp = WindowMLP(rng.normal(size=(x.shape[1], 6)), np.zeros(6), rng.normal(size=(6, 3)), np.zeros(3),
                    ["O", "B-PER", "I-PER"])
    p = mlp.proba(x)
    h = np.maximum(x @ mlp.w1, 0)
    z = h @ mlp.w2
    want = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert np.allclose(p, want, atol=1e-5) and np.allclose(p.sum(axis=1), 1)
    mlp.save(tmp_path / "m.npz")
    assert np.allclose(WindowMLP.load(tmp_path / "m.npz").proba(x), p, atol=1e-2)  # float16 weights


def test_stack_features_lexicon_window_and_mlp_floats(tmp_path):
    lex = tmp_path / "lex.tsv"
    toks = _toks("قال ماتيوسكي وغادر")
    forms = [token_form(t) for t in toks]
    lex.write_text(f"# test\n{forms[1]}\tPERhi PERB\n{forms[0]}\t\n", encoding="utf-8")
    lexicon = load_lexicon(lex)
    f = Stack(lexicon).add(toks, [token_form(t) for t in toks], [[] for _ in toks])
    assert "LPERhi" in f[1] and "-1LPERhi" in f[2] and "1LPERhi" in f[0]
    assert not any(x.startswith("L") for x in f[0])      # known, no features: not "unk"
    assert "Lunk" in f[2]                                 # وغادر -> غادر: not in the lexicon
    vec = Vectors(["قال"], np.ones((1, 2), np.float16))
    mlp = WindowMLP(np.zeros((15, 2)), np.zeros(2), np.zeros((2, 2)), np.array([0.0, 1.0]), ["O", "B-PER"])
    items = sentence_features(toks, stack=Stack(lexicon, vec, mlp))
    assert all(isinstance(it, dict) for it in items)
    assert items[1]["nn=B-PER"] == 1.0 and 0.7 < items[1]["nnpB-PER"] < 0.75
    assert items[1]["LPERhi"] == 1.0 and items[1]["b"] == 1.0


shipped = pytest.mark.skipif(not MODEL_PATH.exists(), reason="no shipped NER model")


@shipped
def test_shipped_model_names_its_stack_and_hashes():
    meta = json.loads(MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    if not meta.get("lexicon"):
        pytest.skip("model trained with --stack off")
    st = _stack(MODEL_PATH)
    assert st is not None and st.lexicon
    for key in ("lexicon", "vectors", "mlp"):
        if meta.get(key):
            assert len(meta[key + "_sha256"]) == 64
            assert (MODEL_PATH.parent / meta[key]).exists()
    if meta.get("mlp"):
        assert st.mlp.w1.shape[0] == st.vectors.matrix.shape[1] * (2 * MLP_WINDOW + 1) + 2 * MLP_WINDOW + 1
    # the lexicon learnt from ANT news: capitals are places, common verbs are not names
    assert "LOChi" in st.lexicon[token_form(_toks("بيروت")[0])]
    assert not any(x.startswith("PER") for x in st.lexicon[token_form(_toks("قال")[0])])
    items = sentence_features(_toks("قال بيروت"), stack=st)
    assert "LLOChi" in items[1] and "-1LLOChi" not in items[1]


@shipped
def test_shipped_model_tags_names_it_never_saw_in_training():
    text = ("وصل وزير الخارجية الفرنسي جان إيف لودريان إلى بيروت امس، "
            "والتقى رئيس الحكومة اللبنانية سعد الحريري في السراي.")
    rec = EntityRecognizer()
    ms = rec(text, tokenize(text), [(s.start, s.end) for s in split_sentences(text)])
    got = {(text[m.start:m.end], m.type) for m in ms}
    assert ("بيروت", "LOC") in got
    assert ("سعد الحريري", "PER") in got
    assert any(t == "PER" and "لودريان" in s for s, t in got)


def test_quoted_phrases_are_marked_first_last_inside():
    from marsad.extract.ner_features import quoted

    toks = _toks('عرضت القناة برنامج «حكايات من المدينة» ثم فيلم "الرحلة" وقالت « ان')
    q = dict(zip([t.text for t in toks], quoted(toks)))
    assert (q["حكايات"], q["من"], q["المدينة"]) == (1, 3, 2)
    assert q["الرحلة"] == 4  # one quoted word: first and last
    assert q["برنامج"] == q["ثم"] == q["ان"] == 0  # an unclosed quote marks nothing
    feats = sentence_features(toks)
    assert "inq" in feats[[t.text for t in toks].index("من")]
    assert not any(f.startswith("inq") for f in feats[0])


def test_verb_after_a_name_is_not_part_of_it():
    from marsad.extract.entities import _verb_like

    lex = {"ستيفان": ("PERhi", "PERB"), "سيناقشان": ("PERmid", "PERB")}
    words = {t.text: t for t in _toks("سيناقشان تابعته ستيفان ستبعد غوته يوسف سيف")}
    assert _verb_like(words["سيناقشان"], lex, last=True)   # future dual: agrees with two names
    assert _verb_like(words["تابعته"], lex, last=True)     # a verb with its object pronoun
    assert not _verb_like(words["ستيفان"], lex, last=True)  # a name the lexicon knows
    assert _verb_like(words["ستبعد"], lex, last=False)     # a future verb before the subject
    assert not _verb_like(words["يوسف"], lex, last=False)
    assert not _verb_like(words["ستبعد"], {"ستبعد": ("PERhi",)}, last=False)
