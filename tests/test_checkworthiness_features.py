"""What the check-worthiness model reads: the asserted content, cues, context, negation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claims.extraction import checkworthiness as cw
from claims.extraction import training
from claims.extraction.model import (
    CONTEXT_FEATURES,
    HAND_FEATURES,
    asserted_text,
    content_view,
    hand_features,
    news_dense,
    tokens,
    word_features,
)

# --- 1. the content apart from the "X said" wrapper ---------------------------


@pytest.mark.parametrize(
    "sentence, content",
    [
        ("The minister said the policy was a disaster.", "the policy was a disaster."),
        ("Sales rose 5% last year, the company said on Tuesday.", "Sales rose 5% last year"),
        ("The policy, she said, was a disaster.", "The policy was a disaster."),
        ("According to the report, 40% of children are poor.", "40% of children are poor."),
        ("“The policy was a disaster,” the minister said.", "The policy was a disaster"),
        ("Smith told reporters that the deal was dead.", "the deal was dead."),
        ("The minister said in a statement that 300 jobs would go.", "300 jobs would go."),
    ],
)
def test_the_reporting_clause_is_stripped(sentence, content):
    got, wrapped, _ = content_view(sentence)
    assert (got, wrapped) == (content, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "The council approved the budget in 2019.",
        "Unemployment rose to 10.8 percent in 1982.",
        "He went to the shops, bought bread and went home.",
    ],
)
def test_a_sentence_without_a_wrapper_is_its_own_content(sentence):
    assert content_view(sentence) == (sentence, False, 0.0)


def test_quoted_words_are_the_content_and_their_share_is_measured():
    content, wrapped, share = content_view('Smith said: "We paid £4m for the land in 2019."')
    assert content == "We paid £4m for the land in 2019." and wrapped
    assert 0.7 < share < 1.0


@pytest.mark.parametrize(
    "wrapper",
    [
        "The minister said {}.",
        "{}, the minister said.",
        '"{}," the minister said.',
        "According to the senator, {}.",
    ],
)
def test_a_wrapper_around_an_opinion_scores_lower_than_around_a_figure(wrapper):
    opinion = cw.score_sentence(wrapper.format("the policy was a disgrace"))
    figure = cw.score_sentence(wrapper.format("the policy cost $4bn in 2020"))
    assert opinion < cw.THRESHOLD <= figure


def test_the_general_model_judges_a_wrapped_sentence_on_its_content():
    from claims.extraction.model import get_model

    model = get_model()
    wrapped = [
        "The minister said the policy was a disaster.",
        "“The policy cost $4bn,” the minister said.",
        "The council didn't approve the budget in 2019.",
    ]
    alone = [
        "the policy was a disaster.",
        "The policy cost $4bn",
        "The council did approve the budget in 2019.",
    ]
    full, content = model.general_margins(wrapped)
    assert content == pytest.approx(model.general_margins(alone)[0], abs=1e-9)
    assert not np.allclose(full, content)
    # Without a wrapper or a negation, the two views are the same sentence.
    plain = model.general_margins(["The council approved the budget in 2019."])
    assert plain[0] == pytest.approx(plain[1], abs=1e-12)


# --- 2. cues of opinion, rhetoric and procedure --------------------------------


def _hand(text: str) -> dict[str, float]:
    return dict(zip(HAND_FEATURES, hand_features(text)))


def test_opinion_and_rhetoric_cues_fire():
    f = _hand("The mayor slammed the plan and called it a disgrace.")
    assert f["rhetoric_verb"] == f["naming_it"] == f["evaluative_word"] == 1.0
    f = _hand("Perhaps the council should act, and it must act now.")
    assert f["hedge_word"] == f["demand_word"] == 1.0
    f = _hand("The plaintiffs filed a motion seeking damages; a hearing is scheduled.")
    assert f["procedural_word"] == 1.0 and f["n_procedural"] == 1.0
    plain = _hand("The council approved the budget in 2019.")
    assert all(
        plain[k] == 0.0
        for k in ("rhetoric_verb", "naming_it", "evaluative_word", "hedge_word", "demand_word")
    )


def test_the_cue_weights_are_learned_not_set_by_hand():
    from claims.extraction.model import get_model

    model = get_model()
    assert len(model.hand_coef) == len(HAND_FEATURES)
    assert np.count_nonzero(model.hand_coef) == len(HAND_FEATURES)
    assert "procedural_word" in HAND_FEATURES and "evaluative_word" in HAND_FEATURES


# --- 3. the previous sentence as context ----------------------------------------


def _dense(texts: list[str], starts=(0,)) -> dict[str, np.ndarray]:
    from claims.extraction.model import _low, _tokens_low, pronoun_start

    n = len(texts)
    H = np.array([hand_features(t) for t in texts])
    pron = [pronoun_start(_tokens_low(_low(t))) for t in texts]
    first = np.zeros(n, bool)
    first[list(starts)] = True
    D = news_dense(
        np.arange(n, dtype=float) + 1.0, np.zeros(n), np.zeros(n), np.zeros(n), pron, first, H
    )
    return dict(zip(CONTEXT_FEATURES, D[:, : len(CONTEXT_FEATURES)].T))


def test_the_sentence_before_feeds_a_pronoun_sentence():
    d = _dense(["The Home Office paid £12m to Serco in 2021.", "It was the largest payment."])
    assert d["pron_start"][1] == 1.0 and d["no_prev"][1] == 0.0
    assert d["pron_prev_number"][1] == 1.0 and d["pron_prev_caps"][1] > 0
    assert d["pron_prev_d"][1] == d["prev_d"][1] != 0.0
    # A sentence with its own subject gets no pronoun context; the first has no context.
    d = _dense(["The Home Office paid £12m in 2021.", "Serco was paid £12m."])
    assert d["pron_start"][1] == d["pron_prev_number"][1] == d["pron_prev_d"][1] == 0.0
    assert d["no_prev"][0] == 1.0 and d["prev_d"][0] == 0.0
    # In training, articles follow each other: an article's first sentence reads nothing
    # of the article before it.
    texts = ["The Home Office paid £12m in 2021.", "It paid £3m in 2022.", "It was the largest."]
    d = _dense(texts, starts=(0, 2))
    assert d["no_prev"][2] == 1.0 and d["prev_d"][2] == d["pron_prev_number"][2] == 0.0
    assert d["pron_prev_number"][1] == 1.0


def test_the_sentence_before_changes_a_pronoun_sentences_score():
    it = "It was the largest such payment that year."
    after_fact = cw.score_sentences(["The Home Office paid £12m to Serco in 2021.", it])[1]
    after_colour = cw.score_sentences(["What a lovely day it was in the park.", it])[1]
    assert after_fact > after_colour
    assert cw.score_sentence(it) == cw.score_sentences([it])[0]


# --- 4. negation ---------------------------------------------------------------


def test_negation_survives_tokenisation():
    assert tokens("He didn’t pay, won't pay and can't pay.") == [
        "he", "did", "not", "pay", "will", "not", "pay", "and", "can", "not", "pay",
    ]  # fmt: skip
    feats = word_features("No one was never not there")
    assert {"no", "never", "not", "never not"} <= set(feats)
    assert _hand("The firm did not pay.")["negation"] == 1.0
    assert asserted_text("The firm didn't pay tax in 2019.")[0] == "The firm did pay tax in 2019."


@pytest.mark.parametrize(
    "fact, negated",
    [
        (
            "The council approved the $5m budget in 2019.",
            "The council did not approve the $5m budget in 2019.",
        ),
        (
            "The company paid corporation tax in Britain last year.",
            "The company didn't pay corporation tax in Britain last year.",
        ),
        (
            "The minister met the lobbyists in March, records show.",
            "The minister never met the lobbyists in March, records show.",
        ),
    ],
)
def test_a_negated_fact_scores_like_the_fact(fact, negated):
    a, b = cw.score_sentence(fact), cw.score_sentence(negated)
    assert cw.is_checkworthy(a) == cw.is_checkworthy(b)
    assert abs(a - b) < 0.15


# --- 7. several news sets --------------------------------------------------------


def _write_set(folder, rows):
    folder.mkdir()
    with open(folder / "sentences.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    return folder / "sentences.jsonl"


def test_several_news_sets_keep_their_articles_apart(tmp_path):
    rows = [
        {"article": "07", "text": "Prices rose 5% in May.", "checkworthy": True},
        {"article": "07", "text": "It was the biggest rise.", "checkworthy": True},
        {"article": "08", "text": "Hello.", "checkworthy": False},
    ]
    a = _write_set(tmp_path / "news-a", rows)
    b = _write_set(tmp_path / "news-b", rows[:2])
    news = training.load_news([a, b])
    assert list(news.groups) == [
        "news:news-a:07",
        "news:news-a:07",
        "news:news-a:08",
        "news:news-b:07",
        "news:news-b:07",
    ]
    assert list(news.first) == [True, False, True, True, False]
    assert list(news.source) == ["news-a"] * 3 + ["news-b"] * 2
    with pytest.raises(ValueError, match="share a name"):
        training.load_news([a, a])


def test_a_bad_news_line_is_refused_with_its_place(tmp_path):
    path = _write_set(tmp_path / "news-bad", [{"article": "1", "text": "No label."}])
    with pytest.raises(ValueError, match="sentences.jsonl:1"):
        training.load_news(path)


def test_per_set_figures_are_reported():
    y = np.array([1, 0, 1, 0, 1, 1])
    oof = {
        "pred": np.array([1, 0, 0, 0, 1, 1]),
        "margins": np.array([2.0, -1.0, -0.5, -2.0, 1.0, 3.0]),
        "thresholds": {},
    }
    out = training.loao_report(y, oof, np.array(["a", "a", "a", "b", "b", "b"]))
    assert out["n"] == 6 and set(out["per_set"]) == {"a", "b"}
    assert out["per_set"]["b"]["n"] == 3 and out["per_set"]["b"]["recall_cw"] == 1.0
