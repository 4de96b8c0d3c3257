"""Rate limits on writes. Reads are not throttled."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle


class WriteRateThrottle(UserRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["writes"]`` per user (or per IP
    when anonymous) across all unsafe methods."""

    scope = "writes"

    def get_rate(self):
        # Read at request time, not import time, so a settings change applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
