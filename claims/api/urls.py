"""/api/: the REST API, its OpenAPI schema and its docs (served without a CDN)."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from . import auth, clusters, sources, triage, views
from .errors import not_found

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("clusters", clusters.ClusterViewSet, basename="cluster")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("deliveries", views.WebhookDeliveryViewSet, basename="delivery")
router.register("sources", sources.SourceViewSet, basename="source")
router.register("triage", triage.TriageViewSet, basename="triage")

urlpatterns = [
    path("auth/token/", auth.TokenLoginView.as_view(), name="token"),
    path("auth/tokens/", auth.TokenListView.as_view(), name="tokens"),
    path("auth/tokens/<str:token_id>/", auth.TokenRevokeView.as_view(), name="token-revoke"),
    path("auth/logout/", auth.TokenLogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth.TokenLogoutAllView.as_view(), name="logoutall"),
    # The schema and docs describe the API's shape, not its data, and must be
    # readable before one has a token: they are how the token endpoint is found.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # The split view serves Swagger UI's init script as a file, so the
    # Content-Security-Policy needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema", permission_classes=[AllowAny])
        ),
        name="redoc",
    ),
    *router.urls,
    re_path(r"^.*$", not_found),
]
