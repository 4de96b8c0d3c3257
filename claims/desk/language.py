"""The language the desk speaks to a signed-in user: their choice, when they made one.

``LocaleMiddleware`` has already picked a language from Accept-Language; a user who
chose one on the desk (``DeskPreference``) gets theirs instead, on every device.
The choice is read once per login and kept in the session (a login starts a fresh
session), so a page costs no extra query.
"""

from __future__ import annotations

from django.utils import translation

from ..models import DeskPreference

SESSION_KEY = "desk_language"


def remember(request, language: str) -> None:
    """Use ``language`` ("" for the browser's) for this session from now on."""
    request.session[SESSION_KEY] = language


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if SESSION_KEY not in request.session:
                remember(request, DeskPreference.language_of(user.pk))
            chosen = request.session[SESSION_KEY]
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
