from .backoffice import admin, sources, webhooks  # noqa: F401  (Django autodiscovers claims.admin)
