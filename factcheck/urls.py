from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from claims.password_reset import RateLimitedPasswordResetView

handler400 = "claims.error_views.bad_request"  # sec-net: a clear "too large"

admin.site.site_header = "factcheck back office"
admin.site.site_title = "factcheck"

urlpatterns = [
    path("admin/", admin.site.urls),
    # sec-net: rate limited; before the include so it wins over Django's view.
    path("accounts/password_reset/", RateLimitedPasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("claims.api.urls")),
    path("factchecks/", include("claims.public_urls")),
    path("", include("claims.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
