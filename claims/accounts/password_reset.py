"""Password reset, rate limited per client address and per email address.

Counters live in the cache (CACHE_URL: Redis in production, so every web
worker shares them). Over the per-address limit the form says so (429). Over
the per-email limit the answer is the usual "check your email" page and no
email goes out, so a stranger learns nothing about the address and cannot use
the form to flood someone's inbox.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpResponseRedirect

from .client_ip import client_ip

WINDOW_SECONDS = 3600


def within_limit(kind: str, value: str, limit: int) -> bool:
    """Count one more request for ``value``; False once ``limit`` is passed this hour."""
    key = f"pwreset:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


class RateLimitedPasswordResetView(PasswordResetView):
    def post(self, request, *args, **kwargs):
        if not within_limit("ip", client_ip(request), settings.PASSWORD_RESET_PER_ADDRESS):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                "Too many password reset requests from your network. "
                "Try again in an hour, or ask an administrator.",
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().casefold()
        if not within_limit("email", email, settings.PASSWORD_RESET_PER_EMAIL):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
