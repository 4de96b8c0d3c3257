"""Clusters in the admin: the list and a cluster's appearances, merging from the
cluster list, and the lead and split-off actions on the claim list; every change
through review.clusters with its log rows, refusals reported one by one."""

import html

import pytest
from django.urls import reverse

from claims.backoffice import clusters as backoffice_clusters
from claims.models import Claim, ClaimCluster, ClaimLog

from .test_cluster_api import appearances_of, cluster_of

S = Claim.Status
CLUSTERS = reverse("admin:claims_claimcluster_changelist")
CLAIMS = reverse("admin:claims_claim_changelist")


@pytest.fixture
def appearance(make_claim):
    return appearances_of(make_claim)


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_the_cluster_list_shows_size_lead_and_outlets_and_finds_claim_text(
    client, alice, appearance
):
    lead = appearance("Daily Bugle", 2, text="The deficit reached £3.5bn in 2023.")
    cluster = cluster_of(lead, appearance("The Planet", 1), appearance("The Planet"))
    other = cluster_of(appearance("Wire", text="Ferry fares in Orkney rose by a third."))
    client.force_login(alice)

    page = page_of(client.get(CLUSTERS))
    row = page[page.index(f"Cluster {cluster.pk} (3 claims)") :].split("</tr>")[0]
    assert "The deficit reached £3.5bn" in row
    assert '<td class="field-size">3</td>' in row
    assert '<td class="field-outlets">2</td>' in row  # Daily Bugle and The Planet
    assert '<td class="field-lead_status">Extracted</td>' in row

    found = page_of(client.get(CLUSTERS, {"q": "Orkney"}))
    assert f"Cluster {other.pk} (1 claims)" in found
    assert f"Cluster {cluster.pk} (" not in found


def test_a_clusters_page_lists_its_appearances_read_only(client, alice, appearance):
    lead = appearance("Daily Bugle", 2)
    cluster = cluster_of(lead, appearance("The Planet", 1))
    client.force_login(alice)

    page = page_of(client.get(reverse("admin:claims_claimcluster_change", args=[cluster.pk])))

    assert "Daily Bugle" in page and "The Planet" in page
    assert "lead (reviewed)" in page and "attached" in page
    assert f"?cluster__id__exact={cluster.pk}" in page
    assert 'name="claims-0-text"' not in page  # nothing editable
    listed = page_of(client.get(CLAIMS, {"cluster__id__exact": cluster.pk}))
    assert listed.count('class="field-short_text"') == 2


def test_a_big_clusters_page_shows_the_oldest_appearances_only(
    client, alice, appearance, monkeypatch
):
    monkeypatch.setattr(backoffice_clusters, "APPEARANCES_SHOWN", 2)
    cluster = cluster_of(appearance("First", 3), appearance("Second", 2), appearance("Third", 1))
    client.force_login(alice)
    page = page_of(client.get(reverse("admin:claims_claimcluster_change", args=[cluster.pk])))
    assert "First" in page and "Second" in page and "Third" not in page


def test_a_reviewer_sees_only_the_appearances_they_may_see(client, bob, carol, appearance):
    mine = appearance("Daily Bugle", 1, status="assigned", assignee=bob)
    hers = appearance("The Planet", status="assigned", assignee=carol)
    cluster = cluster_of(mine, hers)
    client.force_login(bob)

    page = page_of(client.get(reverse("admin:claims_claimcluster_change", args=[cluster.pk])))
    assert "Daily Bugle" in page and "The Planet" not in page
    assert "merge_clusters" not in page_of(client.get(CLUSTERS))  # editors only


def test_an_editor_merges_selected_clusters_with_a_log_row_per_claim(client, alice, appearance):
    oldest = cluster_of(appearance("A", 3))
    moving = [appearance("B", 2), appearance("C", 1)]
    newer = cluster_of(*moving)
    client.force_login(alice)

    page = page_of(
        client.post(
            CLUSTERS,
            {"action": "merge_clusters", "_selected_action": [newer.pk, oldest.pk]},
            follow=True,
        )
    )

    assert f"Merged 1 cluster into cluster {oldest.pk}: 2 claim(s) moved." in page
    for claim in moving:
        assert Claim.objects.get(pk=claim.pk).cluster_id == oldest.pk
        entry = ClaimLog.objects.get(claim=claim, action="claim.cluster_merged")
        assert entry.actor == alice
    assert ClaimCluster.objects.get(pk=oldest.pk).size == 3


