"""Reassign a reviewer's open claims when their account is deactivated."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver


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
    from .models import Claim
    from .tasks import enqueue_on_commit, release_reviewer_claims

    if Claim.objects.filter(assignee=instance, status__in=Claim.REVIEW_STATUSES).exists():
        enqueue_on_commit(release_reviewer_claims, instance.pk)


@receiver(post_save, sender="claims.Claim")
def _index_new_claim(sender, instance, created, raw=False, **kwargs):
    # Claims made one at a time (admin, tests, fixtures) join the search and
    # similarity index; extraction bulk-creates and indexes in its own transaction.
    if created and not raw:
        from .matching import index_claims

        index_claims([instance])
