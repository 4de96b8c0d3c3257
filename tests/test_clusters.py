"""Clusters: one claim across many outlets, one review, and repeat alerts."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from claims.intake import submission
from claims.models import Claim, ClaimCluster, ClaimLog, Webhook, WebhookDelivery
from claims.publishing import pages
from claims.review import clusters, matching, workflow

S = Claim.Status
SAME = [
    "The Treasury said the deficit reached £3.5bn in 2023, its highest level since 1990.",
    "The deficit reached £3.5 billion in 2023, the highest level since 1990, the Treasury said.",
    "According to the Treasury, the deficit hit 3.5 billion pounds in 2023, its highest since 1990.",
]
OTHER_FIGURE = "The Treasury said the deficit reached £5.3bn in 2023, its highest level since 1990."


def html(sentence, title, publisher):
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{publisher}'>"
        f"</head><body><article><h1>{title}</h1><p>{sentence}</p>"
        "<p>The weather was pleasant on the day of the announcement.</p></article></body></html>"
    ).encode()


def arrive(sentence, actor, n):
    article = submission.submit_article(
        actor=actor, html=html(sentence, f"Deficit story {n}", f"Outlet {n}")
    ).article
    submission.extract_and_store(article)
    claims = list(Claim.objects.filter(article=article, text__contains="deficit"))
    assert len(claims) == 1, "the deficit sentence must be stored as a claim"
    return claims[0]


@pytest.fixture
def email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_DIGEST_MINUTES = 0


def publish_lead(claim, alice, bob):
    claim.refresh_from_db()
    if claim.status != S.ASSIGNED:
        workflow.assign(claim, bob, actor=alice)
    workflow.propose_verdict(claim, actor=bob, rating="false", conclusion="It was £2bn.")
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    claim.refresh_from_db()
    return claim


def test_three_outlets_stating_one_fact_make_one_cluster_and_one_review(alice, bob):
    first, second, third = (arrive(s, alice, i) for i, s in enumerate(SAME))
    for c in (first, second, third):
        c.refresh_from_db()
    assert first.cluster_id == second.cluster_id == third.cluster_id
    cluster = ClaimCluster.objects.get(pk=first.cluster_id)
    assert cluster.lead_id == first.pk and cluster.size == 3
    assert first.status == S.ASSIGNED and not first.attached
    # attached, not queued again: nobody is assigned the repeats
    assert [second.status, third.status] == [S.EXTRACTED, S.EXTRACTED]
    assert second.attached and third.attached and second.assignee_id is None
    assert ClaimLog.objects.filter(claim=second, action="claim.attached").exists()
    # the assign task (or the sweep's nudge) for its article leaves it attached, too
    assert workflow.assign_waiting_claims(second.article_id).assigned == 0
    assert clusters.outlet_counts([first.pk])[first.pk] == (3, 3)


def test_candidates_rank_by_shared_rare_terms_then_newest_with_their_facts(make_claim):
    oldest = make_claim(text="Ferry fares in Orkney rose.", facts={"w": ["fare", "ferri"]})
    newer = [make_claim(text=f"Ferry timetable {i}.") for i in range(4)]
    matching.index_claims(
        [oldest, *newer], [{"ferri", "fare", "orkney"}] + [{"ferri", "timet"}] * 4
    )

    (found,) = matching.recent_candidates([{"ferri", "fare", "orkney"}], since_id=0, limit=3)

    # Sharing three terms beats sharing one however new; then newest first.
    assert [pk for pk, _, _ in found] == [oldest.pk, newer[3].pk, newer[2].pk]
    assert found[0][1] == {"w": ["fare", "ferri"]}


def test_a_differing_figure_starts_its_own_cluster(alice, bob):
    first = arrive(SAME[0], alice, 0)
    other = arrive(OTHER_FIGURE, alice, 1)
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.cluster_id != other.cluster_id
    assert not other.attached and other.status == S.ASSIGNED


def test_a_claim_outside_the_window_starts_a_new_cluster(alice, bob, settings):
    first = arrive(SAME[0], alice, 0)
    Claim.objects.filter(pk=first.pk).update(
        created_at=first.created_at - __import__("datetime").timedelta(days=30)
    )
    settings.CLUSTER_WINDOW_DAYS = 14
    second = arrive(SAME[1], alice, 1)
    assert second.cluster_id != Claim.objects.get(pk=first.pk).cluster_id


def test_a_repeat_of_a_published_verdict_is_flagged_everywhere(alice, bob, email, client):
    hook = Webhook.objects.create(url="https://hooks.example.org/x", secret="s" * 20)
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    mail.outbox.clear()
    repeat = arrive(SAME[1], alice, 1)
    repeat.refresh_from_db()
    assert repeat.repeat_of_id == lead.pk and repeat.attached
    assert repeat.status == S.EXTRACTED and repeat.assignee_id is None  # not new research
    delivery = WebhookDelivery.objects.get(webhook=hook, event="claim.repeated")
    assert delivery.payload["fact_check"]["rating"] == "false"
    from claims.review import notifications

    notifications.send_due()
    assert any("Already checked: False" in m.body for m in mail.outbox if "alice" in m.to[0])
    client.force_login(alice)
    page = client.get(reverse("claims:claim", args=[repeat.pk])).content.decode()
    assert "Already checked: False" in page
    desk = client.get(reverse("claims:desk")).content.decode()
    assert "repeat-badge" in desk


def test_one_click_adds_the_appearance_to_the_published_fact_check(alice, bob, client):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    before = pages.claimreview(Claim.objects.get(pk=lead.pk))
    assert not isinstance(before["itemReviewed"].get("appearance"), list)
    assert "dateModified" not in before
    repeat = arrive(SAME[1], alice, 1)
    repeat.refresh_from_db()
    client.force_login(alice)
    response = client.post(reverse("claims:add_appearance", args=[repeat.pk]))
    assert response.status_code == 302
    after = pages.claimreview(Claim.objects.select_related("cluster").get(pk=lead.pk))
    assert [a["headline"] for a in after["itemReviewed"]["appearance"]] == [
        "Deficit story 0",
        "Deficit story 1",
    ]
    assert "dateModified" in after
    public = client.get(pages.public_path(lead)).content.decode()
    assert "Deficit story 1" in public
    assert ClaimLog.objects.filter(claim=lead, action="claim.appearance_added").exists()


def test_a_withdrawn_verdict_raises_no_alert(alice, bob):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    workflow.reopen(lead, actor=alice, reason="New figures")
    repeat = arrive(SAME[1], alice, 1)
    repeat.refresh_from_db()
    assert repeat.repeat_of_id is None and repeat.attached
    assert not ClaimLog.objects.filter(claim=repeat, action="claim.repeated").exists()


def test_editors_split_merge_and_change_the_lead_with_log_rows(alice, bob, make_claim):
    first, second = arrive(SAME[0], alice, 0), arrive(SAME[1], alice, 1)
    other = arrive(OTHER_FIGURE, alice, 2)
    second.refresh_from_db()
    with pytest.raises(workflow.NotAllowed):
        clusters.split_off(second, actor=bob)
    clusters.split_off(second, actor=alice)
    second.refresh_from_db()
    assert second.cluster.lead_id == second.pk and not second.attached
    assert ClaimLog.objects.filter(claim=second, action="claim.cluster_split").exists()
    first.refresh_from_db()
    # the split-off claim leads a cluster of its own and is reviewed on its own
    workflow.requeue(Claim.objects.get(pk=other.pk), actor=alice)
    other.refresh_from_db()
    moved = clusters.merge(first.cluster, second.cluster, actor=alice)
    assert moved == 1
    assert ClaimLog.objects.filter(claim=second, action="claim.cluster_merged").exists()
    second.refresh_from_db()
    assert second.cluster_id == first.cluster_id and second.attached


def test_the_lead_can_change_only_while_the_review_has_not_started(alice, bob):
    first, second = arrive(SAME[0], alice, 0), arrive(SAME[1], alice, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    with pytest.raises(workflow.InvalidState):  # first is assigned to bob already
        clusters.set_lead(first.cluster, second, actor=alice)


def test_the_cluster_page_lists_every_appearance(alice, bob, client):
    claims = [arrive(s, alice, i) for i, s in enumerate(SAME)]
    claims[0].refresh_from_db()
    client.force_login(alice)
    page = client.get(reverse("claims:cluster", args=[claims[0].cluster_id])).content.decode()
    for n in range(3):
        assert f"Deficit story {n}" in page and f"Outlet {n}" in page
    assert "3 appearances" in page


def test_a_reviewer_sees_the_cluster_only_through_claims_they_may_see(alice, bob, carol, client):
    first = arrive(SAME[0], alice, 0)
    first.refresh_from_db()
    client.force_login(carol)
    response = client.get(reverse("claims:cluster", args=[first.cluster_id]))
    assert response.status_code == 404


def test_claimreview_json_lists_appearances_as_a_list_only_when_several(alice, bob):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    data = pages.claimreview(lead)
    assert data["itemReviewed"]["appearance"]["headline"] == "Deficit story 0"
    assert json.dumps(data)
    assert re.search("Deficit", json.dumps(data))


def test_the_api_shows_the_repeat_alert_and_adds_the_appearance(alice, bob, client):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    repeat = arrive(SAME[1], alice, 1)
    client.force_login(alice)
    listed = client.get("/api/claims/?repeats=1").json()
    assert [c["id"] for c in listed["results"]] == [repeat.pk]
    alert = listed["results"][0]["already_checked"]
    assert alert["claim"] == lead.pk and alert["rating"] == "false"
    assert listed["results"][0]["cluster_size"] == 2
    done = client.post(f"/api/claims/{repeat.pk}/add-appearance/")
    assert done.status_code == 200 and done.json()["appearance_added_at"]
    assert client.get("/api/claims/?repeats=1").json()["results"] == []
    again = client.post(f"/api/claims/{repeat.pk}/add-appearance/")
    assert again.status_code == 409


def test_a_repeats_next_step_is_the_fact_check_not_new_research(alice, bob, client):
    lead = publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    repeat = arrive(SAME[1], alice, 1)
    client.force_login(alice)
    url = reverse("claims:claim", args=[repeat.pk])

    page = client.get(url).content.decode()
    step = page[page.index('id="next-step"') :].split("</div>", 1)[0]
    assert "next-step-repeat" in step and "primary-action" not in page
    assert 'id="action-assign"' in page  # still there, among the other actions

    client.post(reverse("claims:add_appearance", args=[repeat.pk]))
    page = client.get(url).content.decode()
    assert "next-step-repeat" not in page and "primary-action" not in page
    assert lead.pk != repeat.pk


def test_a_repeat_alert_is_written_in_the_recipients_language_not_the_senders(alice, bob, email):
    """The claim may arrive in a request a Spanish-speaking editor made: alice, who
    chose no language, still reads the rating in English."""
    from django.utils import translation

    from claims.review import notifications

    publish_lead(arrive(SAME[0], alice, 0), alice, bob)
    mail.outbox.clear()
    with translation.override("es"):
        arrive(SAME[1], alice, 1)
        notifications.send_due()
    (to_alice,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "Already checked: False," in to_alice.body, to_alice.body


COUNCIL = "The council said 40 libraries would close by 2030, a third of the total."
COUNCIL_AGAIN = "40 libraries would close by 2030, a third of the total, the council said."
JOBS = "Unemployment rose to 4.2% in March, the Office for National Statistics said."
JOBS_AGAIN = "The Office for National Statistics said unemployment rose to 4.2% in March."


def story(sentences, title, publisher):
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{publisher}'>"
        f"</head><body><article><h1>{title}</h1>{paragraphs}"
        "<p>The weather was pleasant on the day of the announcement.</p></article></body></html>"
    ).encode()


def test_an_article_joining_three_clusters_grows_each_by_its_own_claims(alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = submission.submit_article(
        actor=alice, html=story([SAME[0], COUNCIL, JOBS], "Budget day", "Outlet A")
    ).article
    submission.extract_and_store(first)
    deficit, council, jobs = (
        Claim.objects.get(article=first, text=text) for text in (SAME[0], COUNCIL, JOBS)
    )
    assert len({deficit.cluster_id, council.cluster_id, jobs.cluster_id}) == 3
    before = ClaimCluster.objects.get(pk=council.cluster_id).last_seen_at

    second = submission.submit_article(
        actor=alice,
        html=story([SAME[1], SAME[2], COUNCIL_AGAIN, JOBS_AGAIN], "Budget day", "Outlet B"),
    ).article
    with CaptureQueriesContext(connection) as queries:
        submission.extract_and_store(second)
    joined = Claim.objects.filter(article=second)
    assert {c.cluster_id for c in joined} == {c.cluster_id for c in (deficit, council, jobs)}
    assert ClaimCluster.objects.get(pk=deficit.cluster_id).size == 3
    assert ClaimCluster.objects.get(pk=council.cluster_id).size == 2
    assert ClaimCluster.objects.get(pk=jobs.cluster_id).size == 2
    assert ClaimCluster.objects.get(pk=council.cluster_id).last_seen_at > before
    # one UPDATE per distinct growth (+2, and +1 for two clusters), not one per cluster
    grows = [q for q in queries if re.match(r'UPDATE "claims_claimcluster" SET "size"', q["sql"])]
    assert len(grows) == 2


def test_the_desk_refuses_an_action_on_a_cluster_changed_since_the_page_was_read(
    alice, client, make_claim
):
    lead, other = make_claim(text="The deficit was £3.5bn."), make_claim(text="Deficit: £3.5bn.")
    cluster = ClaimCluster.objects.create(lead=lead, size=2)
    Claim.objects.filter(pk__in=[lead.pk, other.pk]).update(cluster=cluster)
    client.force_login(alice)
    url = reverse("claims:cluster_act", args=[cluster.pk, "lead"])
    form = {"claim": other.pk, "version": other.version}

    page = client.post(url, {**form, "cluster_version": 2}, follow=True).content.decode()
    assert "Someone else changed this cluster" in page
    assert ClaimCluster.objects.get(pk=cluster.pk).lead_id == lead.pk

    client.post(url, {**form, "cluster_version": 1})
    assert ClaimCluster.objects.get(pk=cluster.pk).lead_id == other.pk
