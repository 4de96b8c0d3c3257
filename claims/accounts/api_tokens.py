"""Revoke a user's API tokens when their password changes or their account is
switched off: a token must not outlive the credential it was issued for."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import AuthToken


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_credential_change(sender, instance, update_fields=None, **kwargs):
    if not instance.pk:
        return
    # set_password() leaves the raw password in _password until the save;
    # Django's silent hash upgrade on login clears it first, so it is not counted.
    changed = getattr(instance, "_password", None) is not None
    if not instance.is_active and (update_fields is None or "is_active" in update_fields):
        changed = changed or AuthToken.objects.filter(user_id=instance.pk).exists()
    instance._revoke_api_tokens = changed


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_api_tokens(sender, instance, created, **kwargs):
    if getattr(instance, "_revoke_api_tokens", False):
        AuthToken.objects.filter(user_id=instance.pk).delete()
        instance._revoke_api_tokens = False
