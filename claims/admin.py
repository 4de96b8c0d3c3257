from .backoffice import admin, clusters, sources, triage, webhooks  # noqa: F401  (Django autodiscovers claims.admin)
