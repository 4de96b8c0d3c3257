"""Reassign a reviewer's open claims when their account is deactivated."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .. import outbox
from ..models import Claim
from .matching import index_claims


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _remember_active(sender, instance, update_fields=None, **kwargs):
    # Logins save last_login alone: no need to look up the old is_active then.
    if update_fields is not None and "is_active" not in update_fields:
        return
    if instance.pk:
        instance._was_active = (
            sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
        )


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _release_claims_on_deactivation(sender, instance, created, **kwargs):
    if created or instance.is_active or not getattr(instance, "_was_active", False):
        return
    if Claim.objects.filter(assignee=instance, status__in=Claim.REVIEW_STATUSES).exists():
        outbox.send_on_commit(outbox.RELEASE_REVIEWER, instance.pk)


@receiver(post_save, sender="claims.Claim")
def _index_new_claim(sender, instance, created, raw=False, **kwargs):
    # Claims made one at a time (admin, tests, fixtures) join the search and
    # similarity index; extraction bulk-creates and indexes in its own transaction.
    if created and not raw:
        index_claims([instance])


def _release_if_no_longer_reviewer(sender, instance, action, reverse, pk_set=None, **kwargs):
    """Someone left the Reviewers group (or lost the permission): hand their work on.
    The task re-checks, so a user who still reviews through another group keeps it."""
    if action not in ("post_remove", "post_clear"):
        return
    User = get_user_model()
    if reverse:  # group.user_set.remove(...) / permission.user_set.remove(...)
        user_ids = list(pk_set or [])
    else:
        user_ids = [instance.pk]
    for user_id in (
        User.objects.filter(
            pk__in=user_ids,
            assigned_claims__status__in=Claim.REVIEW_STATUSES,
        )
        .values_list("pk", flat=True)
        .distinct()
    ):
        outbox.send_on_commit(outbox.RELEASE_REVIEWER, user_id)


def _connect_membership_signals():
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            _release_if_no_longer_reviewer,
            sender=through,
            dispatch_uid=f"claims-release-{through._meta.label}",
        )


_connect_membership_signals()
