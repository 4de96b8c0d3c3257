"""Train, evaluate and export the check-worthiness model.

Pure Python + numpy + scikit-learn (no Django). Used by
``python manage.py train_checkworthiness --data ... --news ...`` and runnable directly:

    .venv/bin/python -m claims.extraction.training \\
        --data /work/shared/data/checkworthiness/claimbuster/crowdsourced.csv \\
        --news /work/shared/data/checkworthiness/news-en/sentences.jsonl

Training data: ClaimBuster debate sentences (positive = CFS) plus labelled sentences
of real news articles (``news-en``), the news rows weighted ``news_weight`` times a
debate row (the model is used on news; 937 news rows against 22,501 debate rows).

Validation is always grouped, never by random sentence:

* news: leave-one-article-out (LOAO). For each article, a model is fitted on every
  debate and every *other* news article, and scores the held-out article. The
  threshold (and the Platt calibration) for that article are then chosen on the
  other articles' out-of-fold scores only, so the reported news figures are held out
  twice over (nested). The other articles' out-of-fold scores come from models that
  did see the held-out article in training; re-fitting 31 inner models per article
  would cost 31x more for a second-order effect.
* debates: GroupKFold(5) by debate (``File_id``); each fold's model is fitted on the
  other debates plus all news.

The shipped model is fitted on everything; its Platt calibration is fitted on the
news LOAO margins and its threshold is chosen on the resulting news LOAO
probabilities with the same rule (``choose_threshold``). The seed article is not in
the training or tuning data and nothing here looks at it.

The vocabulary and IDF of each fold come from that fold's training rows only. To
keep 32 + 5 refits affordable, the n-gram counts of every sentence are computed once
(``FeatureCache``); a fold then keeps the columns with enough document frequency in
its training rows, which gives exactly what refitting the vectorizers would give.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import (
    CHAR_NGRAM_RANGE,
    HAND_FEATURES,
    MODEL_DIR,
    VOCAB_FILE,
    WEIGHTS_FILE,
    char_features,
    hand_features,
    load_model,
    word_features,
)

SEED = 20240101
DEFAULT_DATA = Path("/work/shared/data/checkworthiness/claimbuster/crowdsourced.csv")
DEFAULT_NEWS = Path("/work/shared/data/checkworthiness/news-en/sentences.jsonl")

# Product requirement: among thresholds, prefer those that keep at least this share
# of non-check-worthy news sentences out of the queue.
MIN_SPECIFICITY = 0.75

# Published reference (dataset authors' SVM baseline, 4-fold CV on their 2.5:1
# resampled set, macro-F1). Ours is on the full, non-resampled crowdsourced set
# with whole debates held out, so it is not directly comparable.
REFERENCE_SVM_MACRO_F1 = 0.831


@dataclass
class Params:
    C: float = 1.0
    word_min_df: int = 2
    char_min_df: int = 3
    hand_scale: float = 0.5
    news_weight: float = 20.0
    n_splits: int = 5
    seed: int = SEED


@dataclass
class Corpus:
    texts: list[str]
    y: np.ndarray
    groups: np.ndarray  # "debate:<File_id>" or "news:<article>"
    is_news: np.ndarray  # bool


def load_claimbuster(path: str | Path, limit_groups: int | None = None) -> Corpus:
    """Read the ClaimBuster CSV (positive = Verdict 1, CFS). ``limit_groups`` keeps the first N debates."""
    texts, verdict, groups = [], [], []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["Text"])
            verdict.append(int(row["Verdict"]))
            groups.append("debate:" + row["File_id"])
    verdict_a = np.array(verdict)
    groups_a = np.array(groups)
    if limit_groups is not None:
        keep = sorted(set(groups))[:limit_groups]
        mask = np.isin(groups_a, keep)
        texts = [t for t, m in zip(texts, mask) if m]
        verdict_a, groups_a = verdict_a[mask], groups_a[mask]
    return Corpus(texts, (verdict_a == 1).astype(int), groups_a, np.zeros(len(texts), bool))


def load_news(path: str | Path = DEFAULT_NEWS, limit_articles: int | None = None) -> Corpus:
    """Labelled news sentences: a JSONL file (or a folder of them) with ``article``, ``text``
    and ``checkworthy`` (bool) or ``label`` (0/1)."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    rows: list[dict] = []
    for p in files:
        with open(p, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    if limit_articles is not None:
        keep = sorted({r["article"] for r in rows})[:limit_articles]
        rows = [r for r in rows if r["article"] in keep]
    y = np.array([int(r["checkworthy"]) if "checkworthy" in r else int(r["label"]) for r in rows])
    groups = np.array(["news:" + str(r["article"]) for r in rows])
    return Corpus([r["text"] for r in rows], y, groups, np.ones(len(rows), bool))


def concat(a: Corpus, b: Corpus) -> Corpus:
    return Corpus(
        a.texts + b.texts,
        np.concatenate([a.y, b.y]).astype(int),
        np.concatenate([a.groups, b.groups]),
        np.concatenate([a.is_news, b.is_news]),
    )


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------


class FeatureCache:
    """Raw n-gram counts of every sentence, computed once; each fold picks its vocabulary.

    Word block: sublinear TF-IDF, L2-normalised (what ``TfidfVectorizer(sublinear_tf=True)``
    fitted on the fold's training rows gives). Char block: TF-IDF normalised by
    sqrt(sum of idf^2 over n-gram occurrences), linear in counts so the scorer can cache
    it per word (see ``claims.extraction.model``).
    """

    def __init__(self, texts: list[str], params: Params):
        from sklearn.feature_extraction.text import CountVectorizer

        self.params = params
        wv = CountVectorizer(analyzer=word_features, dtype=np.float64)
        cv = CountVectorizer(analyzer=char_features, dtype=np.float64)
        self.W = wv.fit_transform(texts).tocsr()
        self.C = cv.fit_transform(texts).tocsr()
        self.word_names = wv.get_feature_names_out()
        self.char_names = cv.get_feature_names_out()
        self.H = np.array([hand_features(t) for t in texts], dtype=np.float64) * params.hand_scale

    def vocab(self, train: np.ndarray) -> dict:
        """Columns kept and their IDF, from the training rows only."""
        n = len(train)
        out = {}
        for name, M, min_df in (
            ("word", self.W, self.params.word_min_df),
            ("char", self.C, self.params.char_min_df),
        ):
            df = np.bincount(M[train].indices, minlength=M.shape[1])
            cols = np.flatnonzero(df >= min_df)
            out[name] = (cols, np.log((1.0 + n) / (1.0 + df[cols])) + 1.0)
        return out

    def design(self, rows: np.ndarray, vocab: dict):
        from scipy import sparse

        cols, idf = vocab["word"]
        Wr = self.W[rows][:, cols].tocsr()
        Wr.data = 1.0 + np.log(Wr.data)
        Wr = Wr @ sparse.diags(idf)
        sq = np.asarray(Wr.multiply(Wr).sum(axis=1)).ravel()
        Wr = sparse.diags(np.where(sq > 0, 1.0 / np.sqrt(np.maximum(sq, 1e-300)), 0.0)) @ Wr
        cols, idf = vocab["char"]
        Cr = self.C[rows][:, cols].tocsr()
        norm2 = Cr @ (idf**2)
        Cr = (
            sparse.diags(np.where(norm2 > 0, 1.0 / np.sqrt(np.maximum(norm2, 1e-300)), 0.0))
            @ Cr
            @ sparse.diags(idf)
        )
        return sparse.hstack([Wr, Cr, sparse.csr_matrix(self.H[rows])]).tocsr()


def _new_lr(params: Params):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=params.C, solver="liblinear", max_iter=1000, random_state=params.seed
    )


