"""Public, read-only fact-check pages and feeds (no login). Mounted at /factchecks/."""

from django.urls import path

from . import (
    converters,  # noqa: F401  (registers fc_id)
    public_views,
)

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("feed.json", public_views.feed_json, name="feed_json"),
    path("feed.atom", public_views.feed_atom, name="feed_atom"),
    path("<fc_id:pk>/", public_views.claim_page, name="claim_short"),
    path("<fc_id:pk>-<slug:slug>/", public_views.claim_page, name="claim"),
]
