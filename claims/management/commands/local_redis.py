from django.conf import settings
from django.core.management.base import BaseCommand

from factcheck.localredis import ensure_configured_redis


class Command(BaseCommand):
    help = "Start the embedded Redis when REDIS_URL is unset; print the broker URL."
    requires_system_checks = []

    def handle(self, **options):
        url = ensure_configured_redis()
        source = "REDIS_URL" if settings.REDIS_URL_FROM_ENV else "local"
        self.stdout.write(f"redis ({source}): {url}")
