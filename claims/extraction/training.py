"""Train, evaluate and export the check-worthiness model.

Pure Python + numpy + scikit-learn (no Django). Used by
``python manage.py train_checkworthiness --data ... --news A --news B`` and runnable directly:

    .venv/bin/python -m claims.extraction.training \\
        --data /work/shared/data/checkworthiness/claimbuster/crowdsourced.csv \\
        --news /work/shared/data/checkworthiness/news-en/sentences.jsonl \\
        --news data/checkworthiness/news-en-2/sentences.jsonl

Two stacked models (see ``claims/extraction/model/MODEL.md``): a general model fitted on
the ClaimBuster debates only, which scores each sentence and its asserted content, and a
news model fitted on labelled news over its own word block, those margins, the previous
sentence and hand features.

Validation is always grouped, never by random sentence:

* news: leave-one-article-out (LOAO), nested. The general model never sees news, so it
  is fitted once and reused by every fold. For each held-out article the news model is
  fitted on the other articles; its Platt calibration and threshold come from
  GroupKFold(``inner_folds``) over the other articles only. So the article is unseen by
  its model, its calibration and its threshold. Several news sets may be given; article
  ids are namespaced per set, and figures are reported per set and overall.
* debates: GroupKFold(5) by debate; the general model is refitted without the held-out
  debates, and the final news model (which never sees a debate) scores them.

The shipped model: the general model on all debates, the news model on all news, Platt
fitted on the news LOAO margins, the threshold chosen on the resulting LOAO
probabilities with ``choose_threshold``. The seed article is not in the training or
tuning data and nothing here looks at it.

Vocabularies and IDF come from each fit's training rows only; the n-gram counts of every
sentence (and of its asserted content) are computed once (``FeatureCache``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import (
    CHAR_NGRAM_RANGE,
    HAND_FEATURES,
    MODEL_DIR,
    NEWS_DENSE,
    VOCAB_FILE,
    WEIGHTS_FILE,
    asserted_text,
    char_features,
    hand_features,
    load_model,
    news_dense,
    pronoun_start,
    tokens,
    word_features,
)

SEED = 20240101
DEFAULT_DATA = Path("/work/shared/data/checkworthiness/claimbuster/crowdsourced.csv")
DEFAULT_NEWS = Path("/work/shared/data/checkworthiness/news-en/sentences.jsonl")
# news-en-2 ships with the project (data/checkworthiness/news-en-2, CC BY 4.0).
DEFAULT_NEWS_2 = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "checkworthiness"
    / "news-en-2"
    / "sentences.jsonl"
)
DEFAULT_NEWS_SETS = [DEFAULT_NEWS, DEFAULT_NEWS_2]

# Product requirement: among thresholds, prefer those that keep at least this share
# of non-check-worthy news sentences out of the queue.
MIN_SPECIFICITY = 0.80

# Published reference (dataset authors' SVM baseline, 4-fold CV on their 2.5:1
# resampled set, macro-F1). Ours is on the full, non-resampled crowdsourced set
# with whole debates held out, so it is not directly comparable.
REFERENCE_SVM_MACRO_F1 = 0.831


@dataclass
class Params:
    C: float = 1.0  # the general model, fitted on the debates
    news_C: float = 0.3  # the news model, stacked over it
    word_min_df: int = 2
    char_min_df: int = 3
    news_word_min_df: int = 2
    hand_scale: float = 0.5
    inner_folds: int = 5
    n_splits: int = 5
    seed: int = SEED


@dataclass
class Corpus:
    texts: list[str]
    y: np.ndarray
    groups: np.ndarray  # "debate:<File_id>" or "news:<set>:<article>"
    is_news: np.ndarray  # bool
    first: np.ndarray  # bool: no sentence before this one in its article or debate
    source: np.ndarray  # "debates" or the news set's name


def load_claimbuster(path: str | Path, limit_groups: int | None = None) -> Corpus:
    """Read the ClaimBuster CSV (positive = Verdict 1, CFS). ``limit_groups`` keeps the first N debates."""
    texts, verdict, groups, first = [], [], [], []
    prev = (None, None)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["Text"])
            verdict.append(int(row["Verdict"]))
            groups.append("debate:" + row["File_id"])
            sid = int(row["Sentence_id"])
            # The sentence before is context only when it is the one spoken just before.
            first.append(prev != (row["File_id"], sid - 1))
            prev = (row["File_id"], sid)
    verdict_a = np.array(verdict)
    groups_a = np.array(groups)
    first_a = np.array(first, bool)
    if limit_groups is not None:
        keep = sorted(set(groups))[:limit_groups]
        mask = np.isin(groups_a, keep)
        texts = [t for t, m in zip(texts, mask) if m]
        verdict_a, groups_a, first_a = verdict_a[mask], groups_a[mask], first_a[mask]
    n = len(texts)
    return Corpus(
        texts,
        (verdict_a == 1).astype(int),
        groups_a,
        np.zeros(n, bool),
        first_a,
        np.full(n, "debates"),
    )


def news_set_name(path: str | Path) -> str:
    """A news set is named by its folder (``news-en``), or by the file if it is loose."""
    path = Path(path)
    if path.is_dir():
        return path.name
    return path.parent.name if path.name == "sentences.jsonl" else path.stem


def load_news(
    path: str | Path | Sequence[str | Path] = DEFAULT_NEWS, limit_articles: int | None = None
) -> Corpus:
    """Labelled news sentences, in page order: JSONL files (or folders of them) with
    ``article``, ``text`` and ``checkworthy`` (bool) or ``label`` (0/1).

    Several sets may be given; article ids are namespaced by set (``news:news-en:07``) so
    two sets' article "07" stay two articles. ``limit_articles`` keeps the first N per set.
    """
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    names = [news_set_name(p) for p in paths]
    if len(set(names)) != len(names):
        raise ValueError(f"two news sets share a name: {names}")
    texts, y, groups, first, source = [], [], [], [], []
    for p, name in zip(paths, names):
        p = Path(p)
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        rows: list[dict] = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                for k, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                        row["text"], row["article"]  # noqa: B018 - required keys
                        label = row["checkworthy"] if "checkworthy" in row else row["label"]
                    except (ValueError, KeyError) as exc:
                        raise ValueError(f"{f}:{k}: not a labelled sentence ({exc})") from exc
                    row["_y"] = int(label)
                    rows.append(row)
        if limit_articles is not None:
            keep = sorted({r["article"] for r in rows})[:limit_articles]
            rows = [r for r in rows if r["article"] in keep]
        prev = None
        for r in rows:
            g = f"news:{name}:{r['article']}"
            texts.append(r["text"])
            y.append(r["_y"])
            groups.append(g)
            first.append(g != prev)
            source.append(name)
            prev = g
    n = len(texts)
    return Corpus(
        texts,
        np.array(y, dtype=int),
        np.array(groups),
        np.ones(n, bool),
        np.array(first, bool),
        np.array(source),
    )


def concat(a: Corpus, b: Corpus) -> Corpus:
    return Corpus(
        a.texts + b.texts,
        np.concatenate([a.y, b.y]).astype(int),
        np.concatenate([a.groups, b.groups]),
        np.concatenate([a.is_news, b.is_news]),
        np.concatenate([a.first, b.first]),
        np.concatenate([a.source, b.source]),
    )


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------


class FeatureCache:
    """Raw n-gram counts of every sentence and of its asserted content, computed once;
    each fit picks its vocabulary from its own training rows.

    Word block: sublinear TF-IDF, L2-normalised (what ``TfidfVectorizer(sublinear_tf=True)``
    fitted on the training rows gives). Char block: TF-IDF normalised by
    sqrt(sum of idf^2 over n-gram occurrences), linear in counts so the scorer can cache
    it per word (see ``claims.extraction.model``).
    """

    def __init__(self, texts: list[str], params: Params):
        from sklearn.feature_extraction.text import CountVectorizer

        self.params = params
        n = len(texts)
        views = [asserted_text(t) for t in texts]
        self.content = [v[0] for v in views]
        self.wrapped = np.array([v[1] for v in views], dtype=np.float64)
        self.share = np.array([v[2] for v in views], dtype=np.float64)
        self.pron = np.array(
            [
                pronoun_start(tokens(t)) or pronoun_start(tokens(c))
                for t, c in zip(texts, self.content)
            ],
            dtype=np.float64,
        )
        wv = CountVectorizer(analyzer=word_features, dtype=np.float64)
        cv = CountVectorizer(analyzer=char_features, dtype=np.float64)
        both = texts + self.content
        W = wv.fit_transform(both).tocsr()
        C = cv.fit_transform(both).tocsr()
        self.W, self.Wc = W[:n], W[n:]
        self.C, self.Cc = C[:n], C[n:]
        self.word_names = wv.get_feature_names_out()
        self.char_names = cv.get_feature_names_out()
        self.H0 = np.array([hand_features(t) for t in texts], dtype=np.float64)
        self.Hc0 = np.array([hand_features(t) for t in self.content], dtype=np.float64)

    @staticmethod
    def _cols(M, train: np.ndarray, min_df: int, n: int):
        df = np.bincount(M[train].indices, minlength=M.shape[1])
        cols = np.flatnonzero(df >= min_df)
        return cols, np.log((1.0 + n) / (1.0 + df[cols])) + 1.0

    def vocab(self, train: np.ndarray) -> dict:
        """The general model's columns and their IDF, from its training rows only."""
        n = len(train)
        return {
            "word": self._cols(self.W, train, self.params.word_min_df, n),
            "char": self._cols(self.C, train, self.params.char_min_df, n),
        }

    def news_vocab(self, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self._cols(self.W, train, self.params.news_word_min_df, len(train))

    @staticmethod
    def word_block(W, rows, cols, idf):
        from scipy import sparse

        Wr = W[rows][:, cols].tocsr()
        Wr.data = 1.0 + np.log(Wr.data)
        Wr = Wr @ sparse.diags(idf)
        sq = np.asarray(Wr.multiply(Wr).sum(axis=1)).ravel()
        return sparse.diags(np.where(sq > 0, 1.0 / np.sqrt(np.maximum(sq, 1e-300)), 0.0)) @ Wr

    def design(self, rows: np.ndarray, vocab: dict, content: bool = False):
        """The general model's design matrix for the sentences (or their asserted content)."""
        from scipy import sparse

        W, C, H = (self.Wc, self.Cc, self.Hc0) if content else (self.W, self.C, self.H0)
        Wr = self.word_block(W, rows, *vocab["word"])
        cols, idf = vocab["char"]
        Cr = C[rows][:, cols].tocsr()
        norm2 = Cr @ (idf**2)
        Cr = (
            sparse.diags(np.where(norm2 > 0, 1.0 / np.sqrt(np.maximum(norm2, 1e-300)), 0.0))
            @ Cr
            @ sparse.diags(idf)
        )
        Hr = sparse.csr_matrix(H[rows] * self.params.hand_scale)
        return sparse.hstack([Wr, Cr, Hr]).tocsr()

    def dense(self, rows: np.ndarray, d_full: np.ndarray, d_content: np.ndarray, first):
        """The news model's dense block (context, the general margins, hand features)."""
        return news_dense(
            d_full,
            d_content,
            self.wrapped[rows],
            self.share[rows],
            self.pron[rows],
            first,
            self.H0[rows],
        )

    def news_design(self, rows: np.ndarray, cols, idf, D: np.ndarray):
        """The news model's design matrix: its own word block plus the dense block ``D``."""
        from scipy import sparse

        return sparse.hstack(
            [self.word_block(self.W, rows, cols, idf), sparse.csr_matrix(D)]
        ).tocsr()


def _new_lr(C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=seed)


def fit_general(cache: FeatureCache, corpus: Corpus, train: np.ndarray, params: Params):
    """The general model: fitted on debate rows (it never sees a news sentence)."""
    vocab = cache.vocab(train)
    lr = _new_lr(params.C, params.seed).fit(cache.design(train, vocab), corpus.y[train])
    return vocab, lr


def general_margins(cache: FeatureCache, vocab, lr, rows: np.ndarray):
    """The general model's margins on the sentences and on their asserted content."""
    return (
        lr.decision_function(cache.design(rows, vocab)),
        lr.decision_function(cache.design(rows, vocab, content=True)),
    )


@dataclass
class NewsFit:
    cols: np.ndarray
    idf: np.ndarray
    lr: object


def fit_news(cache: FeatureCache, corpus: Corpus, rows: np.ndarray, D: np.ndarray, params):
    """The news model on news ``rows`` (``D``: their dense block, same order)."""
    cols, idf = cache.news_vocab(rows)
    lr = _new_lr(params.news_C, params.seed).fit(
        cache.news_design(rows, cols, idf, D), corpus.y[rows]
    )
    return NewsFit(cols, idf, lr)


def news_margins(cache: FeatureCache, fit: NewsFit, rows: np.ndarray, D: np.ndarray):
    return fit.lr.decision_function(cache.news_design(rows, fit.cols, fit.idf, D))


# ---------------------------------------------------------------------------
# Calibration, thresholds, metrics
# ---------------------------------------------------------------------------


def fit_platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: p = sigmoid(a * margin + b), fitted by (nearly) unregularised LR."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(np.asarray(margins).reshape(-1, 1), np.asarray(y))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


GRID = np.round(np.arange(0.02, 0.981, 0.01), 2)


def choose_threshold(
    y, probs, min_specificity: float = MIN_SPECIFICITY, half_window: int = 3
) -> float:
    """The threshold with the best *smoothed* check-worthy F1 on a 0.01 grid, among those
    whose specificity is at least ``min_specificity`` (all of them if none is).

    F1 is averaged over +-``half_window`` grid steps because with a few hundred labelled
    sentences the raw curve is jagged and its single best point is mostly noise. The
    rule is fixed in advance; it is not adjusted to make any particular sentence pass.
    """
    y = np.asarray(y).astype(int)
    probs = np.asarray(probs)
    pos = max(int(y.sum()), 1)
    neg = max(int((1 - y).sum()), 1)
    f1s, specs = [], []
    for t in GRID:
        pred = probs >= t
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        f1s.append(2 * tp / max(2 * tp + fp + (pos - tp), 1))
        specs.append(1.0 - fp / neg)
    f1s = np.array(f1s)
    smooth = np.array(
        [f1s[max(0, i - half_window) : i + half_window + 1].mean() for i in range(len(GRID))]
    )
    ok = np.array(specs) >= min_specificity
    cand = np.flatnonzero(ok) if ok.any() else np.arange(len(GRID))
    return float(GRID[cand[np.argmax(smooth[cand])]])


def metrics(y, pred, scores=None) -> dict:
    """Check-worthy F1/P/R, specificity, macro-F1 and (if scores are given) AP."""
    from sklearn.metrics import average_precision_score

    y = np.asarray(y).astype(int)
    pred = np.asarray(pred).astype(int)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    tn = int(((pred == 0) & (y == 0)).sum())
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    f1 = 2 * tp / max(2 * tp + fp + fn, 1)
    f1_neg = 2 * tn / max(2 * tn + fn + fp, 1)
    ap = float("nan")
    if scores is not None and 0 < y.sum() < len(y):
        ap = float(average_precision_score(y, scores))
    return {
        "n": int(len(y)),
        "pos": int(y.sum()),
        "f1_cw": f1,
        "precision_cw": p,
        "recall_cw": r,
        "specificity": tn / max(tn + fp, 1),
        "macro_f1": (f1 + f1_neg) / 2,
        "ap": ap,
    }


# ---------------------------------------------------------------------------
# Cross-validation
# ---------------------------------------------------------------------------


def nested_loao(
    cache: FeatureCache,
    corpus: Corpus,
    news: np.ndarray,
    D: np.ndarray,
    params: Params,
    folds: int | None = None,
    log=print,
) -> dict:
    """Leave-one-article-out over the news rows ``news`` (``D``: their dense block), nested.

    For each held-out article: the news model is fitted on the other articles and scores
    it; its Platt calibration and threshold come from out-of-fold margins of the other
    articles only (GroupKFold(``inner_folds``) over them), so the article is unseen by
    its model, its calibration and its threshold. ``folds`` holds out groups of articles
    instead of one (a cheaper setting for exploring parameters).
    """
    from sklearn.model_selection import GroupKFold

    g = corpus.groups[news]
    y = corpus.y[news]
    arts = sorted(set(g))
    if folds is None or folds >= len(arts):
        splits = [(np.flatnonzero(g != a), np.flatnonzero(g == a)) for a in arts]
    else:
        splits = list(GroupKFold(n_splits=folds).split(news, groups=g))
    margins = np.zeros(len(news))
    probs = np.zeros(len(news))
    thresholds: dict[str, float] = {}
    t0 = time.perf_counter()
    for k, (tr, te) in enumerate(splits):
        inner = np.zeros(len(tr))
        n_inner = min(params.inner_folds, len(set(g[tr])))
        for itr, ite in GroupKFold(n_splits=n_inner).split(tr, groups=g[tr]):
            f = fit_news(cache, corpus, news[tr[itr]], D[tr[itr]], params)
            inner[ite] = news_margins(cache, f, news[tr[ite]], D[tr[ite]])
        pa, pb = fit_platt(inner, y[tr])
        t = choose_threshold(y[tr], _sigmoid(pa * inner + pb))
        f = fit_news(cache, corpus, news[tr], D[tr], params)
        margins[te] = news_margins(cache, f, news[te], D[te])
        probs[te] = _sigmoid(pa * margins[te] + pb)
        for a in sorted(set(g[te])):
            thresholds[str(a)] = t
        if (k + 1) % 16 == 0 or k + 1 == len(splits):
            log(f"  news fold {k + 1}/{len(splits)} ({time.perf_counter() - t0:.0f}s)")
    pred = np.zeros(len(news), int)
    for a, t in thresholds.items():
        m = g == a
        pred[m] = probs[m] >= t
    return {"margins": margins, "probs": probs, "pred": pred, "thresholds": thresholds}


def loao_report(y, oof: dict, source: np.ndarray) -> dict:
    """Figures overall and per news set, from ``nested_loao``'s held-out predictions."""
    out = metrics(y, oof["pred"], oof["margins"])
    out["thresholds"] = oof["thresholds"]
    sets = sorted(set(source))
    if len(sets) > 1:
        out["per_set"] = {
            s: metrics(y[source == s], oof["pred"][source == s], oof["margins"][source == s])
            for s in sets
        }
    return out


def debate_oof_general(cache, corpus: Corpus, params: Params, log=print):
    """The general model's out-of-fold margins for every debate sentence (and its content):
    GroupKFold by debate."""
    from sklearn.model_selection import GroupKFold

    debates = np.flatnonzero(~corpus.is_news)
    n_splits = min(params.n_splits, len(set(corpus.groups[debates])))
    full = np.zeros(len(debates))
    content = np.zeros(len(debates))
    for k, (tr, te) in enumerate(
        GroupKFold(n_splits=n_splits).split(debates, groups=corpus.groups[debates])
    ):
        vocab, lr = fit_general(cache, corpus, debates[tr], params)
        full[te], content[te] = general_margins(cache, vocab, lr, debates[te])
        log(f"  debate fold {k + 1}/{n_splits}")
    return full, content


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but with fixed zip timestamps, so a rerun is byte-identical."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def export(
    cache: FeatureCache, vocab: dict, lr, news_fit: NewsFit, platt, out_dir: str | Path, meta: dict
) -> None:
    """Write vocab.json + weights.npz (float32 weights; no pickle).

    One word vocabulary serves both models (the union of their columns; a column one
    model does not use has IDF 0 there), so the scorer looks each n-gram up once.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    coef = lr.coef_[0]
    wcols, widf = vocab["word"]
    ccols, cidf = vocab["char"]
    nw, nc = len(wcols), len(ccols)
    union = np.union1d(wcols, news_fit.cols)
    pos = {c: i for i, c in enumerate(union.tolist())}
    word_idf = np.zeros(len(union))
    word_coef = np.zeros(len(union))
    news_idf = np.zeros(len(union))
    news_coef = np.zeros(len(union))
    at = np.array([pos[c] for c in wcols.tolist()], dtype=np.int64)
    word_idf[at], word_coef[at] = widf, coef[:nw]
    ncoef = news_fit.lr.coef_[0]
    at = np.array([pos[c] for c in news_fit.cols.tolist()], dtype=np.int64)
    news_idf[at], news_coef[at] = news_fit.idf, ncoef[: len(news_fit.cols)]
    with open(out_dir / VOCAB_FILE, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "meta": meta,
                "hand": HAND_FEATURES,
                "news_dense": NEWS_DENSE,
                "word": [str(x) for x in cache.word_names[union]],
                "char": [str(x) for x in cache.char_names[ccols]],
            },
            fh,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    _write_npz(
        out_dir / WEIGHTS_FILE,
        {
            "word_idf": word_idf.astype(np.float32),
            "word_coef": word_coef.astype(np.float32),
            "news_word_idf": news_idf.astype(np.float32),
            "news_word_coef": news_coef.astype(np.float32),
            "char_idf": cidf.astype(np.float32),
            "char_coef": coef[nw : nw + nc].astype(np.float32),
            "hand_coef": coef[nw + nc :].astype(np.float32),
            "hand_scale": np.full(len(HAND_FEATURES), cache.params.hand_scale, dtype=np.float32),
            "news_dense_coef": ncoef[len(news_fit.cols) :].astype(np.float32),
            "scalars": np.array(
                [lr.intercept_[0], platt[0], platt[1], news_fit.lr.intercept_[0]], dtype=np.float64
            ),
        },
    )


def _round(d):
    if isinstance(d, dict):
        return {k: _round(v) for k, v in d.items()}
    if isinstance(d, float):
        return round(d, 4)
    return d


def _fmt(name: str, m: dict) -> str:
    return (
        f"{name:<40} n={m['n']:>6} F1={m['f1_cw']:.3f} P={m['precision_cw']:.3f} "
        f"R={m['recall_cw']:.3f} spec={m['specificity']:.3f} AP={m['ap']:.3f}"
    )


def train(
    data_path: str | Path = DEFAULT_DATA,
    news_path: str | Path | Sequence[str | Path] = DEFAULT_NEWS,
    out_dir: str | Path = MODEL_DIR,
    params: Params | None = None,
    limit_groups: int | None = None,
    limit_articles: int | None = None,
    news_folds: int | None = None,
    evaluate_debates: bool = True,
    verbose: bool = True,
) -> dict:
    """Grouped evaluation, final fit, export. Returns the report (also stored in ``meta``)."""
    params = params or Params()
    log = print if verbose else (lambda *a, **k: None)
    t_start = time.perf_counter()
    news_paths = [news_path] if isinstance(news_path, (str, Path)) else list(news_path)
    cb = load_claimbuster(data_path, limit_groups=limit_groups)
    news = load_news(news_paths, limit_articles=limit_articles)
    corpus = concat(cb, news)
    n_debates, n_articles = len(set(cb.groups)), len(set(news.groups))
    log(
        f"ClaimBuster: {len(cb.texts)} sentences, {n_debates} debates, {cb.y.mean():.1%} check-worthy"
    )
    for name in sorted(set(news.source)):
        m = news.source == name
        log(
            f"News {name}: {int(m.sum())} sentences, {len(set(news.groups[m]))} articles, "
            f"{news.y[m].mean():.1%} check-worthy"
        )
    cache = FeatureCache(corpus.texts, params)
    log(f"Features computed ({time.perf_counter() - t_start:.0f}s)")
    report: dict = {
        "params": params.__dict__.copy(),
        "n_debate_sentences": len(cb.texts),
        "n_debates": n_debates,
        "n_news_sentences": len(news.texts),
        "n_articles": n_articles,
        "news_sets": sorted(set(news.source)),
    }
    debates = np.flatnonzero(~corpus.is_news)
    news_rows = np.flatnonzero(corpus.is_news)

    # The general model sees debates only, so every news sentence is unseen by it: it is
    # fitted once and its margins are features of the news model in every fold.
    log("General model on all debates ...")
    vocab, lr = fit_general(cache, corpus, debates, params)
    d_full, d_content = general_margins(cache, vocab, lr, news_rows)
    D = cache.dense(news_rows, d_full, d_content, corpus.first[news_rows])

    log(
        "News, leave-one-article-out (nested):"
        if news_folds is None
        else f"News, GroupKFold({news_folds}) by article:"
    )
    oof = nested_loao(cache, corpus, news_rows, D, params, folds=news_folds, log=log)
    report["news_loao"] = loao_report(news.y, oof, news.source)
    platt = fit_platt(oof["margins"], news.y)
    threshold = choose_threshold(news.y, _sigmoid(platt[0] * oof["margins"] + platt[1]))
    report["threshold"] = threshold
    report["platt"] = list(platt)

    log("Fitting the news model on all news ...")
    news_fit = fit_news(cache, corpus, news_rows, D, params)

    if evaluate_debates:
        log("Debates, GroupKFold by debate:")
        g_full, g_content = debate_oof_general(cache, corpus, params, log=log)
        deb_m = news_margins(
            cache,
            news_fit,
            debates,
            cache.dense(debates, g_full, g_content, corpus.first[debates]),
        )
        deb_p = _sigmoid(platt[0] * deb_m + platt[1])
        report["debates_at_threshold"] = metrics(cb.y, deb_p >= threshold, deb_m)
        # Debate-calibrated cut (debates are 24 % check-worthy, news 58 %).
        da, db = fit_platt(deb_m, cb.y)
        report["debates_at_0.5_debate_calibrated"] = metrics(
            cb.y, _sigmoid(da * deb_m + db) >= 0.5, deb_m
        )

    meta = {
        "datasets": [
            "ClaimBuster crowdsourced.csv (Arslan et al., ICWSM 2020), CC BY 4.0",
            *(
                f"{name} check-worthiness labels, see ATTRIBUTION.md"
                for name in report["news_sets"]
            ),
        ],
        "n_train": len(corpus.y),
        "char_ngram_range": list(CHAR_NGRAM_RANGE),
        "params": params.__dict__.copy(),
        "platt": list(platt),
        "threshold": threshold,
        "threshold_source": (
            f"{' + '.join(report['news_sets'])} leave-one-article-out probabilities: best "
            f"smoothed check-worthy F1 with specificity >= {MIN_SPECIFICITY}"
        ),
        "evaluation": _round(
            {k: v for k, v in report.items() if k.startswith(("news_loao", "debates_"))}
        ),
    }
    export(cache, vocab, lr, news_fit, platt, out_dir, meta)
    # The exported numpy scorer must reproduce the pipeline: score whole articles in order.
    model = load_model(out_dir)
    arts = sorted(set(news.groups))[:8]
    rows = news_rows[np.isin(corpus.groups[news_rows], arts)]
    Dr = D[np.isin(corpus.groups[news_rows], arts)]
    sk = _sigmoid(platt[0] * news_margins(cache, news_fit, rows, Dr) + platt[1])
    ours = np.concatenate(
        [
            model.predict_proba([corpus.texts[i] for i in rows if corpus.groups[i] == a])
            for a in sorted(set(corpus.groups[rows]), key=list(corpus.groups[rows]).index)
        ]
    )
    report["export_max_abs_diff"] = float(np.max(np.abs(sk - ours)))
    log(
        f"Exported to {out_dir} (max |sklearn - numpy scorer| = {report['export_max_abs_diff']:.2e})"
    )
    if report["export_max_abs_diff"] > 1e-4:
        raise RuntimeError("exported scorer does not reproduce the sklearn model")

    log("")
    loao = report["news_loao"]
    log(_fmt("news, LOAO (nested), all sets", loao))
    for name, m in loao.get("per_set", {}).items():
        log(_fmt(f"news, LOAO (nested), {name}", m))
    if evaluate_debates:
        log(_fmt("debates, GroupKFold, shipped threshold", report["debates_at_threshold"]))
        log(
            _fmt(
                "debates, GroupKFold, debate-calibrated 0.5",
                report["debates_at_0.5_debate_calibrated"],
            )
        )
    log(f"Threshold (news-calibrated probability): {threshold:.2f}")
    log(f"Total time {time.perf_counter() - t_start:.0f}s")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="ClaimBuster crowdsourced.csv")
    ap.add_argument(
        "--news",
        action="append",
        help="labelled news sentences.jsonl (or a folder); repeat for several sets "
        "(default: " + ", ".join(str(p) for p in DEFAULT_NEWS_SETS) + ")",
    )
    ap.add_argument("--out", default=str(MODEL_DIR), help="artifact directory")
    ap.add_argument("--C", type=float, default=Params.C)
    ap.add_argument("--news-C", type=float, default=Params.news_C)
    ap.add_argument(
        "--news-folds", type=int, default=None, help="GroupKFold over articles instead of LOAO"
    )
    ap.add_argument("--no-debates", action="store_true", help="skip the debate cross-validation")
    ap.add_argument("--json", help="also write the evaluation report as JSON here")
    args = ap.parse_args(argv)
    report = train(
        args.data,
        args.news or DEFAULT_NEWS_SETS,
        args.out,
        Params(C=args.C, news_C=args.news_C),
        news_folds=args.news_folds,
        evaluate_debates=not args.no_debates,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
