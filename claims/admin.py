from .backoffice import admin, sources, triage, webhooks  # noqa: F401  (Django autodiscovers claims.admin)
