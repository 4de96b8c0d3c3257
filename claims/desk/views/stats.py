"""Numbers for the newsroom: a page with filters, and the same numbers as CSV."""

from __future__ import annotations

import csv
from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...models import Article, Source
from ...review import statistics
from ...review.access import visible_claims
from .common import require_desk_user


class StatsFilter(forms.Form):
    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput({"type": "date"})
    )
    source = forms.ChoiceField(required=False, label=_("Source"))
    reviewer = forms.ChoiceField(required=False, label=_("Reviewer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            ("", _("All sources")),
            *((f"{statistics.MONITORED}{s.pk}", s.name) for s in Source.objects.only("name")),
            *Article.Source.choices,
        ]
        reviewers = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["reviewer"].choices = [
            ("", _("Everyone")),
            *((str(u.pk), u.get_username()) for u in reviewers.only("username")),
        ]

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        today = timezone.localdate()
        last = last or today
        first = first or last - timedelta(days=29)
        if first > last:
            raise forms.ValidationError(_("“From” must not be after “To”."))
        if (last - first).days >= statistics.MAX_DAYS:
            raise forms.ValidationError(
                _("Choose at most %(n)d days.") % {"n": statistics.MAX_DAYS}
            )
        data["window"] = statistics.Window(first, last)
        return data


def _filtered(request):
    """The page's filters applied to the claims this user may see: (form, claims, window)."""
    require_desk_user(request.user)
    form = StatsFilter(request.GET or None)
    claims = visible_claims(request.user)
    if not form.is_bound:
        return form, claims, statistics.Window.ending_today()
    if not form.is_valid():
        return form, claims.none(), statistics.Window.ending_today()
    data = form.cleaned_data
    if data["source"]:
        claims = statistics.filter_by_source(claims, data["source"])
    if data["reviewer"]:
        claims = claims.filter(assignee_id=int(data["reviewer"]))
    return form, claims, data["window"]


@login_required
def stats(request):
    form, claims, window = _filtered(request)
    context = {
        "form": form,
        "window": window,
        "flow": statistics.flow_per_day(claims, window),
        "turnaround": statistics.time_to_verdict(claims, window),
        "load": statistics.reviewer_load(claims, window),
        "mix": statistics.verdict_mix(claims, window),
        "query": request.GET.urlencode(),
    }
    return render(request, "claims/stats.html", context)


class _Echo:
    def write(self, value):
        return value


def _rows(claims, window):
    """Tidy rows, one measure each, so a spreadsheet can pivot them."""
    yield ["section", "day", "source", "reviewer", "rating", "measure", "value"]
    for day, source, n_in, n_out in statistics.flow_per_day(claims, window):
        yield ["flow", day.isoformat(), source, "", "", "claims_in", n_in]
        yield ["flow", day.isoformat(), source, "", "", "claims_out", n_out]
    turnaround = statistics.time_to_verdict(claims, window)
    yield ["time_to_verdict", "", "", "", "", "verdicts", turnaround["verdicts"]]
    for p in ("p50", "p90"):
        value = turnaround[p]
        yield [
            "time_to_verdict",
            "",
            "",
            "",
            "",
            f"{p}_hours",
            "" if value is None else round(value, 2),
        ]
    for name, open_now, proposed in statistics.reviewer_load(claims, window):
        yield ["reviewer_load", "", "", name, "", "open_claims", open_now]
        yield ["reviewer_load", "", "", name, "", "verdicts_proposed", proposed]
    for value, _label, n in statistics.verdict_mix(claims, window):
        yield ["verdict_mix", "", "", "", value, "claims", n]


@login_required
def stats_csv(request):
    """The page's numbers as CSV, under the page's filters, written as it is read."""
    form, claims, window = _filtered(request)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _rows(claims, window)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"desk-statistics-{window.first.isoformat()}-{window.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
