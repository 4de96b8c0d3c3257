"""Published fact-checks as schema.org ClaimReview, built in one place.

``claimreview(claim)`` is the only builder: the public page embeds it as JSON-LD,
the feeds and ``export_claimreview`` list it, the API returns it and webhooks
send it. Only claims with status ``published`` and a verdict are ever public.

A fact-check, once published, never silently disappears. Reopened, it is
*withdrawn*: its page stays up with a notice (date and reason), and the feeds
carry a ``DataFeedItem`` with ``dateDeleted``. Published again, it is *corrected*:
its ClaimReview keeps the first ``datePublished``, adds ``dateModified`` and a
``correction``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from ..models import Claim, ClaimLog
from ..net.safeurl import safe_http_url
from ..ratings import review_rating_jsonld

# Actions that add a claim to, or remove it from, the public set.
PUBLIC_SET_ACTIONS = ("claim.published", "claim.reopened", "claim.appearance_added")
# A fact-check lists at most this many appearances (oldest first): bounded pages.
APPEARANCE_LIMIT = 100

_ORG_WORDS = re.compile(
    r"\b(team|campaign|party|government|ministry|department|committee|commission|"
    r"council|office|agency|union|association|institute|university|company|corp|"
    r"inc|ltd|plc|group|news|times|bbc|cnn|reuters|police|army|court|senate|"
    r"parliament|congress|labour|conservatives?|democrats?|republicans?)\b",
    re.IGNORECASE,
)


def published_claims():
    """Every claim the public may see, newest first."""
    return (
        Claim.objects.filter(status=Claim.Status.PUBLISHED, verdict__isnull=False)
        .select_related("article", "verdict", "cluster")
        .defer("article__raw_html", "article__text", "article__links")
        .order_by("-published_at", "-id")
    )


# Published now, or published once (and withdrawn since).
PUBLIC = Q(status=Claim.Status.PUBLISHED) | Q(first_published_at__isnull=False)


def public_claims():
    """Published and withdrawn fact-checks (everything ever published), most
    recently changed first: the feeds and the public pages list these."""
    return (
        Claim.objects.filter(PUBLIC, verdict__isnull=False)
        .select_related("article", "verdict", "cluster")
        .defer("article__raw_html", "article__text", "article__links")
        .annotate(
            public_at=Greatest(
                "published_at",
                Coalesce("withdrawn_at", "published_at"),
                Coalesce("cluster__appearances_changed_at", "published_at"),
            )
        )
        .order_by("-public_at", "-id")
    )


def slug_for(claim: Claim) -> str:
    return slugify(claim.as_checked)[:60].strip("-") or "claim"


def public_path(claim: Claim) -> str:
    return reverse("public:claim", kwargs={"pk": claim.pk, "slug": slug_for(claim)})


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def public_url(claim: Claim) -> str:
    return absolute(public_path(claim))


def _date(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def said_on(claim: Claim):
    """When the claim appeared: the article's date, or when we received it."""
    return claim.article.published_date or claim.article.submitted_at


def speaker_jsonld(claim: Claim) -> dict:
    """The claim's author as a Person or Organization, always set.

    The claimant when there is one (the kind said by extraction or the editor);
    otherwise the speaker, and failing that the publisher, or the outlet unnamed.
    """
    kind = claim.claimant_kind
    if claim.claimant and kind in (Claim.ClaimantKind.PERSON, Claim.ClaimantKind.ORGANIZATION):
        return {"@type": "Person" if kind == "person" else "Organization", "name": claim.claimant}
    publisher = claim.claimant or claim.article.publisher or "The publisher"
    return _speaker_jsonld(claim) or {"@type": "Organization", "name": publisher}


def _speaker_jsonld(claim: Claim) -> dict | None:
    """Claims stored before claimants: the speaker, if it names someone."""
    if claim.claimant_kind:
        return None
    name = (claim.speaker or "").strip()
    if not name or not name[0].isupper():
        return None
    label = next((e.get("label") for e in claim.entities or [] if e.get("text") == name), None)
    if label == "PERSON":
        kind = "Person"
    elif label in ("ORG", "NORP", "GPE") or _ORG_WORDS.search(name):
        kind = "Organization"
    else:
        kind = "Person"
    return {"@type": kind, "name": name}


def organization_jsonld() -> dict:
    return {
        "@type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
        "url": settings.FACTCHECK_ORGANIZATION_URL,
    }