def test_a_merge_goes_into_the_named_cluster_and_reports_each_refusal(
    client, alice, bob, appearance, settings
):
    settings.CLUSTER_WINDOW_DAYS = 14
    in_review = cluster_of(appearance("A", 1, status="assigned", assignee=bob))
    waiting = cluster_of(appearance("B"))
    ancient = cluster_of(appearance("C", 60))
    client.force_login(alice)

    page = page_of(
        client.post(
            CLUSTERS,
            {
                "action": "merge_clusters",
                "_selected_action": [in_review.pk, waiting.pk, ancient.pk],
                "target": waiting.pk,
            },
            follow=True,
        )
    )

    # Into the named cluster: the one in review cannot be merged away, and the
    # ancient one is outside the window; each says why, and nothing else moves.
    assert f"Refused #{in_review.pk}: That cluster's claim is already in review" in page
    assert f"Refused #{ancient.pk}: Clusters {ancient.pk} and {waiting.pk} are more than" in page
    assert "Merged" not in page
    assert not ClaimLog.objects.filter(action="claim.cluster_merged").exists()

    page = page_of(
        client.post(
            CLUSTERS,
            {"action": "merge_clusters", "_selected_action": [waiting.pk], "target": 987654321},
            follow=True,
        )
    )
    assert "No such cluster: 987654321." in page


def test_without_a_named_target_a_merge_keeps_the_cluster_already_in_review(
    client, alice, bob, appearance
):
    waiting = cluster_of(appearance("A", 2))
    in_review = cluster_of(appearance("B", 1, status="assigned", assignee=bob))
    client.force_login(alice)
    client.post(
        CLUSTERS, {"action": "merge_clusters", "_selected_action": [waiting.pk, in_review.pk]}
    )
    assert Claim.objects.get(pk=waiting.lead_id).cluster_id == in_review.pk


def test_an_editor_changes_the_lead_and_splits_claims_off_from_the_claim_list(
    client, alice, appearance
):
    lead, second, third = appearance("A", 2), appearance("B", 1), appearance("C")
    cluster = cluster_of(lead, second, third)
    loner = appearance("D")
    client.force_login(alice)

    page = page_of(
        client.post(
            CLAIMS,
            {"action": "make_cluster_lead", "_selected_action": [second.pk, loner.pk]},
            follow=True,
        )
    )
    assert "Now leading their cluster: 1 claim(s)." in page
    assert f"Refused #{loner.pk}: This claim is in no cluster." in page
    assert ClaimCluster.objects.get(pk=cluster.pk).lead_id == second.pk
    assert ClaimLog.objects.filter(claim=second, action="claim.lead_changed", actor=alice).exists()

    page = page_of(
        client.post(
            CLAIMS,
            {"action": "split_off_cluster", "_selected_action": [third.pk, second.pk]},
            follow=True,
        )
    )
    assert "Split off into a cluster of their own: 1 claim(s)." in page
    assert f"Refused #{second.pk}: Make another claim the lead" in page
    split = Claim.objects.get(pk=third.pk)
    assert split.cluster_id != cluster.pk and split.cluster.lead_id == third.pk
    assert ClaimLog.objects.filter(claim=third, action="claim.cluster_split", actor=alice).exists()


def test_reviewers_cannot_run_the_cluster_actions(client, bob, appearance):
    lead = appearance("A", 1, status="assigned", assignee=bob)
    other = appearance("B", status="assigned", assignee=bob)
    cluster = cluster_of(lead, other)
    client.force_login(bob)
    second = cluster_of(appearance("C", status="assigned", assignee=bob))
    for url, name, ids in (
        (CLAIMS + "?queue=mine", "make_cluster_lead", [other.pk]),
        (CLAIMS + "?queue=mine", "split_off_cluster", [other.pk]),
        (CLUSTERS, "merge_clusters", [cluster.pk, second.pk]),
    ):
        page = page_of(client.post(url, {"action": name, "_selected_action": ids}, follow=True))
        # Not offered to a reviewer at all: refused by name on the claim list (which
        # has their actions); the cluster list has no actions for them.
        assert "No action selected." in page or 'name="action"' not in page, name
        assert name not in page
    assert ClaimCluster.objects.get(pk=cluster.pk).version == 1
    assert not ClaimLog.objects.filter(actor=bob).exists()
