"""Admin for webhooks and their deliveries: register, inspect, retry failures."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from . import webhooks
from .models import Webhook, WebhookDelivery


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Webhook.Event.choices,
        initial=[Webhook.Event.CLAIM_PUBLISHED],
        widget=forms.CheckboxSelectMultiple,
    )
    # Write-only: the stored secret never goes back to a browser. A new webhook
    # gets a generated secret, shown once in the message after saving.
    new_secret = forms.CharField(
        label="Secret",
        required=False,
        min_length=16,
        max_length=128,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Shared HMAC secret. Leave blank to keep the current one "
        "(or, for a new webhook, to generate one).",
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

    @admin.display(description="failed deliveries")
    def failed_count(self, obj):
        return obj.deliveries.filter(status=WebhookDelivery.Status.FAILED).count()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change and not form.cleaned_data.get("new_secret"):
            self.message_user(
                request,
                f"The webhook's generated secret is {obj.secret} — copy it now: "
                "it will not be shown again.",
                messages.WARNING,
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "webhook", "claim", "status", "attempts",
                    "last_status_code", "created_at", "delivered_at")
    list_filter = ("status", "event", "webhook")
    list_select_related = ("webhook", "claim")
    readonly_fields = ("webhook", "claim", "event", "key", "payload", "status", "attempts",
                       "attempt_log", "last_status_code", "last_error", "next_attempt_at",
                       "delivered_at", "created_at")
    actions = ["retry_deliveries"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry selected failed deliveries", permissions=["change"])
    def retry_deliveries(self, request, queryset):
        retried = sum(webhooks.retry_delivery(d) for d in queryset)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(request, f"Retrying {retried} deliveries.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} deliveries were not failed, so were left alone.",
                messages.WARNING,
            )
