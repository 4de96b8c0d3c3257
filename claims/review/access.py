"""Who may see what: one rule for the web app, the admin and the API.

Editors (and superusers) see every claim; reviewers see the claims assigned to
them plus the unassigned ones waiting in the queue, which they may take;
everyone else sees nothing.
"""

from __future__ import annotations

from django.db.models import Q

from .. import roles
from ..models import Claim


def is_desk_user(user) -> bool:
    return bool(
        user and user.is_authenticated and (roles.is_editor(user) or roles.is_reviewer(user))
    )


def visible_claims(user, queryset=None):
    """The claims ``user`` may see, as a filter on ``queryset`` (all claims by default)."""
    qs = Claim.objects.all() if queryset is None else queryset
    if not is_desk_user(user):
        return qs.none()
    if roles.is_editor(user) or user.is_superuser:
        return qs
    return qs.filter(
        Q(assignee=user)
        | Q(assignee=None, status__in=[Claim.Status.EXTRACTED, Claim.Status.QUEUED])
    )
