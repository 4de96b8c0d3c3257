from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "factcheck back office"
admin.site.site_title = "factcheck"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("claims.api.urls")),
    path("factchecks/", include("claims.public_urls")),
    path("", include("claims.urls")),
]
# MEDIA_URL is never served, in development either: evidence documents leave the
# server only through ``claims:evidence_download``, which checks who may see them
# and sends them as attachments that cannot run on this origin.
