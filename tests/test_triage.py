"""Triage: the rules that queue or hold claims back, the priority and its reasons,
the inbox page (without JavaScript), the actions in the workflow, the API and the
admin, and each reviewer's daily cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.intake import submission
from claims.models import (
    Article,
    Claim,
    ClaimLog,
    ManualTriageRule,
    ReviewerCapacity,
    Source,
    TriageRule,
)
from claims.review import triage, workflow

S = Claim.Status
NOW = datetime(2026, 11, 12, 9, 0, tzinfo=UTC)


def sig(**kw):
    return triage.Signals(**{"score": 0.5, "created_at": NOW, **kw})


# ---------------------------------------------------------------------------
# The priority, a pure function


def test_each_signal_raises_the_priority_and_says_so():
    plain = triage.priority(sig())
    assert plain.reasons == "0.50"
    higher_score = triage.priority(sig(score=0.91))
    spread = triage.priority(sig(outlets=3, outlets_last_2h=3))
    growing = triage.priority(sig(outlets=3, outlets_last_2h=1))
    minister = triage.priority(sig(prominence=triage.claimant_prominence("The minister said…")))
    beat = triage.priority(sig(beat="health", beat_weight=1.5))
    newer = triage.priority(sig(created_at=NOW + timedelta(hours=6)))
    for ranked in (higher_score, spread, growing, minister, beat, newer):
        assert ranked.value > plain.value
    assert spread.value > growing.value > triage.priority(sig(outlets=3)).value
    assert spread.reasons == "3 outlets in 2 h · 0.50"
    assert growing.reasons == "3 outlets, 1 in 2 h · 0.50"
    assert minister.reasons == "minister · 0.50"
    assert beat.reasons == "health ×1.5 · 0.50"
    assert newer.value == pytest.approx(plain.value + 1)  # 6 hours newer: one point


def test_the_issues_example_row():
    ranked = triage.priority(
        sig(
            score=0.91,
            outlets=3,
            outlets_last_2h=3,
            prominence=triage.claimant_prominence("", "Health Minister Wes Streeting"),
        )
    )
    assert ranked.reasons == "3 outlets in 2 h · minister · 0.91"


@pytest.mark.parametrize(
    "text,speaker,label",
    [
        (
            "Prime Minister Keir Starmer said 40,000 homes were built.",
            "Keir Starmer",
            "prime minister",
        ),
        ("The Health Secretary claimed waiting lists fell.", "", "secretary"),
        ("Labour MP Sofia Patel said 100 volunteers went.", "Sofia Patel", "MP"),
        ("The shadow chancellor said taxes rose.", "", "shadow minister"),
        ("Gary Lawkowski said the complaint was filed.", "Gary Lawkowski", "Gary Lawkowski"),
        ("Unemployment rose to 5%.", "", ""),
    ],
)
def test_the_claimants_prominence_comes_from_a_title_or_a_named_speaker(text, speaker, label):
    assert triage.claimant_prominence(text, speaker).label == label


def test_a_head_of_government_outranks_a_minister_outranks_an_mp_outranks_a_name():
    points = [
        triage.claimant_prominence(t).points
        for t in ("The president said", "The minister said", "An MP said", "")
    ]
    assert points == sorted(points, reverse=True) and len(set(points)) == 4
    assert triage.claimant_prominence("", "Jo Bloggs").points == triage.NAMED_SPEAKER_POINTS


@pytest.mark.parametrize(
    "kind,expected",
    [
        (TriageRule.NONE, set()),
        (TriageRule.ALL, {0, 1, 2, 3}),
        (TriageRule.TOP_N, {1, 3}),
        (TriageRule.MIN_SCORE, {1, 3, 2}),
    ],
)
def test_a_rule_picks_which_claims_skip_triage(kind, expected):
    rule = triage.Rule(kind=kind, top_n=2, min_score=0.7)
    scored = [(0, 0.55), (1, 0.95), (2, 0.7), (3, 0.8)]
    assert triage.queued_by_rule(rule, scored) == expected


# ---------------------------------------------------------------------------
# Rules at extraction


@pytest.fixture
def wire(db):
    return Source.objects.create(
        name="Wire", url="https://wire.example.org/rss", beat="politics", beat_weight=1.5
    )


def _extract(seed_html, actor, source=None):
    article = submission.submit_article(actor=actor, html=seed_html, monitored_source=source)
    submission.extract_and_store(article.article)
    return list(Claim.objects.filter(article=article.article).order_by("-score", "id"))


def test_a_new_source_sends_every_claim_to_triage_ranked_with_its_reasons(
    seed_html, alice, bob, wire
):
    assert wire.triage_rule == TriageRule.NONE  # the default for a new source
    claims = _extract(seed_html, None, wire)
    assert claims and {c.status for c in claims} == {S.TRIAGE}
    assert not any(c.held or c.assignee_id for c in claims)
    assert {(c.source_id, c.beat) for c in claims} == {(wire.pk, "politics")}
    assert all(c.triage_reasons.endswith(f"{c.score:.2f}") for c in claims)
    assert any("politics ×1.5" in c.triage_reasons for c in claims)
    log = ClaimLog.objects.filter(claim__in=claims)
    assert log.count() == len(claims) and {e.to_status for e in log} == {S.TRIAGE}


def test_a_sources_top_n_rule_queues_the_best_n_and_triages_the_rest(seed_html, bob, wire):
    wire.triage_rule, wire.triage_top_n = TriageRule.TOP_N, 2
    wire.save()
    claims = _extract(seed_html, None, wire)
    assert [c.status for c in claims[:2]] == [S.ASSIGNED, S.ASSIGNED]
    assert {c.status for c in claims[2:]} == {S.TRIAGE}


def test_a_sources_min_score_rule_queues_those_scoring_at_least_x(seed_html, bob, wire):
    wire.triage_rule, wire.triage_min_score = TriageRule.MIN_SCORE, 0.9
    wire.save()
    claims = _extract(seed_html, None, wire)
    assert {c.status for c in claims if c.score >= 0.9} == {S.ASSIGNED}
    assert {c.status for c in claims if c.score < 0.9} == {S.TRIAGE}


def test_past_the_flood_cap_a_sources_claims_go_to_triage_not_held(seed_html, bob, wire, settings):
    settings.MAX_QUEUED_CLAIMS_PER_ARTICLE = 3
    wire.triage_rule = TriageRule.ALL
    wire.save()
    claims = _extract(seed_html, None, wire)
    assert [c.status for c in claims] == [S.ASSIGNED] * 3 + [S.TRIAGE] * (len(claims) - 3)
    assert not any(c.held for c in claims)


def test_manual_submissions_keep_todays_behaviour_until_an_editor_changes_their_rule(
    seed_html, alice, bob, settings
):
    settings.MAX_QUEUED_CLAIMS_PER_ARTICLE = 3
    claims = _extract(seed_html, alice)
    assert [c.status for c in claims[:3]] == [S.ASSIGNED] * 3
    assert all(c.held and c.status == S.EXTRACTED for c in claims[3:])
    assert {c.source_id for c in claims} == {None}

    rule = ManualTriageRule.load()
    rule.triage_rule = TriageRule.NONE
    rule.save()
    # Another story (the seed's own claims would join their clusters, attached to
    # the reviews already under way, and be no triage work).
    other = (Path(__file__).parent.parent / "bench/data/pages/council-budget.html").read_bytes()
    assert {c.status for c in _extract(other, alice)} == {S.TRIAGE}


def test_a_polled_source_passes_its_rule_to_the_articles_it_submits(wire, alice, monkeypatch):
    from claims.intake import sources

    monkeypatch.setattr(sources, "list_source_urls", lambda url, kind: ["https://a.example.org/1"])
    monkeypatch.setattr(submission, "validate_public_url", lambda url, resolve=True: None)
    sources.poll_source(wire)
    assert Article.objects.get(url="https://a.example.org/1").monitored_source == wire


# ---------------------------------------------------------------------------
# Actions in the workflow


@pytest.fixture
def inbox(make_claim, wire):
    """Five claims in triage from the wire, ranked 0.5 … 0.9."""
    claims = []
    for i in range(5):
        c = make_claim(status=S.TRIAGE, source=wire, beat="politics")
        c.score = 0.5 + i / 10
        ranking = triage.priority(sig(score=c.score, created_at=c.created_at))
        c.triage_priority, c.triage_reasons = ranking.value, ranking.reasons
        c.save()
        claims.append(c)
    return claims


def test_accepting_queues_the_claim_with_a_log_row_and_asks_for_assignment(
    inbox, alice, bob, django_capture_on_commit_callbacks
):
    claim = inbox[0]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.accept(claim, actor=alice)
    claim.refresh_from_db()
    assert claim.status == S.QUEUED
    entry = claim.log.get(action="claim.accepted")
    assert (entry.actor, entry.from_status, entry.to_status) == (alice, S.TRIAGE, S.QUEUED)
    assert len(callbacks) == 1  # the assign task, sent by name after commit
    with pytest.raises(workflow.NotAllowed):
        workflow.accept(inbox[1], actor=bob)
    with pytest.raises(workflow.InvalidState):
        workflow.accept(claim, actor=alice)


def test_bulk_accept_and_dismiss_log_each_claim_and_report_those_already_moved(
    inbox, alice, bob, django_capture_on_commit_callbacks
):
    workflow.dismiss(inbox[0], actor=alice, reason="opinion")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = workflow.accept_many([c.pk for c in inbox[:3]], actor=alice)
    assert len(callbacks) == 2  # one assign task per accepted claim's article
    assert outcome.done == [inbox[1].pk, inbox[2].pk]
    assert list(outcome.refused) == [inbox[0].pk]
    assert "Dismissed" in outcome.refused[inbox[0].pk]
    outcome = workflow.dismiss_many([c.pk for c in inbox[3:]], actor=alice, reason="out_of_scope")
    assert len(outcome.done) == 2
    statuses = dict(Claim.objects.filter(pk__in=[c.pk for c in inbox]).values_list("pk", "status"))
    assert [statuses[c.pk] for c in inbox] == [S.DISMISSED, S.QUEUED, S.QUEUED] + [S.DISMISSED] * 2
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in inbox[3:]]).values_list(
            "dismiss_reason", flat=True
        )
    ) == {"out_of_scope"}
    logged = ClaimLog.objects.filter(action__in=["claim.accepted", "claim.dismissed"], actor=alice)
    assert logged.count() == 5
    with pytest.raises(workflow.NotAllowed):
        workflow.dismiss_many([inbox[1].pk], actor=bob)
    with pytest.raises(workflow.WorkflowError):
        workflow.dismiss_many([inbox[1].pk], actor=alice, reason="duplicate")
    with pytest.raises(workflow.WorkflowError):
        workflow.accept_many([], actor=alice)


def test_a_bulk_action_rolls_back_whole_when_a_claim_moves_underneath_it(inbox, alice, monkeypatch):
    queryset = type(Claim.objects.all())
    real_update = queryset.update

    def racing_update(qs, **kw):
        if kw.get("status") == S.QUEUED:  # just before the batch's update: someone else
            real_update(Claim.objects.filter(pk=inbox[1].pk), status=S.DISMISSED)
        return real_update(qs, **kw)

    monkeypatch.setattr(queryset, "update", racing_update)
    with pytest.raises(workflow.StaleClaim):
        workflow.accept_many([c.pk for c in inbox], actor=alice)
    monkeypatch.undo()
    assert not ClaimLog.objects.filter(action="claim.accepted").exists()


# ---------------------------------------------------------------------------
# The inbox page, without JavaScript


def test_the_inbox_is_ranked_and_each_row_says_why(client, inbox, alice):
    client.force_login(alice)
    page = client.get(reverse("claims:triage")).content.decode()
    order = [page.index(f'id="claim-{c.pk}"') for c in reversed(inbox)]
    assert order == sorted(order)  # highest priority first
    assert "0.90" in page and "5 waiting" in page
    assert 'Wire</a> <span class="num">5</span>' in page
    assert 'src="/static/claims/triage.js"' in page


def test_filters_narrow_the_inbox(client, inbox, alice, make_claim):
    other = make_claim(status=S.TRIAGE, speaker="Keir Starmer", beat="health")
    Claim.objects.filter(pk=other.pk).update(score=0.3)
    client.force_login(alice)
    url = reverse("claims:triage")

    def ids(**params):
        return [c.pk for c in client.get(url, params).context["rows"]]

    assert set(ids()) == {c.pk for c in inbox} | {other.pk}
    assert ids(source=triage.MANUAL) == [other.pk]
    assert set(ids(source=str(inbox[0].source_id))) == {c.pk for c in inbox}
    assert ids(beat="health") == [other.pk]
    assert ids(claimant="starmer") == [other.pk]
    assert ids(min_score="0.75") == [inbox[4].pk, inbox[3].pk]


def test_an_editor_accepts_one_and_dismisses_the_selected_with_a_reason(client, inbox, alice):
    client.force_login(alice)
    url = reverse("claims:triage") + "?beat=politics"
    response = client.post(url, {"accept_one": inbox[4].pk, "reason": "opinion"})
    assert response.status_code == 302 and response.url == url
    response = client.post(
        url,
        {"ids": [inbox[0].pk, inbox[1].pk], "bulk": "dismiss", "reason": "opinion"},
        follow=True,
    )
    assert "Dismissed: 2 claim(s)." in response.content.decode()
    got = dict(Claim.objects.values_list("pk", "status"))
    assert got[inbox[4].pk] == S.QUEUED
    assert got[inbox[0].pk] == got[inbox[1].pk] == S.DISMISSED
    assert Claim.objects.get(pk=inbox[0].pk).dismiss_reason == "opinion"
    response = client.post(url, {"bulk": "accept"}, follow=True)
    assert "Select at least one claim." in response.content.decode()


def test_only_editors_triage(client, inbox, bob, dave):
    for user in (bob, dave):
        client.force_login(user)
        assert client.get(reverse("claims:triage")).status_code == 403
        assert client.post(reverse("claims:triage"), {"accept_one": inbox[0].pk}).status_code == 403
    assert Claim.objects.get(pk=inbox[0].pk).status == S.TRIAGE


def test_reviewers_do_not_see_claims_in_triage(client, inbox, bob):
    from claims.review.access import visible_claims

    assert not visible_claims(bob).filter(status=S.TRIAGE).exists()


def test_the_claim_page_offers_accept_for_a_claim_in_triage(client, inbox, alice):
    client.force_login(alice)
    claim = inbox[0]
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'id="action-accept"' in page
    client.post(
        reverse("claims:claim_act", args=[claim.pk, "accept"]), {"accept-version": claim.version}
    )
    assert Claim.objects.get(pk=claim.pk).status == S.QUEUED


# ---------------------------------------------------------------------------
# The API and the admin


def test_the_api_lists_the_inbox_and_accepts_and_dismisses_in_bulk(client, inbox, alice, bob):
    client.force_login(alice)
    listed = client.get("/api/triage/?min_score=0.6").json()
    assert [r["id"] for r in listed["results"]] == [c.pk for c in reversed(inbox[1:])]
    assert listed["results"][0]["triage_reasons"] == "0.90"
    assert listed["counts"]["total"] == 5
    one = client.post(
        f"/api/claims/{inbox[0].pk}/actions/accept/",
        {"version": inbox[0].version},
        content_type="application/json",
    )
    assert one.status_code == 200 and one.json()["status"] == S.QUEUED
    bulk = client.post(
        "/api/triage/dismiss/",
        {"ids": [c.pk for c in inbox], "reason": "opinion"},
        content_type="application/json",
    )
    assert bulk.status_code == 200
    assert bulk.json()["done"] == [c.pk for c in inbox[1:]]
    assert list(bulk.json()["refused"]) == [str(inbox[0].pk)]
    client.force_login(bob)
    assert client.get("/api/triage/").status_code == 403
    assert (
        client.post(
            "/api/triage/accept/", {"ids": [1]}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_admin_accepts_selected_claims_from_triage(client, inbox, alice):
    client.force_login(alice)
    response = client.post(
        "/admin/claims/claim/",
        {"action": "accept_claims", "_selected_action": [c.pk for c in inbox[:2]]},
        follow=True,
    )
    assert "Accepted for review: 2 claim(s)." in response.content.decode()
    assert ClaimLog.objects.filter(action="claim.accepted", actor=alice).count() == 2


def test_editors_edit_the_manual_submissions_rule_through_the_api(client, alice, bob):
    client.force_login(alice)
    response = client.put(
        "/api/triage/rule/",
        {
            "triage_rule": "top_n",
            "triage_top_n": 3,
            "triage_min_score": 0.8,
            "beat": "",
            "beat_weight": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert ManualTriageRule.load().triage_rule == "top_n"
    client.force_login(bob)
    assert client.get("/api/triage/rule/").status_code == 403


# ---------------------------------------------------------------------------
# Reviewer capacity


def _waiting(make_claim, n):
    first = make_claim(status=S.QUEUED)
    for i in range(n - 1):
        Claim.objects.create(
            article=first.article,
            text=f"Claim {i}",
            start=0,
            end=5,
            sentence_index=i + 2,
            score=0.8,
            status=S.QUEUED,
        )
    return first.article


def test_assignment_stops_at_each_reviewers_daily_cap_and_the_rest_wait_accepted(
    make_claim, bob, carol, settings
):
    settings.REVIEWER_DAILY_CAP = 3
    ReviewerCapacity.objects.create(user=carol, daily_cap=1)
    article = _waiting(make_claim, 6)
    result = workflow.assign_waiting_claims(article.pk)
    assert (result.assigned, result.waiting, result.at_capacity) == (4, 2, True)
    given = dict(
        Claim.objects.filter(status=S.ASSIGNED).values_list("assignee").annotate(n=models_count())
    )
    assert given == {bob.pk: 3, carol.pk: 1}
    assert Claim.objects.filter(status=S.QUEUED, assignee=None).count() == 2
    assert not workflow.reviewer_has_room()
    # Nothing more today, however often the sweep asks.
    assert workflow.assign_waiting_claims(article.pk).assigned == 0


def test_room_frees_when_a_reviewer_finishes_carried_over_work_or_a_new_day_starts(
    make_claim, bob, settings
):
    settings.REVIEWER_DAILY_CAP = 2
    article = _waiting(make_claim, 6)
    workflow.assign_waiting_claims(article.pk)
    # Two given today and both finished at once: still a day's share, no more today.
    done_today = list(Claim.objects.filter(assignee=bob).values_list("pk", flat=True))
    Claim.objects.filter(pk__in=done_today).update(status=S.DISMISSED)
    assert not workflow.reviewer_has_room()
    Claim.objects.filter(pk__in=done_today).update(assigned_at=timezone.now() - timedelta(days=1))
    assert workflow.assign_waiting_claims(article.pk).assigned == 2
    # A new day: yesterday's assignments no longer count against today's cap,
    # but the two claims still open on bob's desk do.
    yesterday = timezone.now() - timedelta(days=1)
    Claim.objects.filter(assignee=bob).update(assigned_at=yesterday)
    assert not workflow.reviewer_has_room()
    finished = Claim.objects.filter(assignee=bob, status=S.ASSIGNED).first()
    Claim.objects.filter(pk=finished.pk).update(status=S.DISMISSED)  # done with one
    assert workflow.reviewer_has_room()
    assert workflow.assign_waiting_claims(article.pk).assigned == 1


def test_the_inbox_shows_each_reviewers_load_against_their_cap(
    client, make_claim, alice, bob, settings
):
    settings.REVIEWER_DAILY_CAP = 1
    article = _waiting(make_claim, 2)
    workflow.assign_waiting_claims(article.pk)
    client.force_login(alice)
    page = client.get(reverse("claims:triage")).content.decode()
    assert (
        'bob <span class="badge st-queued">full</span></th><td class="num">1</td><td class="num">1</td><td class="num">1</td>'
        in page
    )
    assert "1 accepted, waiting for a reviewer (every reviewer is at their daily cap)" in page


def models_count():
    from django.db.models import Count

    return Count("id")


def test_the_sweep_leaves_accepted_claims_waiting_while_every_reviewer_is_full(
    make_claim, bob, settings
):
    from claims.jobs.pipeline import sweep_stuck_work

    settings.REVIEWER_DAILY_CAP = 1
    settings.SWEEP_CLAIMS_AFTER_SECONDS = 0
    article = _waiting(make_claim, 3)
    workflow.assign_waiting_claims(article.pk)
    Claim.objects.filter(status=S.QUEUED).update(
        status_changed_at=timezone.now() - timedelta(minutes=5)
    )
    assert sweep_stuck_work()["claim_articles"] == 0  # no churn while nobody has room
    Claim.objects.filter(assignee=bob).update(status=S.DISMISSED, assigned_at=None)
    assert sweep_stuck_work()["claim_articles"] == 1


def _from_outlet(html: bytes, outlet: str) -> bytes:
    head = f'<html><head><meta property="og:site_name" content="{outlet}"></head><body>'
    return head.encode() + html + b"</body></html>"


def test_a_claim_a_second_outlet_carries_joins_its_cluster_and_lifts_the_rank(seed_html, wire):
    first = _extract(_from_outlet(seed_html, "Outlet A"), None, wire)
    lead = first[0]
    assert lead.status == S.TRIAGE and lead.cluster_id
    before = lead.triage_priority
    # The same story, reworded a little, from another outlet.
    second = _extract(
        _from_outlet(seed_html.replace(b"volunteers", b"helpers"), "Outlet B"), None, wire
    )
    joined = [c for c in second if c.cluster_id == lead.cluster_id]
    assert joined and all(c.attached and c.status == S.EXTRACTED for c in joined)
    inbox_ids = set(triage.inbox().values_list("id", flat=True))
    assert lead.pk in inbox_ids and not inbox_ids & {c.pk for c in joined}
    lead.refresh_from_db()
    assert lead.triage_priority > before
    assert lead.triage_reasons.startswith("2 outlets"), lead.triage_reasons
