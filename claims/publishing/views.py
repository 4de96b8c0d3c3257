"""The public side: one page per published fact-check, an index, and two feeds.

No login. Nothing here ever shows a claim that was never published: every lookup
goes through ``pages.public_claims()``, so an unpublished or unknown id is
the same 404. A withdrawn fact-check keeps its page, which says it was withdrawn,
when and why, and is not indexed by search engines.
"""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from . import pages
from .feeds import ClaimReviewAtomFeed, feed_page, page_links


def in_publishing_language(view):
    """Answer in ``PUBLISHING_LANGUAGE`` whatever the visitor's Accept-Language or
    desk setting: a search engine must see one language per site. The response is
    rendered inside, so every string and date is in that language."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with translation.override(settings.PUBLISHING_LANGUAGE):
            response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = settings.PUBLISHING_LANGUAGE
        return response

    return wrapper


def _public_or_404(pk: int):
    claim = pages.public_claims().filter(pk=pk).first()
    if claim is None:
        raise Http404("No such fact-check.")
    return claim


def _render(request, template, context):
    context["organization_name"] = settings.FACTCHECK_ORGANIZATION_NAME
    return render(request, template, context)


@in_publishing_language
@require_safe
def claim_page(request, pk, slug=None):
    claim = _public_or_404(pk)
    canonical = pages.public_path(claim)
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    withdrawn = claim.is_withdrawn
    response = _render(
        request,
        "public/claim.html",
        {
            "claim": claim,
            "article": claim.article,
            "verdict": claim.verdict,
            "withdrawn": withdrawn,
            "said_on": pages.said_on(claim),
            "appearances": [] if withdrawn else pages.appearances(claim)[1:],
            "canonical_url": pages.public_url(claim),
            "jsonld": None if withdrawn else pages.jsonld_script_body(pages.claimreview(claim)),
        },
    )
    if withdrawn:
        response["X-Robots-Tag"] = "noindex"
    return response


@in_publishing_language
@require_safe
def index(request):
    page = feed_page(request)
    page.object_list = list(page.object_list)
    for claim in page.object_list:
        claim.public_path = pages.public_path(claim)
    return _render(
        request,
        "public/index.html",
        {
            "page": page,
            "links": page_links(page, "public:index"),
        },
    )


# ---------------------------------------------------------------------------
# Feeds: conditional GET (ETag, Last-Modified) and a cache keyed by the ETag,
# so a change to the published set is a new key and nothing stale is served.


def _state(request):
    if not hasattr(request, "_public_set_state"):
        request._public_set_state = pages.public_set_state()
    return request._public_set_state


def _etag(kind):
    def etag(request, *args, **kwargs):
        return pages.feed_etag(kind, request.GET.get("page", "1"), _state(request))

    return etag


def _last_modified(request, *args, **kwargs):
    return _state(request)[1]


def _cache_seconds() -> int:
    return getattr(settings, "PUBLIC_FEED_CACHE_SECONDS", 300)


def _cached(kind, request, render_body):
    key = f"public-feed:{kind}:{_etag(kind)(request)}"
    body = cache.get(key)
    if body is None:
        body = render_body()
        cache.set(key, body, _cache_seconds())
    return body


def _finish(response, links):
    patch_cache_control(response, public=True, max_age=_cache_seconds())
    response["Link"] = ", ".join(f'<{href}>; rel="{rel}"' for rel, href in links.items())
    return response


@in_publishing_language
@require_safe
@condition(etag_func=_etag("json"), last_modified_func=_last_modified)
def feed_json(request):
    page = feed_page(request)
    links = page_links(page, "public:feed_json")

    def render_body():
        feed = pages.datafeed(
            page.object_list,
            url=pages.absolute(reverse("public:feed_json")),
            date_modified=_state(request)[1],
        )
        return json.dumps(feed, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)

    body = _cached("json", request, render_body)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    return _finish(response, links)


_atom = ClaimReviewAtomFeed()


@in_publishing_language
@require_safe
@condition(etag_func=_etag("atom"), last_modified_func=_last_modified)
def feed_atom(request):
    page = feed_page(request)

    def render_body():
        return _atom(request).content

    body = _cached("atom", request, render_body)
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    return _finish(response, page_links(page, "public:feed_atom"))
