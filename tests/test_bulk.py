"""PreparedInsert writes exactly what bulk_create writes, in batches, with the keys back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from claims.bulk import PreparedInsert
from claims.models import Claim, ClaimLog, Notification

pytestmark = pytest.mark.django_db

COMPARED = [
    f.attname
    for f in Claim._meta.concrete_fields
    if not f.primary_key and f.attname != "sentence_index"
]


NOW = timezone.now()


def _claims(article, n, offset, now=NOW):
    return [
        Claim(
            article_id=article.pk,
            text=f"Claim {i}: the council spent £{i}m, up 4.5% — “quoted”.",
            start=i,
            end=i + 10,
            sentence_index=offset + i,
            score=0.5 + i / 1000,
            claim_type="quantity",
            speaker="Ms Ümlaut",
            numbers=[{"value": i, "unit": "GBP", "raw": f"£{i}m"}],
            entities=[{"text": "Ardenvale", "label": "place"}],
            links=[{"href": "https://example.org/a?b=1&c=2", "text": "x", "start": 0, "end": 1}],
            held=bool(i % 2),
            created_at=now,
            status_changed_at=now,
        )
        for i in range(n)
    ]


def test_rows_match_bulk_create_and_come_back_with_their_keys(make_claim):
    article = make_claim().article
    n = (
        3 * connection.ops.bulk_batch_size(Claim._meta.concrete_fields, [None]) + 7
    )  # several batches
    ours = _claims(article, n, 1000)
    ids = PreparedInsert(Claim, ours).insert()
    assert ids == [c.pk for c in ours] and len(set(ids)) == n
    django = Claim.objects.bulk_create(_claims(article, n, 5000))
    mine = {
        c["sentence_index"] - 1000: c
        for c in Claim.objects.filter(pk__in=ids).values("sentence_index", *COMPARED)
    }
    theirs = {
        c["sentence_index"] - 5000: c
        for c in Claim.objects.filter(pk__in=[c.pk for c in django]).values(
            "sentence_index", *COMPARED
        )
    }
    for i in range(n):
        a, b = dict(mine[i]), dict(theirs[i])
        a.pop("sentence_index"), b.pop("sentence_index")
        a.pop("updated_at"), b.pop("updated_at")  # auto_now: the moment of each insert
        assert a == b
    assert Claim.objects.get(pk=ids[5]).text == ours[5].text  # keys in insertion order


def test_a_foreign_key_filled_in_after_the_parents_exist(make_claim):
    article = make_claim().article
    claims = _claims(article, 4, 100)
    logs = PreparedInsert(
        ClaimLog, [ClaimLog(action="claim.extracted", data={"n": i}) for i in range(4)]
    )
    ids = PreparedInsert(Claim, claims).insert()
    logs.fill("claim_id", ids)
    logs.insert()
    assert [
        (entry.claim_id, entry.data)
        for entry in ClaimLog.objects.filter(claim_id__in=ids).order_by("pk")
    ] == [(pk, {"n": i}) for i, pk in enumerate(ids)]


def test_conflicting_rows_are_skipped_when_asked(make_claim, bob):
    claim = make_claim()
    row = dict(key="same-key", user=bob, recipient="bob@example.org", subject="s", claim=claim)
    PreparedInsert(Notification, [Notification(**row)]).insert(ignore_conflicts=True)
    PreparedInsert(
        Notification, [Notification(**row), Notification(**{**row, "key": "other"})]
    ).insert(ignore_conflicts=True)
    assert sorted(Notification.objects.values_list("key", flat=True)) == ["other", "same-key"]
