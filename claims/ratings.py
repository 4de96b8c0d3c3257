"""The verdict scale, in one place, with its schema.org ClaimReview mapping.

ratingValue runs 1 (False) to 5 (True) where a rating sits on that scale;
Misleading and Unverifiable sit off it, so they carry alternateName only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    TRUE = "true", _("True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    HALF_TRUE = "half_true", _("Half true")
    MOSTLY_FALSE = "mostly_false", _("Mostly false")
    FALSE = "false", _("False")
    MISLEADING = "misleading", _("Misleading")
    UNVERIFIABLE = "unverifiable", _("Unverifiable")


@dataclass(frozen=True)
class ReviewRating:
    alternate_name: str
    rating_value: int | None


BEST_RATING = 5
WORST_RATING = 1

_SCALE = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.HALF_TRUE: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.FALSE: 1,
    Rating.MISLEADING: None,
    Rating.UNVERIFIABLE: None,
}


def review_rating(rating: str) -> ReviewRating:
    """The rating as ClaimReview states it: its name in the publishing language
    (``PUBLISHING_LANGUAGE``), whatever language the request that asks speaks, so
    a search engine sees one language per site."""
    r = Rating(rating)
    with translation.override(settings.PUBLISHING_LANGUAGE):
        name = str(r.label)
    return ReviewRating(alternate_name=name, rating_value=_SCALE[r])


def review_rating_jsonld(rating: str) -> dict:
    rr = review_rating(rating)
    data = {"@type": "Rating", "alternateName": rr.alternate_name}
    if rr.rating_value is not None:
        data.update(ratingValue=rr.rating_value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return data
