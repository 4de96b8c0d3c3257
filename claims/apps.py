from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Fact-checking desk"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .accounts import api_tokens  # noqa: F401  (token revocation receivers)
        from .review import signals  # noqa: F401  (claim index and reviewer receivers)

        post_migrate.connect(_ensure_groups, sender=self)


def _ensure_groups(sender, apps=None, **kwargs):
    from .roles import ensure_groups

    ensure_groups(apps, sender)
