"""The trained check-worthiness model (claims/extraction/model): no database needed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from claims.extraction import checkworthiness as cw
from claims.extraction import training
from claims.extraction.model import (
    HAND_FEATURES,
    MODEL_DIR,
    char_features,
    get_model,
    hand_features,
    load_model,
    word_features,
)

ROOT = Path(__file__).resolve().parent.parent
SEED_JSONL = ROOT / "bench" / "data" / "news" / "seed-labour-volunteers-fec-complaint.jsonl"
CLAIMBUSTER = training.DEFAULT_DATA
NEWS = training.DEFAULT_NEWS

NOT_CHECKWORTHY = [
    "Thank you very much.",
    "I think that's a great question.",
    "Good evening, and welcome to the debate.",
    "Let me answer that.",
]


def _seed_sentences() -> list[str]:
    with open(SEED_JSONL, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def test_artifact_is_small_and_pickle_free():
    files = {p.name: p.stat().st_size for p in MODEL_DIR.iterdir() if p.is_file()}
    assert {"vocab.json", "weights.npz", "ATTRIBUTION.md", "MODEL.md"} <= set(files)
    assert files["vocab.json"] + files["weights.npz"] < 4_000_000
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in files)
    with np.load(MODEL_DIR / "weights.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


def test_model_loads_once_and_matches_shipped_threshold():
    m1 = get_model()
    assert m1 is get_model()
    assert len(m1.word_index) > 1000 and len(m1.char_index) > 1000
    assert len(m1.hand_coef) == len(HAND_FEATURES)
    assert cw.THRESHOLD == pytest.approx(m1.meta["threshold"], abs=1e-9)
    assert 0.0 < cw.THRESHOLD < 1.0


def test_threshold_comes_from_leave_one_article_out_on_news_not_the_seed():
    meta = get_model().meta
    assert "leave-one-article-out" in meta["threshold_source"]
    loao = meta["evaluation"]["news_loao"]
    assert loao["n"] >= 900 and len(loao["thresholds"]) >= 30
    # Training and tuning read news-en only; the seed article is not in it.
    assert training.DEFAULT_NEWS.parent.name == "news-en"
    if NEWS.exists():
        news_texts = {" ".join(t.split()) for t in training.load_news(NEWS).texts}
        assert not news_texts & {" ".join(t.split()) for t in _seed_sentences()}


def test_scores_are_probabilities():
    texts = _seed_sentences() + NOT_CHECKWORTHY + ["", "   ", "42", "?!", "£5bn"]
    scores = cw.score_sentences(texts)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 and not math.isnan(s) for s in scores)
    assert cw.score_sentences([]) == []


@pytest.mark.parametrize("text", NOT_CHECKWORTHY)
def test_obvious_non_claims_are_below_threshold(text):
    score = cw.score_sentence(text)
    assert score < cw.THRESHOLD, score
    assert not cw.is_checkworthy(score)


def test_numbers_raise_the_score():
    low = cw.score_sentence("Unemployment has been a problem for working families.")
    high = cw.score_sentence("Unemployment rose to 10.8 percent in 1982, the highest since 1940.")
    assert high > low
    assert high >= cw.THRESHOLD


def test_legal_and_accusation_features_fire_on_allegations():
    names = HAND_FEATURES
    f = dict(
        zip(names, hand_features("Prosecutors accused the firm of running an unlawful lottery."))
    )
    assert f["legal_word"] == 1.0 and f["accuse_verb"] == 1.0 and f["n_legal"] > 0
    g = dict(zip(names, hand_features("We will win, and it will be wonderful!")))
    assert g["modal_word"] == 1.0 and g["exclaim"] == 1.0 and g["legal_word"] == 0.0


def test_scoring_is_deterministic_and_reads_only_the_sentence_before():
    sents = _seed_sentences()
    a = cw.score_sentences(sents)
    assert a == cw.score_sentences(sents)
    assert a == pytest.approx(load_model(MODEL_DIR).score(sents), abs=1e-12)
    # The context is the previous sentence and nothing else: each score is the score of
    # the pair (previous, this one), and the first sentence is scored as if alone.
    pairs = [cw.score_sentences(sents[i - 1 : i + 1])[1] for i in range(1, len(sents))]
    assert a[1:] == pytest.approx(pairs, abs=1e-12)
    assert a[0] == pytest.approx(cw.score_sentence(sents[0]), abs=1e-12)


def test_features_normalise_numbers_and_quotes():
    assert "<year>" in word_features("In 2019, he was impeached.")
    assert "<money>" in word_features("It was fined £18.4 million.")
    assert "<pct>" in word_features("Turnout fell 5%.")
    assert " 000" in char_features("in 1999") and "999" not in "".join(char_features("in 1999"))
    assert word_features("He said it’s fine") == word_features("He said it's fine")


# --- Threshold rule and nested evaluation ----------------------------------


def test_choose_threshold_keeps_the_specificity_floor():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(300), np.zeros(200)].astype(int)
    probs = np.clip(np.r_[rng.normal(0.65, 0.15, 300), rng.normal(0.4, 0.15, 200)], 0, 1)
    t = training.choose_threshold(y, probs, min_specificity=0.75)
    assert ((probs < t) & (y == 0)).sum() / 200 >= 0.75
    # Without the floor the best-F1 cut is lower (F1 favours flagging on a 60 % positive set).
    assert training.choose_threshold(y, probs, min_specificity=0.0) < t


@pytest.mark.skipif(
    not (CLAIMBUSTER.exists() and NEWS.exists()), reason="training data not available"
)
def test_a_held_out_article_is_unseen_by_its_model_calibration_and_threshold():
    params = training.Params()
    corpus = training.concat(
        training.load_claimbuster(CLAIMBUSTER, limit_groups=3),
        training.load_news(NEWS, limit_articles=8),
    )
    cache = training.FeatureCache(corpus.texts, params)
    debates = np.flatnonzero(~corpus.is_news)
    news = np.flatnonzero(corpus.is_news)
    vocab, lr = training.fit_general(cache, corpus, debates, params)
    D = cache.dense(news, *training.general_margins(cache, vocab, lr, news), corpus.first[news])
    before = training.nested_loao(cache, corpus, news, D, params, log=lambda *a: None)
    # Flip the labels of one article: its own held-out scores and threshold must not move,
    # while the other articles' (whose models and thresholds it trains) do.
    held = corpus.groups[news] == corpus.groups[news][0]
    corpus.y[news[held]] = 1 - corpus.y[news[held]]
    after = training.nested_loao(cache, corpus, news, D, params, log=lambda *a: None)
    art = str(corpus.groups[news][0])
    assert after["thresholds"][art] == before["thresholds"][art]
    assert after["margins"][held] == pytest.approx(before["margins"][held], abs=1e-12)
    assert after["probs"][held] == pytest.approx(before["probs"][held], abs=1e-12)
    assert not np.allclose(after["margins"][~held], before["margins"][~held])


def test_news_labels_are_read_grouped_by_article():
    if not NEWS.exists():
        pytest.skip("news-en labels not available")
    news = training.load_news(NEWS)
    assert len(news.texts) == len(news.y) >= 900
    assert len(set(news.groups)) >= 30 and all(g.startswith("news:") for g in news.groups)
    assert 0.4 < news.y.mean() < 0.7


@pytest.mark.skipif(
    not (CLAIMBUSTER.exists() and NEWS.exists()), reason="training data not available"
)
def test_training_on_a_subset_is_grouped_and_byte_identical_on_rerun(tmp_path):
    kw = dict(params=training.Params(n_splits=2), limit_groups=3, limit_articles=5, verbose=False)
    report = training.train(CLAIMBUSTER, NEWS, tmp_path / "a", **kw)
    training.train(CLAIMBUSTER, NEWS, tmp_path / "b", **kw)
    for name in ("vocab.json", "weights.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert report["n_debates"] == 3 and report["n_articles"] == 5
    assert len(report["news_loao"]["thresholds"]) == 5  # one model per held-out article
    assert report["export_max_abs_diff"] < 1e-6
    assert report["debates_at_0.5_debate_calibrated"]["ap"] > 0.4
    model = load_model(tmp_path / "a")
    scores = model.score(
        [
            "Thank you very much.",
            "Unemployment rose to 10.8 percent in 1982, the highest since 1940.",
        ]
    )
    assert scores[1] > scores[0]
    assert 0.0 < model.meta["threshold"] < 1.0
