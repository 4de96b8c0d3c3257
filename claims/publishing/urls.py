"""Public, read-only fact-check pages and feeds (no login). Mounted at /factchecks/."""

from django.urls import path

from . import (
    converters,  # noqa: F401  (registers fc_id)
    views,
)

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed.json", views.feed_json, name="feed_json"),
    path("feed.atom", views.feed_atom, name="feed_atom"),
    path("<fc_id:pk>/", views.claim_page, name="claim_short"),
    path("<fc_id:pk>-<slug:slug>/", views.claim_page, name="claim"),
]