def claimreview(claim: Claim) -> dict:
    """The schema.org ClaimReview for a published claim.

    Required: @context, @type, claimReviewed, reviewRating (alternateName, plus
    ratingValue/bestRating/worstRating where the rating is on the 1-5 scale),
    url. Recommended: author, datePublished, itemReviewed (a Claim with its
    author, datePublished and appearance).
    """
    if claim.status != Claim.Status.PUBLISHED or claim.verdict is None:
        raise ValueError(f"Claim {claim.pk} is not published.")
    verdict = claim.verdict
    rating = review_rating_jsonld(verdict.rating)
    rating["ratingExplanation"] = verdict.conclusion

    appearance = [a for a in (appearance_jsonld(c.article) for c in appearances(claim)) if a]
    item = {"@type": "Claim", "datePublished": _date(said_on(claim))}
    item["author"] = speaker_jsonld(claim)  # a Person, else an Organization: always set
    if appearance:  # one object, or a list when the claim appeared in several places
        item["appearance"] = appearance[0] if len(appearance) == 1 else appearance

    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": public_url(claim),
        "claimReviewed": claim.as_checked,
        "reviewRating": rating,
        "author": organization_jsonld(),
        "datePublished": _date(claim.first_published_at or claim.published_at),
        "itemReviewed": item,
        "headline": verdict.conclusion,
    }
    modified = modified_at(claim)
    if modified:
        review["dateModified"] = _date(modified)
    if claim.is_corrected:
        review["correction"] = correction_jsonld(claim)
    return review


def appearance_jsonld(article) -> dict | None:
    appearance = {"@type": "CreativeWork"}
    if safe_http_url(article.url):  # never publish a javascript: or data: link
        appearance["url"] = safe_http_url(article.url)
    if article.title:
        appearance["headline"] = article.title
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.published_date:
        appearance["datePublished"] = _date(article.published_date)
    if article.authors:
        appearance["author"] = [{"@type": "Person", "name": n} for n in article.authors[:10]]
    return appearance if len(appearance) > 1 else None


def appearances(claim: Claim) -> list[Claim]:
    """Where a fact-check's claim appeared: the claim itself, the claims of its
    cluster that joined before publication, and repeats an editor added since."""
    if claim.cluster_id is None:
        return [claim]
    others = list(
        Claim.objects.filter(cluster_id=claim.cluster_id)
        .exclude(pk=claim.pk)
        .exclude(status=Claim.Status.DISMISSED)
        .filter(Q(repeat_of=None) | Q(appearance_added_at__isnull=False))
        .select_related("article")
        .only(
            "id",
            "created_at",
            "article__url",
            "article__title",
            "article__publisher",
            "article__published_date",
        )
        .order_by("created_at", "pk")[: APPEARANCE_LIMIT - 1]
    )
    return [claim, *others]


def modified_at(claim: Claim):
    """When a published fact-check last changed after its first publication: a
    correction, or an appearance added to it."""
    times = []
    if claim.is_corrected:
        times.append(claim.published_at)
    if claim.cluster_id and claim.cluster.appearances_changed_at:
        times.append(claim.cluster.appearances_changed_at)
    return max(times) if times else None


def correction_jsonld(claim: Claim) -> dict:
    return {
        "@type": "CorrectionComment",
        "text": claim.withdrawal_reason,
        "datePublished": _date(claim.withdrawn_at),
    }


def withdrawal_jsonld(claim: Claim) -> dict:
    """A withdrawn fact-check in a DataFeed: the item is deleted, and says why."""
    if not claim.is_withdrawn:
        raise ValueError(f"Claim {claim.pk} is not withdrawn.")
    return {
        "@type": "DataFeedItem",
        "dateCreated": _date(claim.first_published_at),
        "dateDeleted": _date(claim.withdrawn_at),
        "item": {
            "@type": "ClaimReview",
            "url": public_url(claim),
            "claimReviewed": claim.as_checked,
            "author": organization_jsonld(),
            "datePublished": _date(claim.first_published_at),
            "correction": {
                **correction_jsonld(claim),
                "text": f"Withdrawn: {claim.withdrawal_reason}",
            },
        },
    }


def feed_element(claim: Claim) -> dict:
    return withdrawal_jsonld(claim) if claim.is_withdrawn else claimreview(claim)


def datafeed(claims, *, url: str, date_modified=None) -> dict:
    """A schema.org DataFeed whose elements are ClaimReviews."""
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{settings.FACTCHECK_ORGANIZATION_NAME} fact-checks",
        "url": url,
        "publisher": organization_jsonld(),
        "dataFeedElement": [feed_element(c) for c in claims],
    }
    if date_modified is not None:
        feed["dateModified"] = date_modified.isoformat()
    return feed


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld_script_body(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json"> (as json_script)."""
    return mark_safe(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    )


# ---------------------------------------------------------------------------
# Cheap change detection for the feeds (ETag / Last-Modified).


def public_set_state() -> tuple[int, datetime | None]:
    """(number of public claims, when the public set last changed)."""
    count = Claim.objects.filter(PUBLIC, verdict__isnull=False).aggregate(
        n=Count("id"), latest=Max("published_at")
    )
    last = ClaimLog.objects.filter(action__in=PUBLIC_SET_ACTIONS).aggregate(t=Max("created_at"))[
        "t"
    ]
    candidates = [t for t in (count["latest"], last) if t is not None]
    return count["n"], max(candidates) if candidates else None


def feed_etag(kind: str, page: str, state: tuple[int, datetime | None]) -> str:
    n, last = state
    raw = f"{kind}|{page}|{n}|{last.isoformat() if last else ''}|{settings.SITE_URL}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
