from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.localredis import LocalRedisError, ensure_configured_redis, run_local_redis


class Command(BaseCommand):
    help = (
        "Start the embedded Redis when REDIS_URL is unset; print the broker URL. "
        "--foreground runs it in this process instead, for a supervisor (bin/run)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--foreground",
            action="store_true",
            help="run the local Redis in the foreground until it is stopped (no daemon)",
        )
        parser.add_argument(
            "--own-process-group",
            action="store_true",
            help="with --foreground: leave the terminal's process group, so Ctrl-C "
            "reaches only the supervisor, which stops Redis after the worker",
        )

    def handle(self, foreground=False, own_process_group=False, **options):
        try:
            if foreground:
                if settings.REDIS_URL_FROM_ENV:
                    raise CommandError("REDIS_URL is set: there is no local Redis to run.")
                self.stdout.write(f"redis (local, foreground): port {settings.LOCAL_REDIS_PORT}")
                self.stdout.flush()
                run_local_redis(
                    settings.LOCAL_REDIS_PORT, Path(settings.VAR_DIR), own_process_group
                )
            url = ensure_configured_redis()
        except LocalRedisError as exc:
            raise CommandError(str(exc))
        source = "REDIS_URL" if settings.REDIS_URL_FROM_ENV else "local"
        self.stdout.write(f"redis ({source}): {url}")
