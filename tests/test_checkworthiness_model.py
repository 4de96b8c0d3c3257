"""The trained check-worthiness model (claims/extraction/model): no database needed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from claims.extraction import checkworthiness as cw
from claims.extraction.model import (
    HAND_FEATURES,
    MODEL_DIR,
    char_features,
    get_model,
    load_model,
    word_features,
)

ROOT = Path(__file__).resolve().parent.parent
NEWS_DIR = ROOT / "bench" / "data" / "news"
SEED_JSONL = NEWS_DIR / "seed-labour-volunteers-fec-complaint.jsonl"
CLAIMBUSTER = Path("/work/shared/data/checkworthiness/claimbuster/crowdsourced.csv")

MUST_PASS = ("six-page complaint", "almost 100 current and former staff", "had paid for the trip")
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
    assert files["vocab.json"] + files["weights.npz"] < 2_000_000
    assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in files)


def test_model_loads_once_and_matches_shipped_threshold():
    m1 = get_model()
    m2 = get_model()
    assert m1 is m2
    assert len(m1.word_index) > 1000 and len(m1.char_index) > 1000
    assert len(m1.hand_coef) == len(HAND_FEATURES)
    # THRESHOLD in checkworthiness.py is the news-tuned threshold stored with the artifact.
    assert cw.THRESHOLD == pytest.approx(m1.meta["threshold"], abs=1e-9)
    assert 0.0 < cw.THRESHOLD < 1.0


def test_scores_are_probabilities():
    texts = _seed_sentences() + NOT_CHECKWORTHY + ["", "   ", "42", "?!", "£5bn"]
    scores = cw.score_sentences(texts)
    assert len(scores) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 and not math.isnan(s) for s in scores)
    assert cw.score_sentences([]) == []


def test_seed_key_claims_are_checkworthy():
    sents = _seed_sentences()
    for key in MUST_PASS:
        matches = [s for s in sents if key in s]
        assert len(matches) == 1, key
        score = cw.score_sentence(matches[0])
        assert score >= cw.THRESHOLD, (key, score)
        assert cw.is_checkworthy(score)


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


def test_scoring_is_deterministic_and_batch_independent():
    sents = _seed_sentences()
    a = cw.score_sentences(sents)
    b = cw.score_sentences(list(reversed(sents)))[::-1]
    c = [cw.score_sentence(s) for s in sents]
    assert a == cw.score_sentences(sents)
    assert a == pytest.approx(b, abs=1e-12)
    assert a == pytest.approx(c, abs=1e-12)
    fresh = load_model(MODEL_DIR).score(sents)
    assert a == pytest.approx(fresh, abs=1e-12)


def test_features_normalise_numbers_and_quotes():
    assert "<year>" in word_features("In 2019, he was impeached.")
    assert "<money>" in word_features("It was fined £18.4 million.")
    assert "<pct>" in word_features("Turnout fell 5%.")
    assert " 000" in char_features("in 1999") and "999" not in "".join(char_features("in 1999"))
    assert word_features("He said it’s fine") == word_features("He said it's fine")


def test_news_labels_are_well_formed():
    rows = []
    for p in sorted(NEWS_DIR.glob("*.jsonl")):
        with open(p, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    articles = {r["article"] for r in rows}
    assert len(articles) >= 3
    assert all(r["label"] in (0, 1) and r["text"].strip() for r in rows)
    assert 0.3 < sum(r["label"] for r in rows) / len(rows) < 0.7


@pytest.mark.skipif(not CLAIMBUSTER.exists(), reason="ClaimBuster CSV not available")
def test_training_on_a_subset_produces_a_working_artifact(tmp_path):
    from claims.extraction import training

    report = training.train(
        data_path=CLAIMBUSTER,
        out_dir=tmp_path,
        news_dir=NEWS_DIR,
        params=training.Params(n_splits=2),
        limit_groups=3,
        verbose=False,
    )
    assert (tmp_path / "vocab.json").exists() and (tmp_path / "weights.npz").exists()
    assert report["n_debates"] == 3
    assert report["export_max_abs_diff"] < 1e-6
    # Learns something even from 3 debates (AP of a random scorer is the base rate, ~0.2-0.3).
    assert report["debates_oof_at_0.5"]["ap"] > 0.45
    model = load_model(tmp_path)
    scores = model.score(
        ["Thank you very much.", "Unemployment rose to 10.8 percent in 1982, the highest since 1940."]
    )
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[1] > scores[0]
    assert 0.0 < model.meta["threshold"] < 1.0
