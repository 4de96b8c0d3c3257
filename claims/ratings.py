"""The verdict scale, in one place, with its schema.org ClaimReview mapping.

ratingValue runs 1 (False) to 5 (True) where a rating sits on that scale;
Misleading and Unverifiable sit off it, so they carry alternateName only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Rating(models.TextChoices):
    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    HALF_TRUE = "half_true", "Half true"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


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
    r = Rating(rating)
    return ReviewRating(alternate_name=r.label, rating_value=_SCALE[r])


def review_rating_jsonld(rating: str) -> dict:
    rr = review_rating(rating)
    data = {"@type": "Rating", "alternateName": rr.alternate_name}
    if rr.rating_value is not None:
        data.update(ratingValue=rr.rating_value, bestRating=BEST_RATING, worstRating=WORST_RATING)
    return data
