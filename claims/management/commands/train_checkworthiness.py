"""Train the check-worthiness model:
``manage.py train_checkworthiness --data crowdsourced.csv --news A.jsonl [--news B.jsonl] [--out DIR]``.

A thin wrapper: the work is in ``claims.extraction.training`` (pure Python +
scikit-learn, no Django), which prints the grouped evaluation figures.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction import training
from claims.extraction.model import MODEL_DIR


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model on ClaimBuster debates plus labelled news, "
        "evaluate it leave-one-article-out on news and GroupKFold by debate, choose the "
        "threshold on news, and export it (vocab.json + weights.npz)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="path to ClaimBuster crowdsourced.csv")
        parser.add_argument(
            "--news",
            action="append",
            help="labelled news sentences.jsonl (or a folder of JSONL); repeat for several "
            "sets, whose article ids are kept apart (default: the sets in "
            "training.DEFAULT_NEWS_SETS)",
        )
        parser.add_argument(
            "--out", default=str(MODEL_DIR), help=f"artifact directory (default: {MODEL_DIR})"
        )
        parser.add_argument("--C", type=float, default=training.Params.C)
        parser.add_argument("--news-C", type=float, default=training.Params.news_C)
        parser.add_argument("--json", default=None, help="also write the evaluation report here")

    def handle(self, data, news, out, **options):
        news = news or [str(p) for p in training.DEFAULT_NEWS_SETS]
        for path in (data, *news):
            if not Path(path).exists():
                raise CommandError(f"{path} does not exist")
        params = training.Params(C=options["C"], news_C=options["news_C"])
        try:
            report = training.train(data_path=data, news_path=news, out_dir=out, params=params)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options.get("json"):
            Path(options["json"]).write_text(json.dumps(report, indent=2))
        self.stdout.write(
            self.style.SUCCESS(
                f"Model written to {out}; threshold {report['threshold']:.2f}. "
                f"Set THRESHOLD in claims/extraction/checkworthiness.py to it."
            )
        )
