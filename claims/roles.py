"""The desk's two roles, as groups with permissions.

Editors triage, assign, sign off and publish; reviewers research the claims
assigned to them and propose verdicts. ``ensure_groups`` runs after every
migrate (and after test flushes), so the groups always exist with these rights.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q

EDITORS = "Editors"
REVIEWERS = "Reviewers"

GROUP_PERMISSIONS = {
    EDITORS: {
        "article": ["add", "view", "change"],
        "claim": ["view", "triage", "assign", "signoff"],
        "evidence": ["view", "add"],
        "verdict": ["view"],
        "claimlog": ["view"],
        "notification": ["view"],
        "webhook": ["add", "change", "delete", "view"],
        "webhookdelivery": ["change", "view"],
        "source": ["add", "change", "delete", "view"],
        "sourceitem": ["view"],
        "auditlog": ["view"],
        "manualtriagerule": ["view", "change"],
        "reviewercapacity": ["add", "change", "delete", "view"],
        "claimcluster": ["view"],  # changed only through review.clusters
    },
    REVIEWERS: {
        "article": ["view"],
        "claim": ["view", "review"],
        "evidence": ["view", "add"],
        "verdict": ["view"],
        "claimlog": ["view"],
        "claimcluster": ["view"],  # the clusters of the claims they may see
    },
}


def ensure_groups(apps=None, app_config=None):
    """Create the groups and grant their permissions; idempotent."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    apps = apps or global_apps
    app_config = app_config or global_apps.get_app_config("claims")
    # Our permissions may not exist yet when this runs (post_migrate handler
    # order, or a test flush); create them first, as both functions are idempotent.
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [f"{verb}_{model}" for model, verbs in spec.items() for verb in verbs]
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=wanted)
        group.permissions.add(*perms)


def _granted(codename: str) -> Q:
    """Holds the permission through a group or directly (superusers are separate)."""
    perm = Q(content_type__app_label="claims", codename=codename)
    return Q(groups__permissions__in=Permission.objects.filter(perm)) | Q(
        user_permissions__in=Permission.objects.filter(perm)
    )


# Who is a reviewer is defined here once, for the queue, assignment, the UI and
# workflow alike: an active user holding ``review_claim`` through a group or
# directly. Being a superuser is not enough: superusers may act on any claim (Django's
# ``has_perm`` grants them everything), but they are not handed queued work unless
# they also hold the permission.


def active_reviewers():
    """Every reviewer, in SQL."""
    return (
        get_user_model().objects.filter(is_active=True).filter(_granted("review_claim")).distinct()
    )


def is_reviewer(user) -> bool:
    """Is ``user`` one of ``active_reviewers()``? (The same query, for one user.)"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return active_reviewers().filter(pk=user.pk).exists()


def is_editor(user) -> bool:
    """Editors sign off and publish: superusers, the Editors group, or the permission
    (the rule of ``active_editors()``, through ``has_perm``)."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm("claims.signoff_claim")
    )


def active_editors():
    """Active users who sign off: superusers, the Editors group, or the permission."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | _granted("signoff_claim"))
        .distinct()
    )
