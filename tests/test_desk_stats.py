"""Numbers for the newsroom: the statistics page and its CSV, under the page's filters."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Claim, ClaimLog, Source, SourceItem, Verdict

S = Claim.Status
pytestmark = pytest.mark.django_db


def verdict(claim, by, rating, hours_after):
    v = Verdict.objects.create(
        claim=claim,
        rating=rating,
        conclusion="c",
        proposed_by=by,
        proposed_at=claim.created_at + timedelta(hours=hours_after),
        state=Verdict.State.PROPOSED,
    )
    claim.verdict = v
    claim.save()
    return v


def download(client, query="") -> list[dict]:
    r = client.get("/stats.csv" + query)
    assert r.status_code == 200 and r.streaming
    assert r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].startswith('attachment; filename="desk-statistics-')
    text = b"".join(r.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def value(rows, section, measure, **match):
    found = [
        r
        for r in rows
        if r["section"] == section
        and r["measure"] == measure
        and all(r[k] == v for k, v in match.items())
    ]
    return [r["value"] for r in found]


@pytest.fixture
def desk(make_claim, alice, bob, carol):
    """Claims from a monitored feed and pasted ones, with verdicts by bob and carol."""
    now = timezone.now()
    feed = Source.objects.create(name="Wire feed", url="https://example.org/feed.xml")
    made = []
    for hours, rating, reviewer in ((2, "false", bob), (10, "true", bob), (30, "false", carol)):
        claim = make_claim(status=S.PROPOSED, assignee=reviewer)
        claim.created_at = now - timedelta(days=2)
        claim.save()
        verdict(claim, reviewer, rating, hours)
        made.append(claim)
    SourceItem.objects.create(
        source=feed, url="https://example.org/a", article=made[0].article, outcome="new"
    )
    open_claim = make_claim(status=S.ASSIGNED, assignee=carol)
    done = make_claim(status=S.DISMISSED)
    ClaimLog.objects.create(
        claim=done, action="claim.dismissed", from_status=S.QUEUED, to_status=S.DISMISSED
    )
    old = make_claim(status=S.QUEUED)
    old.created_at = now - timedelta(days=90)
    old.save()
    return {"feed": feed, "claims": made, "open": open_claim, "done": done}


def test_the_csv_has_flow_turnaround_load_and_mix(client, alice, desk, bob, carol):
    client.force_login(alice)
    rows = download(client)
    today = timezone.localdate().isoformat()
    earlier = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert value(rows, "flow", "claims_in", day=earlier, source="Wire feed") == ["1"]
    assert value(rows, "flow", "claims_in", day=earlier, source="Pasted HTML") == ["2"]
    assert value(rows, "flow", "claims_in", day=today, source="Pasted HTML") == ["2"]
    assert value(rows, "flow", "claims_out", day=today, source="Pasted HTML") == ["1"]
    assert not any(r["day"] < earlier for r in rows if r["section"] == "flow")  # 90 days ago
    assert value(rows, "time_to_verdict", "verdicts") == ["3"]
    assert value(rows, "time_to_verdict", "p50_hours") == ["10.0"]
    assert value(rows, "time_to_verdict", "p90_hours") == ["30.0"]
    assert value(rows, "reviewer_load", "open_claims", reviewer="carol") == ["2"]
    assert value(rows, "reviewer_load", "verdicts_proposed", reviewer="bob") == ["2"]
    assert value(rows, "verdict_mix", "claims", rating="false") == ["2"]
    assert value(rows, "verdict_mix", "claims", rating="true") == ["1"]


def test_the_download_honours_the_page_filters(client, alice, desk, carol):
    client.force_login(alice)
    page = client.get(f"/stats/?reviewer={carol.pk}")
    assert page.status_code == 200
    assert f'href="/stats.csv?reviewer={carol.pk}"' in page.content.decode()
    rows = download(client, f"?reviewer={carol.pk}")
    assert value(rows, "time_to_verdict", "verdicts") == ["1"]
    assert value(rows, "verdict_mix", "claims", rating="true") == ["0"]
    assert {r["reviewer"] for r in rows if r["section"] == "reviewer_load"} == {"carol"}

    rows = download(client, f"?source=source:{desk['feed'].pk}")
    assert value(rows, "time_to_verdict", "verdicts") == ["1"]
    assert {r["source"] for r in rows if r["section"] == "flow"} == {"Wire feed"}

    first = (timezone.localdate() - timedelta(days=100)).isoformat()
    last = (timezone.localdate() - timedelta(days=80)).isoformat()
    rows = download(client, f"?date_from={first}&date_to={last}")
    assert [r["value"] for r in rows if r["section"] == "flow"] == ["1", "0"]
    assert value(rows, "time_to_verdict", "verdicts") == ["0"]


def test_a_reviewer_counts_only_the_claims_they_may_see(client, bob, desk):
    from claims.review.access import visible_claims

    client.force_login(bob)
    rows = download(client)
    seen = visible_claims(bob).filter(verdict__isnull=False).count()
    assert value(rows, "time_to_verdict", "verdicts") == [str(seen)]


def test_bad_filters_are_said_and_count_nothing(client, alice, desk):
    client.force_login(alice)
    page = client.get("/stats/?date_from=2026-05-02&date_to=2026-05-01")
    assert "must not be after" in page.content.decode()
    rows = download(client, "?date_from=2020-01-01&date_to=2026-01-01")
    assert value(rows, "time_to_verdict", "verdicts") == ["0"]


def test_outsiders_get_no_numbers(client, dave):
    assert client.get("/stats.csv").status_code == 302  # to the login page
    client.force_login(dave)
    assert client.get("/stats.csv").status_code == 403
    assert client.get("/stats/").status_code == 403


def test_the_desk_links_to_the_numbers(client, alice):
    client.force_login(alice)
    assert 'id="stats-link"' in client.get("/").content.decode()
    assert Article.objects.count() == 0
