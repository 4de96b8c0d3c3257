from django.contrib import admin
from django.urls import include, path

from claims.accounts.password_reset import RateLimitedPasswordResetView
from claims.ops import views as ops_views

handler400 = "claims.desk.errors.bad_request"  # a clear "too large"

admin.site.site_header = "factcheck back office"
admin.site.site_title = "factcheck"

urlpatterns = [
    # For load balancers, Docker and Prometheus: no login (metrics: a token).
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # Rate limited; before the include so it wins over Django's view.
    path("accounts/password_reset/", RateLimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("claims.api.urls")),
    path("factchecks/", include("claims.publishing.urls")),
    path("", include("claims.desk.urls")),
]
# MEDIA_URL is never served, in development either: evidence documents leave the
# server only through ``claims:evidence_download``, which checks who may see them
# and sends them as attachments that cannot run on this origin.