def _weights(corpus: Corpus, rows: np.ndarray, params: Params) -> np.ndarray:
    return np.where(corpus.is_news[rows], params.news_weight, 1.0)


def fit_rows(cache: FeatureCache, corpus: Corpus, train: np.ndarray, params: Params):
    vocab = cache.vocab(train)
    lr = _new_lr(params).fit(
        cache.design(train, vocab), corpus.y[train], sample_weight=_weights(corpus, train, params)
    )
    return vocab, lr


def margins_for(cache: FeatureCache, vocab, lr, rows: np.ndarray) -> np.ndarray:
    return lr.decision_function(cache.design(rows, vocab))


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


def nested_news_eval(y, margins, groups, min_specificity: float = MIN_SPECIFICITY) -> dict:
    """Held-out figures from out-of-fold news margins: for each article, Platt and the
    threshold are fitted on the *other* articles only, then applied to it."""
    y = np.asarray(y)
    pred = np.zeros(len(y), int)
    probs = np.zeros(len(y))
    thresholds = {}
    for g in sorted(set(groups)):
        m = groups == g
        a, b = fit_platt(margins[~m], y[~m])
        t = choose_threshold(y[~m], _sigmoid(a * margins[~m] + b), min_specificity)
        probs[m] = _sigmoid(a * margins[m] + b)
        pred[m] = probs[m] >= t
        thresholds[str(g)] = t
    out = metrics(y, pred, margins)
    out["thresholds"] = thresholds
    return out


