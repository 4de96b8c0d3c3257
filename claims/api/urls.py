"""/api/: the REST API, its OpenAPI schema and its docs (served without a CDN)."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from . import sources, views
from .errors import not_found

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("deliveries", views.WebhookDeliveryViewSet, basename="delivery")
router.register("sources", sources.SourceViewSet, basename="source")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    # The schema and docs describe the API's shape, not its data, and must be
    # readable before one has a token: they are how the token endpoint is found.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema",
                                                 permission_classes=[AllowAny]), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema",
                                                permission_classes=[AllowAny]), name="redoc"),
    *router.urls,
    re_path(r"^.*$", not_found),
]
