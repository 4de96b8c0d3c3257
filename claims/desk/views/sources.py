"""Monitored sources on the desk: the list with counts, and one source's items.

Editors only: sources are the desk's intake, which editors run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import outbox
from ...intake import sources
from ...models import Article, Source, SourceItem
from ...review import workflow

ITEMS_PER_PAGE = 50


def get_source_for_user(request, pk) -> Source:
    if not workflow.is_editor(request.user):
        raise PermissionDenied(_("Only editors can see the monitored sources."))
    return get_object_or_404(Source.objects.with_counts(), pk=pk)


@login_required
def source_list(request):
    if not workflow.is_editor(request.user):
        raise PermissionDenied(_("Only editors can see the monitored sources."))
    rows = Source.objects.with_counts()
    return render(request, "claims/source_list.html", {"sources": rows})


@login_required
def source_detail(request, pk):
    source = get_source_for_user(request, pk)
    items = source.items.select_related("article").defer(
        "article__raw_html", "article__text", "article__links"
    )
    failures = items.filter(
        Q(outcome=SourceItem.Outcome.FAILED)
        | Q(outcome=SourceItem.Outcome.NEW, article__status=Article.Status.FAILED)
    )[:ITEMS_PER_PAGE]
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "claims/source_detail.html", {"source": source, "failures": failures, "page": page}
    )


@login_required
@require_POST
def source_poll(request, pk):
    source = get_source_for_user(request, pk)
    if not source.active:
        messages.warning(request, _("This source is paused; activate it in the admin first."))
        return redirect(source)
    with transaction.atomic():
        sources.request_poll(source)
        outbox.send_on_commit(outbox.POLL_SOURCES)
    messages.success(
        request, _("Polling “%(name)s” now; new items appear below.") % {"name": source.name}
    )
    return redirect(source)
