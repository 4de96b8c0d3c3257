"""Check-worthiness model: feature extraction and fast batch inference.

Pure Python + numpy, no Django and no scikit-learn at inference time. The
features (``features.py``) are shared with ``claims.extraction.training``, so the
features seen at training and at inference are identical by construction.

Artifact (this folder):
  - ``vocab.json``: feature strings in column order (``word``: both models' word
    uni/bigrams, ``char``, ``hand``, ``news_dense``) and ``meta``.
  - ``weights.npz``: float32 idf and coefficients per block (``word_*`` and ``char_*``
    of the general model, ``news_word_*``, ``hand_*``, ``news_dense_coef``) and float64
    ``scalars`` = [intercept, platt_a, platt_b, news_intercept].

Score = sigmoid(platt_a * news_margin + platt_b). The general model (word TF-IDF, char
TF-IDF normalised by sqrt(sum of idf^2 over n-gram occurrences), so cached per word, and
hand features) scores each sentence and its asserted content; the news model adds its
own word block and the dense block over those margins and the previous sentence.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .features import (  # noqa: F401 - the package's public feature API
    _DIGIT_RE,
    _QUOTE_TRANS,
    CHAR_NGRAM_RANGE,
    CONTEXT_FEATURES,
    HAND_FEATURES,
    NEWS_DENSE,
    _hand_from_tokens,
    _low,
    _tokens_low,
    _word_from_tokens,
    asserted_text,
    char_features,
    char_words,
    content_view,
    hand_features,
    news_dense,
    pronoun_start,
    tokens,
    without_negation,
    word_char_ngrams,
    word_features,
)

MODEL_DIR = Path(__file__).resolve().parent
VOCAB_FILE = "vocab.json"
WEIGHTS_FILE = "weights.npz"
_CHAR_CACHE_MAX = 200_000

# ---------------------------------------------------------------------------
# Inference
# ---------------------------------------------------------------------------


class CheckworthinessModel:
    """Two stacked linear models, Platt-calibrated.

    The general model (word and char TF-IDF + hand features, fitted on debates) scores
    each sentence and its asserted content; the news model (its own word TF-IDF + the
    dense block ``NEWS_DENSE``: those two margins, the sentence before, hand features of
    both views) gives the margin that is calibrated.
    """

    def __init__(self, model_dir: str | Path = MODEL_DIR):
        model_dir = Path(model_dir)
        with open(model_dir / VOCAB_FILE, encoding="utf-8") as fh:
            vocab = json.load(fh)
        if vocab.get("hand") != HAND_FEATURES or vocab.get("news_dense") != NEWS_DENSE:
            raise ValueError("model artifact features do not match this code")
        self.meta = vocab.get("meta", {})
        self.word_index = {f: i for i, f in enumerate(vocab["word"])}
        self.char_index = {f: i for i, f in enumerate(vocab["char"])}
        with np.load(model_dir / WEIGHTS_FILE, allow_pickle=False) as z:
            self.word_idf = z["word_idf"].astype(np.float64)
            self.word_coef = z["word_coef"].astype(np.float64)
            self.news_word_idf = z["news_word_idf"].astype(np.float64)
            self.news_word_coef = z["news_word_coef"].astype(np.float64)
            self.char_idf = z["char_idf"].astype(np.float64)
            self.char_coef = z["char_coef"].astype(np.float64)
            self.hand_coef = z["hand_coef"].astype(np.float64)
            self.hand_scale = z["hand_scale"].astype(np.float64)
            self.news_dense_coef = z["news_dense_coef"].astype(np.float64)
            self.intercept, self.platt_a, self.platt_b, self.news_intercept = (
                float(x) for x in z["scalars"]
            )
        if (
            len(self.word_idf) != len(self.word_index)
            or len(self.news_word_idf) != len(self.word_index)
            or len(self.char_idf) != len(self.char_index)
            or len(self.news_dense_coef) != len(NEWS_DENSE)
        ):
            raise ValueError("model artifact vocabulary and weights disagree")
        # Pre-multiplied weights for the dot product.
        self._w_word = self.word_coef * self.word_idf
        self._w_news = self.news_word_coef * self.news_word_idf
        self._w_char = self.char_coef * self.char_idf
        self._h_w = self.hand_coef * self.hand_scale
        self._w_char_list = self._w_char.tolist()
        self._char_idf2_list = (self.char_idf**2).tolist()
        # word -> complex(sum of coef*idf, sum of idf^2) over its char n-grams. Words
        # repeat (Zipf), so most words cost one dict lookup.
        self._char_cache: dict[str, complex] = {}

    @staticmethod
    def _block_margin(flat, lens, *blocks):
        """Sublinear TF-IDF, L2-normalised per row, dotted with coef (vectorised), for
        each ``(idf, w)`` block over the same n-gram ids (one counting pass for all)."""
        n_rows = len(lens)
        outs = [np.zeros(n_rows) for _ in blocks]
        if not flat:
            return outs
        ids = np.array(flat, dtype=np.int64)
        rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.array(lens, dtype=np.int64))
        V = len(blocks[0][0])
        key, tf = np.unique(rows * V + ids, return_counts=True)
        r = key // V
        c = key - r * V
        sub = 1.0 + np.log(tf)
        for out, (idf, w) in zip(outs, blocks):
            sq = np.bincount(r, weights=(sub * idf[c]) ** 2, minlength=n_rows)
            dot = np.bincount(r, weights=sub * w[c], minlength=n_rows)
            nz = sq > 0
            out[nz] = dot[nz] / np.sqrt(sq[nz])
        return outs

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        """The news model's decision values (before calibration), ``texts`` in article order."""
        m, d_full, d_content, wrapped, share, pron, H = self._views(texts)
        first = np.zeros(len(texts), bool)
        if len(texts):
            first[0] = True
        dense = news_dense(d_full, d_content, wrapped, share, pron, first, H)
        return m + dense @ self.news_dense_coef + self.news_intercept

    def general_margins(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The general model's margins on each sentence and on its asserted content."""
        _, d_full, d_content, *_ = self._views(texts)
        return d_full, d_content

    def _views(self, texts: Sequence[str]):
        """Per sentence: the news word-block margin, the general margins of both views,
        wrapper, quote share, pronoun subject and hand features."""
        n = len(texts)
        wget = self.word_index.get
        cget = self.char_index.get
        cache = self._char_cache
        if len(cache) > _CHAR_CACHE_MAX:
            cache.clear()
        cache_get = cache.get

        w_char = self._w_char_list
        idf2 = self._char_idf2_list

        def miss(word: str) -> complex:
            ids = [i for i in map(cget, word_char_ngrams(word)) if i is not None]
            z = complex(sum([w_char[i] for i in ids]), sum([idf2[i] for i in ids]))
            cache[word] = z
            return z

        def char_margin(low: str) -> float:
            z = sum([cache_get(w) or miss(w) for w in _DIGIT_RE.sub("0", low).split()], 0j)
            return z.real / math.sqrt(z.imag) if z.imag > 0 else 0.0

        w_flat: list[int] = []
        w_lens: list[int] = []
        char_m = np.zeros(n)
        hand: list[list[float]] = []
        # The asserted content, for the sentences where it differs from the sentence.
        c_rows: list[int] = []
        c_flat: list[int] = []
        c_lens: list[int] = []
        c_char: list[float] = []
        c_hand: list[list[float]] = []
        wrapped = np.zeros(n)
        share = np.zeros(n)
        pron = np.zeros(n)
        for k, t in enumerate(texts):
            t = t or ""
            low = _low(t)
            toks = _tokens_low(low)
            ids = [i for i in map(wget, _word_from_tokens(toks)) if i is not None]
            w_flat += ids
            w_lens.append(len(ids))
            char_m[k] = char_margin(low)
            h = _hand_from_tokens(t, low, toks)
            hand.append(h)
            content, wrapped[k], share[k] = asserted_text(t, toks)
            if content != t:
                clow = _low(content)
                ctoks = _tokens_low(clow)
                cids = [i for i in map(wget, _word_from_tokens(ctoks)) if i is not None]
                c_rows.append(k)
                c_flat += cids
                c_lens.append(len(cids))
                c_char.append(char_margin(clow))
                c_hand.append(_hand_from_tokens(content, clow, ctoks))
                pron[k] = pronoun_start(toks) or pronoun_start(ctoks)
            else:
                pron[k] = pronoun_start(toks)
        H = np.array(hand, dtype=np.float64).reshape(n, len(HAND_FEATURES))
        d_full, m = self._block_margin(
            w_flat, w_lens, (self.word_idf, self._w_word), (self.news_word_idf, self._w_news)
        )
        d_full += char_m + H @ self._h_w + self.intercept
        d_content = d_full.copy()
        if c_rows:
            Hc_rows = np.array(c_hand, dtype=np.float64).reshape(len(c_rows), len(HAND_FEATURES))
            (d_c,) = self._block_margin(c_flat, c_lens, (self.word_idf, self._w_word))
            d_c += np.array(c_char) + Hc_rows @ self._h_w + self.intercept
            d_content[c_rows] = d_c
        return m, d_full, d_content, wrapped, share, pron, H

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros(0)
        z = self.platt_a * self.margins(texts) + self.platt_b
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, texts: Sequence[str]) -> list[float]:
        return [float(x) for x in self.predict_proba(texts)]


_MODEL: CheckworthinessModel | None = None
_LOCK = threading.Lock()


def get_model() -> CheckworthinessModel:
    """The shipped model, loaded once per process."""
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                _MODEL = CheckworthinessModel(MODEL_DIR)
    return _MODEL


def load_model(model_dir: str | Path) -> CheckworthinessModel:
    """Load a model from another directory (no caching), e.g. a fresh training run."""
    return CheckworthinessModel(model_dir)
