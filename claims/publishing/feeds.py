"""Feeds of published ClaimReviews: a schema.org DataFeed (JSON) and Atom.

Withdrawn fact-checks stay in both, most recent change first: an Atom entry
titled "Withdrawn: …" with the reason, and a DataFeedItem with ``dateDeleted``.

Both are paginated with ``?page=N`` (newest first), and link their neighbours:
the JSON feed in a ``Link`` header, the Atom feed with RFC 5005 ``<link
rel="next|previous|first">`` elements.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import EmptyPage, InvalidPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import pages


def page_size() -> int:
    return getattr(settings, "PUBLIC_FEED_PAGE_SIZE", 50)


def feed_page(request):
    """The requested page of published claims; 404 for a page that does not exist."""
    paginator = Paginator(pages.public_claims(), page_size(), allow_empty_first_page=True)
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 9:
        raise Http404("Unknown page.")
    try:
        return paginator.page(int(raw))
    except (EmptyPage, InvalidPage) as exc:
        raise Http404("Unknown page.") from exc


def page_links(page, url_name: str) -> dict[str, str]:
    """Absolute URLs of the first, previous and next pages, as present."""
    base = pages.absolute(reverse(url_name))
    links = {"first": base}
    if page.has_previous():
        n = page.previous_page_number()
        links["previous"] = base if n == 1 else f"{base}?page={n}"
    if page.has_next():
        links["next"] = f"{base}?page={page.next_page_number()}"
    return links


class PagedAtom1Feed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for rel, href in self.feed.get("page_links", {}).items():
            handler.addQuickElement("link", "", {"rel": rel, "href": href})


class ClaimReviewAtomFeed(Feed):
    feed_type = PagedAtom1Feed
    description_template = "public/feed_item.html"

    def get_object(self, request):
        return feed_page(request)

    def title(self, page):
        return f"{settings.FACTCHECK_ORGANIZATION_NAME}: fact-checks"

    def subtitle(self, page):
        return "Published verdicts on claims made in the news."

    def link(self, page):
        return pages.absolute(reverse("public:index"))

    def feed_url(self, page):
        url = pages.absolute(reverse("public:feed_atom"))
        return url if page.number == 1 else f"{url}?page={page.number}"

    def feed_guid(self, page):
        return pages.absolute(reverse("public:feed_atom"))

    def author_name(self, page):
        return settings.FACTCHECK_ORGANIZATION_NAME

    def author_link(self, page):
        return settings.FACTCHECK_ORGANIZATION_URL

    def feed_extra_kwargs(self, page):
        return {"page_links": page_links(page, "public:feed_atom")}

    def items(self, page):
        return page.object_list

    def item_title(self, claim):
        if claim.is_withdrawn:
            return _("Withdrawn: %(claim)s") % {"claim": claim.as_checked}
        if claim.is_corrected:
            return _("Corrected, %(rating)s: %(claim)s") % {
                "rating": claim.verdict.get_rating_display(),
                "claim": claim.as_checked,
            }
        return f"{claim.verdict.get_rating_display()}: {claim.as_checked}"

    def item_link(self, claim):
        return pages.public_url(claim)

    def item_guid(self, claim):
        return pages.public_url(claim)

    def item_pubdate(self, claim):
        return claim.first_published_at or claim.published_at

    def item_updateddate(self, claim):
        return claim.public_at

    def item_author_name(self, claim):
        return settings.FACTCHECK_ORGANIZATION_NAME

    def item_categories(self, claim):
        return [_("Withdrawn")] if claim.is_withdrawn else [claim.verdict.get_rating_display()]