# ---------------------------------------------------------------------------
# Cross-validation
# ---------------------------------------------------------------------------


def news_oof_margins(
    cache, corpus: Corpus, params: Params, folds: int | None = None, log=print
) -> np.ndarray:
    """Out-of-fold margins for every news sentence: leave-one-article-out (``folds=None``)
    or GroupKFold over articles (a cheaper setting for exploring parameters)."""
    from sklearn.model_selection import GroupKFold

    news = np.flatnonzero(corpus.is_news)
    debates = np.flatnonzero(~corpus.is_news)
    g = corpus.groups[news]
    arts = sorted(set(g))
    if folds is None or folds >= len(arts):
        splits = [(np.flatnonzero(g != a), np.flatnonzero(g == a)) for a in arts]
    else:
        splits = list(GroupKFold(n_splits=folds).split(news, groups=g))
    out = np.zeros(len(corpus.y))
    t0 = time.perf_counter()
    for k, (tr, te) in enumerate(splits):
        vocab, lr = fit_rows(cache, corpus, np.concatenate([debates, news[tr]]), params)
        out[news[te]] = margins_for(cache, vocab, lr, news[te])
        if (k + 1) % 8 == 0 or k + 1 == len(splits):
            log(f"  news fold {k + 1}/{len(splits)} ({time.perf_counter() - t0:.0f}s)")
    return out[news]


def debate_oof_margins(cache, corpus: Corpus, params: Params, log=print) -> np.ndarray:
    """Out-of-fold margins for every debate sentence: GroupKFold by debate; each fold's
    model also sees all news."""
    from sklearn.model_selection import GroupKFold

    news = np.flatnonzero(corpus.is_news)
    debates = np.flatnonzero(~corpus.is_news)
    n_splits = min(params.n_splits, len(set(corpus.groups[debates])))
    out = np.zeros(len(corpus.y))
    for k, (tr, te) in enumerate(
        GroupKFold(n_splits=n_splits).split(debates, groups=corpus.groups[debates])
    ):
        vocab, lr = fit_rows(cache, corpus, np.concatenate([debates[tr], news]), params)
        out[debates[te]] = margins_for(cache, vocab, lr, debates[te])
        log(f"  debate fold {k + 1}/{n_splits}")
    return out[debates]


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


