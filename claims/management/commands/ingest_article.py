from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import extraction
from claims.intake import submission
from claims.models import Article
from factcheck.localredis import LocalRedisError, ensure_configured_redis


class Command(BaseCommand):
    help = "Store an article (an HTML file or a URL), extract its claims and queue them."

    def add_arguments(self, parser):
        parser.add_argument("source", help="path to an HTML file, or an http(s) URL")
        parser.add_argument("--user", help="username to record as the submitter")
        parser.add_argument(
            "--wait",
            type=float,
            default=30.0,
            help="seconds to wait for a worker to extract the claims (0: don't wait)",
        )

    def handle(self, source, user=None, wait=30.0, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no such user: {user}")
        try:
            ensure_configured_redis()
        except LocalRedisError as exc:
            raise CommandError(str(exc))
        try:
            if source.startswith(("http://", "https://")):
                sub = submission.submit_article(actor=actor, url=source)
            else:
                try:
                    with open(source, "rb") as f:  # past the limit is refused unread
                        extraction.check_size(f.seek(0, 2), settings.MAX_ARTICLE_BYTES)
                        f.seek(0)
                        data = f.read(settings.MAX_ARTICLE_BYTES + 1)
                except extraction.ArticleTooLarge as exc:
                    raise CommandError(str(exc))
                except OSError as exc:
                    raise CommandError(f"cannot read {source}: {exc.strerror or exc}")
                sub = submission.submit_article(actor=actor, html=data, source="command")
        except submission.SubmissionError as exc:
            raise CommandError(str(exc))
        article = sub.article
        if wait:
            article = submission.wait_for_extraction(article.pk, timeout=wait)
        n = article.claims.count()
        note = " (already submitted)" if sub.duplicate else ""
        if article.status not in (Article.Status.EXTRACTED, Article.Status.DUPLICATE):
            note += f" [status: {article.get_status_display().lower()}" + (
                f": {article.error}]" if article.error else "; is a worker running?]"
            )
        self.stdout.write(f"article {article.pk}: {n} claims{note}")
