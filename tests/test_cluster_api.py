"""Clusters in the API: read one with every appearance, list them with filters, and
change the lead, split a claim off and merge two clusters as logged workflow actions
under the cluster's version (the same rules as the desk's cluster page)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Article, Claim, ClaimCluster, ClaimLog
from claims.review import clusters, workflow

from .test_api import Api, assert_error
from .test_clusters import SAME, arrive, publish_lead

S = Claim.Status


@pytest.fixture(autouse=True)
def _generous_rates(generous_api_rates):
    pass


@pytest.fixture
def api(client, alice, bob, carol):
    return {
        "alice": Api(client, alice),
        "bob": Api(client, bob),
        "carol": Api(client, carol),
        None: Api(client),
    }


def appearances_of(make_claim):
    """A maker of claims in an article from ``publisher``, created ``days_ago``."""

    def make(publisher, days_ago=0, status="extracted", **kw):
        claim = make_claim(status=status, **kw)
        Article.objects.filter(pk=claim.article_id).update(
            publisher=publisher, authors=[f"{publisher} Reporter"], published_date=date(2026, 11, 3)
        )
        when = timezone.now() - timedelta(days=days_ago)
        Claim.objects.filter(pk=claim.pk).update(created_at=when)
        claim.refresh_from_db()
        return claim

    return make


@pytest.fixture
def appearance(make_claim):
    return appearances_of(make_claim)


def cluster_of(*claims) -> ClaimCluster:
    """A cluster led by the first claim, the others attached, spanning their dates."""
    times = [c.created_at for c in claims]
    cluster = ClaimCluster.objects.create(
        lead=claims[0], size=len(claims), created_at=min(times), last_seen_at=max(times)
    )
    Claim.objects.filter(pk=claims[0].pk).update(cluster=cluster)
    Claim.objects.filter(pk__in=[c.pk for c in claims[1:]]).update(cluster=cluster, attached=True)
    return cluster


def version(cluster) -> int:
    return ClaimCluster.objects.get(pk=cluster.pk).version


# ---------------------------------------------------------------------------
# Reading


def test_an_editor_reads_a_cluster_with_every_appearance_and_its_outlets(api, appearance):
    claims = [appearance("Daily Bugle", 2), appearance("The Planet", 1), appearance("The Planet")]
    cluster = cluster_of(*claims)

    data = api["alice"].get(f"/api/clusters/{cluster.pk}/").json()

    assert data["size"] == 3 and data["version"] == 1 and data["lead_id"] == claims[0].pk
    assert data["lead"]["id"] == claims[0].pk and data["lead"]["status"] == S.EXTRACTED
    assert data["fact_check"] is None
    assert data["outlet_count"] == 2
    assert data["outlets"] == [
        {"publisher": "The Planet", "appearances": 2},
        {"publisher": "Daily Bugle", "appearances": 1},
    ]
    shown = data["appearances"]["results"]
    assert [a["id"] for a in shown] == [c.pk for c in claims]  # oldest first
    first = shown[0]
    assert first["is_lead"] and not first["attached"] and first["status"] == S.EXTRACTED
    assert first["article"]["publisher"] == "Daily Bugle"
    assert first["article"]["authors"] == ["Daily Bugle Reporter"]
    assert first["article"]["published_date"] == "2026-11-03"
    assert first["article"]["title"].startswith("Article ")
    assert [a["is_lead"] for a in shown[1:]] == [False, False]
    assert all(a["attached"] for a in shown[1:])


def test_the_appearances_come_a_page_at_a_time(api, appearance):
    cluster = cluster_of(*[appearance(f"Outlet {i}", 10 - i) for i in range(5)])
    url = f"/api/clusters/{cluster.pk}/"
    first = api["alice"].get(url, page_size=2).json()["appearances"]
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    last = api["alice"].get(url, page_size=2, page=3).json()["appearances"]
    assert len(last["results"]) == 1 and last["next"] is None


def test_a_published_cluster_shows_its_fact_check_and_which_appearances_it_covers(api, alice, bob):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    repeat = arrive(SAME[1], alice, 1)
    url = f"/api/clusters/{lead.cluster_id}/"

    data = api["alice"].get(url).json()
    assert data["fact_check"]["claim"] == lead.pk and data["fact_check"]["rating"] == "false"
    assert data["fact_check"]["url"].endswith("/")
    assert data["pending_repeats"] == 1
    covered = {a["id"]: a["on_fact_check"] for a in data["appearances"]["results"]}
    assert covered == {lead.pk: True, repeat.pk: False}
    repeated = data["appearances"]["results"][1]
    assert repeated["repeat_of"] == lead.pk and repeated["appearance_added_at"] is None

    clusters.add_appearance(Claim.objects.get(pk=repeat.pk), actor=alice)
    data = api["alice"].get(url).json()
    assert data["pending_repeats"] == 0
    assert all(a["on_fact_check"] for a in data["appearances"]["results"])


def test_a_reviewer_reads_only_the_clusters_and_appearances_they_may_see(
    api, appearance, bob, carol
):
    mine = appearance("Daily Bugle", status="assigned", assignee=bob)
    hers = appearance("The Planet", status="assigned", assignee=carol)
    shared = cluster_of(hers, mine)  # carol's claim leads it
    only_hers = cluster_of(appearance("Wire", status="assigned", assignee=carol))

    seen = api["bob"].get(f"/api/clusters/{shared.pk}/").json()
    assert [a["id"] for a in seen["appearances"]["results"]] == [mine.pk]
    assert seen["lead_id"] == hers.pk and seen["lead"] is None  # not bob's to read
    assert seen["outlet_count"] == 1 and seen["size"] == 2
    assert_error(api["bob"].get(f"/api/clusters/{only_hers.pk}/"), 404, "No such cluster")
    listed = [c["id"] for c in api["bob"].get("/api/clusters/").json()["results"]]
    assert shared.pk in listed and only_hers.pk not in listed
    assert api[None].get("/api/clusters/").status_code == 401


def test_the_list_filters_by_size_publication_and_last_seen(api, appearance, alice, bob):
    big = cluster_of(appearance("A", 1), appearance("B", 1), appearance("C", 1))
    old = cluster_of(appearance("D", 9))
    published = publish_lead(arrive(SAME[0], alice, 0), alice, bob)

    def ids(**params):
        response = api["alice"].get("/api/clusters/", **params)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["results"]]

    assert ids(min_size=3) == [big.pk]
    (row,) = api["alice"].get("/api/clusters/", min_size=3).json()["results"]
    assert row["outlet_count"] == 3 and row["size"] == 3 and row["lead"]["id"] == big.lead_id
    assert ids(published="true") == [published.cluster_id]
    assert published.cluster_id not in ids(published="false")
    since = (timezone.now() - timedelta(days=3)).isoformat()
    assert old.pk not in ids(since=since) and big.pk in ids(since=since)
    assert ids(ordering="-size")[0] == big.pk
    assert_error(api["alice"].get("/api/clusters/", min_size=0), 400, "min_size")
    assert_error(api["alice"].get("/api/clusters/", since="last week"), 400, "since")


# ---------------------------------------------------------------------------
# The lead


def test_an_editor_changes_the_lead_with_a_log_row_on_both_claims(api, appearance, alice):
    old, new = appearance("A", 1), appearance("B")
    cluster = cluster_of(old, new)

    response = api["alice"].post(
        f"/api/clusters/{cluster.pk}/lead/", {"claim": new.pk, "version": 1, "comment": "Clearer"}
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["lead_id"] == new.pk and data["version"] == 2
    for claim in (old, new):
        entry = ClaimLog.objects.get(claim=claim, action="claim.lead_changed")
        assert entry.actor == alice and entry.comment == "Clearer"
        assert entry.data["lead"] == new.pk
    assert Claim.objects.get(pk=old.pk).attached and not Claim.objects.get(pk=new.pk).attached


def test_a_stale_cluster_version_is_refused_with_409_and_changes_nothing(api, appearance):
    old, new = appearance("A", 1), appearance("B")
    cluster = cluster_of(old, new)
    url = f"/api/clusters/{cluster.pk}/lead/"

    data = assert_error(api["alice"].post(url, {"claim": new.pk, "version": 2}), 409, "(?i)reload")
    assert data["code"] == "stale"
    # A stale view is the first thing said, before what else may be wrong.
    assert_error(api["alice"].post(url, {"claim": old.pk, "version": 2}), 409, "(?i)reload")
    stale_claim = {"claim": new.pk, "version": 1, "claim_version": new.version + 1}
    assert_error(api["alice"].post(url, stale_claim), 409, "(?i)reload")
    assert ClaimCluster.objects.get(pk=cluster.pk).lead_id == old.pk
    assert not ClaimLog.objects.filter(action="claim.lead_changed").exists()


def test_the_lead_is_refused_clearly(api, appearance, make_claim, alice, bob):
    lead, other = appearance("A", 1), appearance("B")
    cluster = cluster_of(lead, other)
    stranger = appearance("C")
    url = f"/api/clusters/{cluster.pk}/lead/"

    assert_error(api["alice"].post(url, {"claim": stranger.pk, "version": 1}), 400, "not in")
    assert_error(api["alice"].post(url, {"claim": lead.pk, "version": 1}), 400, "already leads")
    assert_error(api["alice"].post(url, {"version": 1}), 400, "claim")
    assert_error(api["alice"].post(url, {"claim": 987654321, "version": 1}), 404)
    workflow.assign(Claim.objects.get(pk=lead.pk), bob, actor=alice)
    assert_error(api["alice"].post(url, {"claim": other.pk, "version": 1}), 409, "started")


# ---------------------------------------------------------------------------
# Split off


def test_an_editor_splits_a_claim_off_into_a_cluster_it_leads(api, appearance, alice):
    lead, wrong = appearance("A", 1), appearance("B")
    cluster = cluster_of(lead, wrong)
    url = f"/api/claims/{wrong.pk}/split-off/"

    assert_error(api["alice"].post(url, {"version": wrong.version + 1}), 409, "(?i)reload")
    assert_error(
        api["alice"].post(url, {"version": wrong.version, "cluster_version": 7}), 409, "(?i)reload"
    )
    response = api["alice"].post(
        url, {"version": wrong.version, "cluster_version": 1, "comment": "Another year"}
    )

    assert response.status_code == 200, response.content
    moved = Claim.objects.get(pk=wrong.pk)
    assert response.json()["cluster"] == moved.cluster_id != cluster.pk
    assert moved.cluster.lead_id == wrong.pk and moved.cluster.size == 1 and not moved.attached
    assert ClaimCluster.objects.get(pk=cluster.pk).size == 1 and version(cluster) == 2
    entry = ClaimLog.objects.get(claim=wrong, action="claim.cluster_split")
    assert entry.actor == alice and entry.data["from_cluster"] == cluster.pk
    # Now alone, and the lead cannot be split off its own cluster.
    again = {"version": moved.version}
    assert_error(api["alice"].post(url, again), 400, "alone")
    assert_error(
        api["alice"].post(f"/api/claims/{lead.pk}/split-off/", {"version": lead.version}),
        400,
        "alone",
    )


def test_the_lead_is_not_split_off_its_cluster(api, appearance):
    lead = appearance("A", 1)
    cluster_of(lead, appearance("B"), appearance("C"))
    assert_error(
        api["alice"].post(f"/api/claims/{lead.pk}/split-off/", {"version": lead.version}),
        400,
        "Make another claim the lead",
    )


# ---------------------------------------------------------------------------
# Merge


def test_an_editor_merges_a_cluster_in_with_a_log_row_per_claim(api, appearance, alice):
    target = cluster_of(appearance("A", 3), appearance("B", 2))
    moving = [appearance("C", 1), appearance("D")]
    other = cluster_of(*moving)

    response = api["alice"].post(
        f"/api/clusters/{target.pk}/merge/", {"other": other.pk, "version": 1, "other_version": 1}
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["moved"] == 2 and data["size"] == 4 and data["version"] == 2
    assert data["appearances"]["count"] == 4
    for claim in moving:
        claim = Claim.objects.get(pk=claim.pk)
        assert claim.cluster_id == target.pk and claim.attached
        entry = ClaimLog.objects.get(claim=claim, action="claim.cluster_merged")
        assert entry.actor == alice and entry.data == {
            "from_cluster": other.pk,
            "cluster": target.pk,
        }
    emptied = ClaimCluster.objects.get(pk=other.pk)
    assert emptied.size == 0 and emptied.lead_id is None and emptied.version == 2
    merged = ClaimCluster.objects.get(pk=target.pk)
    assert merged.last_seen_at == moving[1].created_at  # the span grows, not "now"
    # The emptied cluster is gone from the API.
    assert_error(api["alice"].get(f"/api/clusters/{other.pk}/"), 404)


def test_a_merge_is_refused_clearly_and_changes_nothing(api, appearance, alice, bob, settings):
    settings.CLUSTER_WINDOW_DAYS = 14
    target = cluster_of(appearance("A", 1))
    other = cluster_of(appearance("B"))
    months_ago = cluster_of(appearance("C", 40))
    in_review = cluster_of(appearance("D", status="assigned", assignee=bob))
    url = f"/api/clusters/{target.pk}/merge/"

    assert_error(api["alice"].post(url, {"other": target.pk, "version": 1}), 400, "itself")
    assert_error(
        api["alice"].post(url, {"other": months_ago.pk, "version": 1}), 400, "more than 14 days"
    )
    assert_error(api["alice"].post(url, {"other": other.pk, "version": 9}), 409, "(?i)reload")
    assert_error(api["alice"].post(url, {"other": other.pk, "version": 1, "other_version": 2}), 409)
    assert_error(api["alice"].post(url, {"other": in_review.pk, "version": 1}), 409, "in review")
    assert_error(api["alice"].post(url, {"other": 987654321, "version": 1}), 404, "No such")
    assert_error(api["alice"].post(url, {"other": "x", "version": 1}), 400, "other")
    assert not ClaimLog.objects.filter(action="claim.cluster_merged").exists()
    assert [version(c) for c in (target, other, months_ago, in_review)] == [1, 1, 1, 1]


def test_clusters_apart_in_time_merge_when_they_overlap_the_window(api, appearance, settings):
    """The window is between the two clusters, not from today: last month's story
    the matcher split in two can still be mended."""
    settings.CLUSTER_WINDOW_DAYS = 14
    first = cluster_of(appearance("A", 45), appearance("B", 40))
    second = cluster_of(appearance("C", 30))
    response = api["alice"].post(
        f"/api/clusters/{first.pk}/merge/", {"other": second.pk, "version": 1}
    )
    assert response.status_code == 200, response.content


def test_the_workflow_refuses_a_cluster_changed_since_it_was_read(appearance, alice):
    """The version check is a conditional update, so it holds between the API's
    check and the write too (two editors at once)."""
    target, other = cluster_of(appearance("A", 1)), cluster_of(appearance("B"))
    seen = ClaimCluster.objects.get(pk=target.pk)
    ClaimCluster.objects.filter(pk=target.pk).update(version=2)  # another editor's change
    with pytest.raises(clusters.StaleCluster):
        clusters.merge(seen, ClaimCluster.objects.get(pk=other.pk), actor=alice)
    assert Claim.objects.get(pk=other.lead_id).cluster_id == other.pk


def test_an_emptied_cluster_is_refused_by_the_workflow_too(appearance, alice):
    target, other = cluster_of(appearance("A", 1)), cluster_of(appearance("B"))
    clusters.merge(target, other, actor=alice)
    target.refresh_from_db()
    other.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="no claims left"):
        clusters.merge(target, other, actor=alice)
    with pytest.raises(workflow.WorkflowError, match="no claims left"):
        clusters.merge(other, target, actor=alice)


def test_a_big_merge_moves_every_claim_a_chunk_at_a_time(appearance, alice, monkeypatch):
    monkeypatch.setattr(clusters, "MERGE_CHUNK", 2)
    target = cluster_of(appearance("A", 1))
    other = cluster_of(*[appearance(f"Outlet {i}") for i in range(5)])
    assert clusters.merge(target, other, actor=alice) == 5
    assert Claim.objects.filter(cluster=target).count() == 6
    assert ClaimLog.objects.filter(action="claim.cluster_merged").count() == 5
    assert ClaimCluster.objects.get(pk=target.pk).size == 6


# ---------------------------------------------------------------------------
# Who may act


def test_reviewers_read_clusters_but_only_editors_change_them(api, appearance, bob):
    lead = appearance("A", 1, status="assigned", assignee=bob)
    theirs = appearance("B", status="assigned", assignee=bob)
    cluster = cluster_of(lead, theirs)
    other = cluster_of(appearance("C", status="assigned", assignee=bob))

    assert api["bob"].get(f"/api/clusters/{cluster.pk}/").status_code == 200
    for url, body in (
        (f"/api/clusters/{cluster.pk}/lead/", {"claim": theirs.pk, "version": 1}),
        (f"/api/clusters/{cluster.pk}/merge/", {"other": other.pk, "version": 1}),
        (f"/api/claims/{theirs.pk}/split-off/", {"version": theirs.version}),
    ):
        assert_error(api["bob"].post(url, body), 403, "editors")
        assert_error(api[None].post(url, body), 401)
    assert not ClaimLog.objects.filter(action__startswith="claim.cluster").exists()
    assert version(cluster) == 1


def test_reading_a_cluster_costs_the_same_queries_at_any_size(api, appearance):
    """Outlets are one GROUP BY, appearances one page: nothing is read per appearance."""
    small = cluster_of(*[appearance(f"Outlet {i}") for i in range(2)])
    big = cluster_of(*[appearance(f"Outlet {i}") for i in range(30)])
    api["alice"].get(f"/api/clusters/{small.pk}/")  # warm the token and content types

    def queries(cluster):
        with CaptureQueriesContext(connection) as seen:
            assert api["alice"].get(f"/api/clusters/{cluster.pk}/").status_code == 200
        return len(seen)

    assert queries(big) == queries(small)