def export(cache: FeatureCache, vocab: dict, lr, platt, out_dir: str | Path, meta: dict) -> None:
    """Write vocab.json + weights.npz (float32 weights; no pickle)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    coef = lr.coef_[0]
    wcols, widf = vocab["word"]
    ccols, cidf = vocab["char"]
    nw, nc = len(wcols), len(ccols)
    with open(out_dir / VOCAB_FILE, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "meta": meta,
                "hand": HAND_FEATURES,
                "word": [str(x) for x in cache.word_names[wcols]],
                "char": [str(x) for x in cache.char_names[ccols]],
            },
            fh,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    _write_npz(
        out_dir / WEIGHTS_FILE,
        {
            "word_idf": widf.astype(np.float32),
            "word_coef": coef[:nw].astype(np.float32),
            "char_idf": cidf.astype(np.float32),
            "char_coef": coef[nw : nw + nc].astype(np.float32),
            "hand_coef": coef[nw + nc :].astype(np.float32),
            "hand_scale": np.full(len(HAND_FEATURES), cache.params.hand_scale, dtype=np.float32),
            "scalars": np.array([lr.intercept_[0], platt[0], platt[1]], dtype=np.float64),
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
    news_path: str | Path = DEFAULT_NEWS,
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
    cb = load_claimbuster(data_path, limit_groups=limit_groups)
    news = load_news(news_path, limit_articles=limit_articles)
    corpus = concat(cb, news)
    n_debates, n_articles = len(set(cb.groups)), len(set(news.groups))
    log(
        f"ClaimBuster: {len(cb.texts)} sentences, {n_debates} debates, {cb.y.mean():.1%} check-worthy"
    )
    log(
        f"News: {len(news.texts)} sentences, {n_articles} articles, {news.y.mean():.1%} check-worthy"
    )
    cache = FeatureCache(corpus.texts, params)
    report: dict = {
        "params": params.__dict__.copy(),
        "n_debate_sentences": len(cb.texts),
        "n_debates": n_debates,
        "n_news_sentences": len(news.texts),
        "n_articles": n_articles,
    }

    log(
        "News, leave-one-article-out:"
        if news_folds is None
        else f"News, GroupKFold({news_folds}) by article:"
    )
    news_m = news_oof_margins(cache, corpus, params, folds=news_folds, log=log)
    ng = corpus.groups[corpus.is_news]
    report["news_loao"] = nested_news_eval(news.y, news_m, ng)
    platt = fit_platt(news_m, news.y)
    news_p = _sigmoid(platt[0] * news_m + platt[1])
    threshold = choose_threshold(news.y, news_p)
    report["threshold"] = threshold
    report["platt"] = list(platt)

    if evaluate_debates:
        log("Debates, GroupKFold by debate:")
        deb_m = debate_oof_margins(cache, corpus, params, log=log)
        deb_p = _sigmoid(platt[0] * deb_m + platt[1])
        report["debates_at_threshold"] = metrics(cb.y, deb_p >= threshold, deb_m)
        # Debate-calibrated cut (debates are 24 % check-worthy, news 58 %).
        da, db = fit_platt(deb_m, cb.y)
        report["debates_at_0.5_debate_calibrated"] = metrics(
            cb.y, _sigmoid(da * deb_m + db) >= 0.5, deb_m
        )

    log("Fitting the final model on all debates and all news ...")
    everything = np.arange(len(corpus.y))
    vocab, lr = fit_rows(cache, corpus, everything, params)
    meta = {
        "datasets": [
            "ClaimBuster crowdsourced.csv (Arslan et al., ICWSM 2020), CC BY 4.0",
            "news-en check-worthiness labels (32 real news articles), see ATTRIBUTION.md",
        ],
        "n_train": len(corpus.y),
        "char_ngram_range": list(CHAR_NGRAM_RANGE),
        "params": params.__dict__.copy(),
        "platt": list(platt),
        "threshold": threshold,
        "threshold_source": (
            "news-en leave-one-article-out probabilities: best smoothed check-worthy F1 "
            f"with specificity >= {MIN_SPECIFICITY}"
        ),
        "evaluation": _round(
            {k: v for k, v in report.items() if k.startswith(("news_loao", "debates_"))}
        ),
    }
    export(cache, vocab, lr, platt, out_dir, meta)
    model = load_model(out_dir)
    sample = np.arange(0, len(corpus.y), max(1, len(corpus.y) // 500))
    sk = _sigmoid(platt[0] * margins_for(cache, vocab, lr, sample) + platt[1])
    ours = model.predict_proba([corpus.texts[i] for i in sample])
    report["export_max_abs_diff"] = float(np.max(np.abs(sk - ours)))
    log(
        f"Exported to {out_dir} (max |sklearn - numpy scorer| = {report['export_max_abs_diff']:.2e})"
    )
    if report["export_max_abs_diff"] > 1e-4:
        raise RuntimeError("exported scorer does not reproduce the sklearn model")

    log("")
    log(_fmt("news, LOAO (nested threshold)", report["news_loao"]))
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
    ap.add_argument("--news", default=str(DEFAULT_NEWS), help="news-en sentences.jsonl")
    ap.add_argument("--out", default=str(MODEL_DIR), help="artifact directory")
    ap.add_argument("--C", type=float, default=Params.C)
    ap.add_argument("--news-weight", type=float, default=Params.news_weight)
    ap.add_argument(
        "--news-folds", type=int, default=None, help="GroupKFold over articles instead of LOAO"
    )
    ap.add_argument("--no-debates", action="store_true", help="skip the debate cross-validation")
    ap.add_argument("--json", help="also write the evaluation report as JSON here")
    args = ap.parse_args(argv)
    report = train(
        args.data,
        args.news,
        args.out,
        Params(C=args.C, news_weight=args.news_weight),
        news_folds=args.news_folds,
        evaluate_debates=not args.no_debates,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
