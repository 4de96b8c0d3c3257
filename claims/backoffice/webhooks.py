"""Admin for webhooks and their deliveries: register, inspect, retry failures."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import AuditLog, Webhook, WebhookDelivery, default_webhook_events
from ..publishing import webhooks


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices,
        initial=default_webhook_events,
        widget=forms.CheckboxSelectMultiple,
    )
    # Write-only: the stored secret never goes back to a browser. A new webhook
    # gets a generated secret, shown once in the message after saving.
    new_secret = forms.CharField(
        label=_("Secret"),
        required=False,
        min_length=16,
        max_length=128,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Shared HMAC secret. Leave blank to keep the current one "
            "(or, for a new webhook, to generate one)."
        ),
    )

    class Meta:
        model = Webhook
        fields = ("url", "description", "events", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.secret:
            self.fields["new_secret"].help_text = (
                f"Set; ends in …{self.instance.secret[-4:]}. " + self.fields["new_secret"].help_text
            )

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit=commit)

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhooks.validate_webhook_url(url)
        except webhooks.WebhookError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("__str__", "url", "active", "created_by", "created_at", "failed_count")
    list_filter = ("active",)
    search_fields = ("url", "description")
    readonly_fields = ("created_by", "created_at")

    @admin.display(description=_("failed deliveries"))
    def failed_count(self, obj):
        return obj.deliveries.filter(status=WebhookDelivery.Status.FAILED).count()

    def save_model(self, request, obj, form, change):
        # Every configuration change is audited with its actor (claims.AuditLog).
        changed = [("secret" if f == "new_secret" else f) for f in form.changed_data]
        webhooks.save_webhook(obj, actor=request.user, changed=changed if change else None)
        if not change and not form.cleaned_data.get("new_secret"):
            self.message_user(
                request,
                _(
                    "The webhook's generated secret is %(secret)s — copy it now: "
                    "it will not be shown again."
                )
                % {"secret": obj.secret},
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        webhooks.delete_webhook(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for hook in queryset:
            webhooks.delete_webhook(hook, actor=request.user)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "event",
        "webhook",
        "claim",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook", "claim")
    readonly_fields = (
        "webhook",
        "claim",
        "event",
        "key",
        "payload",
        "status",
        "attempts",
        "attempt_log",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    )
    actions = ["retry_deliveries"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry selected failed deliveries"), permissions=["change"])
    def retry_deliveries(self, request, queryset):
        retried = sum(webhooks.retry_delivery(d) for d in queryset)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request, _("Retrying %(n)d deliveries.") % {"n": retried}, messages.SUCCESS
            )
        if skipped:
            self.message_user(
                request,
                _("%(n)d deliveries were not failed, so were left alone.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (a database trigger enforces it)."""

    list_display = ("created_at", "action", "actor_name", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id")
    readonly_fields = (
        "created_at",
        "action",
        "actor",
        "object_type",
        "object_id",
        "object_repr",
        "data",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
