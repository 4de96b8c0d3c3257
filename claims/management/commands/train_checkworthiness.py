"""Train the check-worthiness model: ``manage.py train_checkworthiness --data PATH [--out PATH]``.

A thin wrapper: all the work is in ``claims.extraction.training`` (pure Python +
scikit-learn, no Django), which prints the held-out evaluation figures.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model on ClaimBuster crowdsourced.csv, evaluate it on "
        "held-out debates and labelled news, and export it (vocab.json + weights.npz)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        from claims.extraction.model import MODEL_DIR

        parser.add_argument("--data", required=True, help="path to ClaimBuster crowdsourced.csv")
        parser.add_argument(
            "--out", default=str(MODEL_DIR), help=f"artifact directory (default: {MODEL_DIR})"
        )
        parser.add_argument(
            "--news", default=None, help="labelled news JSONL directory (default: bench/data/news)"
        )
        parser.add_argument("--json", default=None, help="also write the evaluation report here")

    def handle(self, data, out, news, **options):
        from claims.extraction import training

        report = training.train(
            data_path=data,
            out_dir=out,
            news_dir=news if news is not None else training.DEFAULT_NEWS_DIR,
        )
        if options.get("json"):
            import json

            Path(options["json"]).write_text(json.dumps(report, indent=2))
        self.stdout.write(
            self.style.SUCCESS(f"Model written to {out}; news threshold {report['threshold']:.2f}")
        )
