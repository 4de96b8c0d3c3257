"""A ceiling on guesses at one account from all addresses together.

django-axes locks a (user name, client address) pair after AXES_FAILURE_LIMIT
failures, so one attacker behind the newsroom's proxy cannot lock everybody
out. On its own that leaves one account open to guessing from many addresses;
this backend refuses password logins to an account that has had
ACCOUNT_FAILURE_LIMIT failures (from all addresses) within the axes cool-off.
It lifts when the cool-off ends, or when an admin runs
``manage.py axes_reset_username <name>``. That a determined attacker can hold one
account shut this way is the price of limiting guesses at it; the default
ceiling (50) is well above what a person mistyping reaches.

Counts come from axes' own AccessAttempt rows, so there is one record of
failures, not two.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.utils import timezone


def recent_failures(username: str) -> int:
    since = timezone.now() - get_cool_off()
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


class AccountGuessingLimitBackend:
    """Placed before ModelBackend: refuses, never authenticates. It has no
    get_user, so sessions (and the test client's force_login) skip it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and recent_failures(username) >= settings.ACCOUNT_FAILURE_LIMIT:
            raise PermissionDenied("Too many failed logins for this account.")
        return None
