"""The editor web app: login required, roles respected, submissions safe."""

from datetime import UTC

import pytest
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client, make_claim):
    claim = make_claim()
    for url in (
        reverse("claims:desk"),
        reverse("claims:articles"),
        reverse("claims:submit"),
        claim.article.get_absolute_url(),
        claim.get_absolute_url(),
    ):
        r = client.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith("/accounts/login/?next="), url


def test_login_page_renders(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200 and b'name="password"' in r.content


def test_the_articles_list_shows_dates_publisher_and_counts_not_every_claim(
    client, alice, bob, make_claim, django_assert_max_num_queries
):
    from datetime import date

    claim = make_claim(status="assigned", assignee=bob)
    article = claim.article
    article.publisher, article.published_date = "The Riverside Courier", date(2024, 3, 14)
    article.save()
    make_claim(status="published", assignee=bob)  # another article
    client.force_login(alice)
    page = client.get(reverse("claims:articles")).content.decode()
    assert article.title in page and "The Riverside Courier" in page and "14 Mar 2024" in page
    assert claim.text not in page  # collapsed: the claims are on the article's page
    row = page[page.index(f'data-article="{article.pk}"') :]
    row = row[: row.index("</tr>")]
    assert ">1</a>" in row and "1 open · 0 published" in row
    # Bounded: the same few queries for 60 articles as for 2, two pages of them.
    for i in range(58):
        Article.objects.create(
            title=f"Extra {i}",
            text="x" * 10_000,
            raw_html="y" * 50_000,
            content_hash=f"extra-{i}",
            status="extracted",
        )
    with django_assert_max_num_queries(8) as captured:
        page = client.get(reverse("claims:articles")).content.decode()
    assert not any(
        "raw_html" in q["sql"] or '"text"' in q["sql"] for q in captured.captured_queries
    )
    assert "Page 1 of 2" in page and 'rel="next"' in page
    page2 = client.get(reverse("claims:articles") + "?page=2").content.decode()
    assert article.title in page2  # the oldest article is on the second page


def test_a_reviewer_counts_only_the_claims_they_can_see_in_the_articles_list(
    client, bob, carol, make_claim
):
    theirs = make_claim(status="assigned", assignee=carol)
    client.force_login(bob)
    page = client.get(reverse("claims:articles")).content.decode()
    row = page[page.index(f'data-article="{theirs.article_id}"') :]
    assert ">0</a>" in row[: row.index("</tr>")]


def test_the_desk_nav_links_to_the_public_pages_feeds_api_docs_and_admin(client, alice, bob):
    client.force_login(alice)
    page = client.get(reverse("claims:desk")).content.decode()
    for url in (
        "/factchecks/",
        "/factchecks/feed.atom",
        "/factchecks/feed.json",
        "/api/docs/",
        "/admin/",
    ):
        assert f'href="{url}"' in page, url
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_a_user_outside_the_desk_is_refused(client, dave):
    client.force_login(dave)
    assert client.get(reverse("claims:desk")).status_code == 403


def test_reviewers_cannot_submit_articles(client, bob):
    client.force_login(bob)
    assert client.get(reverse("claims:submit")).status_code == 403


def test_submitting_pasted_html_stores_the_article(client, alice, seed_html):
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), {"html": seed_html.decode()})
    article = Article.objects.get()
    assert r.status_code == 302 and r["Location"] == article.get_absolute_url()
    assert "six-page complaint" in article.text and "<a" not in article.text
    # Again: the same article, not a second one.
    r = client.post(reverse("claims:submit"), {"html": seed_html.decode()}, follow=True)
    assert Article.objects.count() == 1
    assert b"already submitted" in r.content


def test_uploading_a_file_in_another_encoding(client, alice):
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = (
        '<html><head><meta charset="windows-1252"><title>Caf\u00e9 prices</title></head>'
        "<body><p>The caf\u00e9 charged \u00a34.50 for a coffee, said Mr Smith.</p></body></html>"
    )
    upload = SimpleUploadedFile("a.html", html.encode("cp1252"), "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 302
    assert "café charged £4.50" in Article.objects.get().text


@pytest.mark.parametrize(
    "payload,message",
    [
        ({}, "Paste HTML, upload a file, or give a URL."),
        ({"html": "<html><body><script>x()</script></body></html>"}, "no article text"),
        ({"url": "http://127.0.0.1:6379/"}, "private or local address"),
        ({"url": "ftp://example.org/a"}, "Give an http:// or https:// address."),
    ],
)
def test_bad_submissions_get_a_clear_error_and_keep_the_input(
    client, alice, payload, message, settings
):
    settings.FETCH_ALLOW_PRIVATE = False
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), payload)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Article.objects.exists()


def test_a_huge_file_is_refused(client, alice, settings):
    settings.MAX_ARTICLE_BYTES = 1000
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.html", b"<p>" + b"word " * 1000 + b"</p>", "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 200 and "too large" in r.content.decode()
    assert not Article.objects.exists()


# ---------------------------------------------------------------------------
# Desk, lists, article and claim pages


def _claim_with_verdict(make_claim, bob, status="proposed", rating="mostly_true"):
    from claims.models import Verdict

    claim = make_claim(status=status, assignee=bob)
    verdict = Verdict.objects.create(
        claim=claim, rating=rating, conclusion="Roughly right.", proposed_by=bob
    )
    claim.verdict = verdict
    claim.save(update_fields=["verdict"])
    return claim


def test_anonymous_visitors_are_sent_to_login_from_every_page(client, make_claim):
    claim = make_claim()
    for url in (
        reverse("claims:claims"),
        reverse("claims:my_queue"),
        reverse("claims:article_live", args=[claim.article_id]),
        reverse("password_change"),
    ):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="), url


def test_the_desk_shows_the_numbers_and_lists_that_matter(client, alice, bob, make_claim, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.REVIEW_SLA_HOURS = 24
    late = make_claim(
        status="assigned",
        assignee=bob,
        text="A late claim of 5 things.",
        assigned_at=timezone.now() - timedelta(hours=30),
    )
    waiting = _claim_with_verdict(make_claim, bob)
    client.force_login(alice)
    r = client.get(reverse("claims:desk"))
    page = r.content.decode()
    assert r.status_code == 200
    assert 'id="n-overdue">1<' in page and late.text in page
    assert 'id="n-signoff">1<' in page and waiting.text in page
    assert page.count("<svg") == 3  # status history, ratings, time to verdict


def test_the_status_history_is_worked_out_from_the_log(alice, bob, make_claim):
    from claims.desk.views.desk import _status_history
    from claims.review import workflow

    claim = make_claim(status="queued")
    workflow.assign(claim, bob, actor=alice)
    history = _status_history(days=14)
    today = {key: values[-1] for key, _, values in history["series"]}
    assert today.get("assigned") == 1 and today.get("queued", 0) == 0


def test_the_article_page_highlights_claims_from_offsets_and_escapes_text(
    client, alice, make_claim
):
    claim = make_claim(text="Almost <b>100</b> staff campaigned.")
    article = claim.article
    article.text = "Intro. Almost <b>100</b> staff campaigned.\n\n<script>alert(1)</script> End."
    article.save()
    client.force_login(alice)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f'id="claim-mark-{claim.pk}"' in page
    assert "Almost &lt;b&gt;100&lt;/b&gt; staff campaigned." in page
    assert page.count("<p>Intro.") == 1  # paragraphs from blank lines
    assert "Score 0.90 · Quantity" in page  # the claim's description (tooltip)


def test_the_live_fragment_polls_until_the_work_is_done(client, alice, make_claim):
    from claims.models import Article

    claim = make_claim()
    client.force_login(alice)
    url = reverse("claims:article_live", args=[claim.article_id])
    assert 'hx-trigger="every 1s"' in client.get(url).content.decode()  # still extracted
    Article.objects.filter(pk=claim.article_id).update(status="received")
    claim.delete()
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Working: received" in page


def test_editors_see_exactly_the_actions_they_may_take(client, alice, bob, make_claim):
    from claims.review import workflow

    claim = _claim_with_verdict(make_claim, bob)
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    allowed = {a.name for a in workflow.allowed_actions(claim, alice)}
    for name in workflow.ACTIONS:
        if name == "edit_research":
            continue
        assert (f'id="action-{name}"' in page) == (name in allowed), name
    assert f'name="sign_off-version" value="{claim.version}"' in page


def test_reviewers_never_see_editor_controls_and_a_forged_post_is_refused(client, bob, make_claim):
    from claims.models import Claim

    claim = _claim_with_verdict(make_claim, bob)
    client.force_login(bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "editor-only" not in page and 'id="action-publish"' not in page
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "publish"]), {"publish-version": claim.version}
    )
    assert r.status_code == 403
    assert "You do not have permission to publish." in r.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "proposed"


def test_a_reviewer_proposes_a_verdict_and_an_editor_publishes_it(client, alice, bob, make_claim):
    from claims.models import Claim

    claim = make_claim(status="in_review", assignee=bob)
    client.force_login(bob)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "add_evidence"]),
        {
            "add_evidence-version": claim.version,
            "add_evidence-url": "https://example.org/a",
            "add_evidence-note": "The post itself.",
        },
    )
    assert r.status_code == 302
    claim.refresh_from_db()
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "propose"]),
        {
            "propose-version": claim.version,
            "propose-rating": "mostly_true",
            "propose-conclusion": "About right.",
            "propose-explanation": "",
            "propose-sources": "",
        },
    )
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "proposed" and claim.evidence.count() == 1
    client.force_login(alice)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "publish"]),
        {"publish-version": claim.version},
        follow=True,
    )
    assert "You cannot publish now" in r.content.decode()  # sign-off comes first
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "sign_off"]),
        {"sign_off-version": claim.version},
        follow=True,
    )
    claim.refresh_from_db()
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "publish"]),
        {"publish-version": claim.version},
        follow=True,
    )
    assert "Published." in r.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "published"


def test_a_stale_form_keeps_what_the_user_typed(client, alice, bob, make_claim):
    from claims.models import Claim
    from claims.review import workflow

    claim = make_claim(status="in_review", assignee=bob)
    seen = claim.version
    workflow.set_priority(claim, 3, actor=alice)  # someone else moves it on
    client.force_login(bob)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "propose"]),
        {
            "propose-version": seen,
            "propose-rating": "false",
            "propose-conclusion": "My careful conclusion.",
            "propose-explanation": "Long text.",
            "propose-sources": "",
        },
    )
    page = r.content.decode()
    assert r.status_code == 409
    assert "Someone else changed this claim" in page
    assert 'value="My careful conclusion."' in page and "Long text." in page
    fresh = Claim.objects.get(pk=claim.pk)
    assert f'name="propose-version" value="{fresh.version}"' in page
    assert fresh.status == "in_review"


def test_the_claim_list_filters_and_pages_by_keyset(client, alice, bob, make_claim, monkeypatch):
    from claims.desk.views import lists

    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    claims = [make_claim(text=f"Claim number {i} about 5 things.") for i in range(5)]
    make_claim(status="assigned", assignee=bob, text="Bob has 7 cats.")
    client.force_login(alice)
    page = client.get(reverse("claims:claims"), {"q": "7 CATS"}).content.decode()
    assert "Bob has 7 cats." in page and "Claim number" not in page
    page = client.get(reverse("claims:claims"), {"reviewer": bob.pk}).content.decode()
    assert "Bob has 7 cats." in page and "Claim number" not in page
    r = client.get(reverse("claims:claims"), {"status": "extracted"})
    assert [c.pk for c in r.context["claims"]] == [claims[4].pk, claims[3].pk]
    r = client.get(r.context["next_url"].replace("?", reverse("claims:claims") + "?"))
    assert [c.pk for c in r.context["claims"]] == [claims[2].pk, claims[1].pk]
    r = client.get(reverse("claims:claims") + r.context["prev_url"])
    assert [c.pk for c in r.context["claims"]] == [claims[4].pk, claims[3].pk]


def test_my_queue_lists_my_claims(client, bob, carol, make_claim):
    mine = make_claim(status="assigned", assignee=bob, text="Mine: 3 things.")
    make_claim(status="assigned", assignee=carol, text="Carol's: 4 things.")
    client.force_login(bob)
    page = client.get(reverse("claims:my_queue")).content.decode()
    assert mine.text in page and "Carol's" not in page


def test_password_reset_sends_a_link_that_works(client, alice):
    from django.core import mail

    r = client.post(reverse("password_reset"), {"email": "alice@example.org"}, follow=True)
    assert b"Check your email" in r.content
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    r = client.get(link.split("testserver", 1)[1], follow=True)
    assert b"Set a new password" in r.content


def test_password_change_uses_the_desk_templates(client, alice):
    client.force_login(alice)
    r = client.get(reverse("password_change"))
    assert b"desk.css" in r.content and b"Change your password" in r.content


def test_the_claim_page_lists_the_numbers_and_names_to_check(client, alice, seed_html):
    from claims.intake import submission
    from claims.models import Claim

    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)
    claim = Claim.objects.get(article=article, text__contains="almost 100 current")
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    numbers = page[page.index('id="claim-numbers"') :]
    numbers = numbers[: numbers.index("</ul>")]
    assert "<strong>100</strong> staff: at most 100" in numbers
    assert "North Carolina" in page[page.index('id="claim-entities"') :]


def test_search_matches_word_forms_phrases_and_speakers(client, alice, make_claim):
    campaigned = make_claim(text="Almost 100 staff campaigned in North Carolina.")
    quoted = make_claim(
        text="He said staff were “volunteering in their spare time”.", speaker="Keir Starmer"
    )
    other = make_claim(text="The council will close 12 libraries by 2026.")
    client.force_login(alice)

    def found(q):
        page = client.get(reverse("claims:claims"), {"q": q}).content.decode()
        return {c.pk for c in (campaigned, quoted, other) if c.text in page}

    assert found("campaigning carolina") == {campaigned.pk}  # word forms, every word
    assert found("campaigning libraries") == set()
    assert found("Starmer") == {quoted.pk}  # the speaker
    assert found('"spare time"') == {quoted.pk}  # an exact phrase
    assert found('"time spare"') == set()
    assert found("the") == {quoted.pk, other.pk}  # only stopwords: a plain substring match


def test_repeated_failed_logins_lock_the_account_out(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        r = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert r.status_code in (403, 429)
    # Even the right password is refused until the cool-off ends.
    r = client.post("/accounts/login/", {"username": "alice", "password": "pw-alice"})
    assert r.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


# Every workflow action through the claim page's own form: who, from which state,
# what to post, and the status it leads to.
WEB_ACTIONS = [
    ("assign", "alice", "queued", lambda c, p: {"reviewer": p["bob"].pk}, "assigned"),
    ("take", "bob", "queued", lambda c, p: {}, "in_review"),
    ("start_review", "bob", "assigned", lambda c, p: {}, "in_review"),
    (
        "propose",
        "bob",
        "in_review",
        lambda c, p: {"rating": "half_true", "conclusion": "Half of it.", "sources": "a\nb"},
        "proposed",
    ),
    ("send_back", "alice", "proposed", lambda c, p: {"comment": "More sources."}, "in_review"),
    ("sign_off", "alice", "proposed", lambda c, p: {}, "approved"),
    ("publish", "alice", "approved", lambda c, p: {}, "published"),
    ("reopen", "alice", "published", lambda c, p: {"comment": "New evidence."}, "in_review"),
    ("dismiss", "alice", "assigned", lambda c, p: {"reason": "not_checkworthy"}, "dismissed"),
    (
        "mark_duplicate",
        "alice",
        "queued",
        lambda c, p: {"duplicate_of": p["original"].pk},
        "dismissed",
    ),
    ("requeue", "alice", "dismissed", lambda c, p: {}, "queued"),
    ("set_priority", "alice", "assigned", lambda c, p: {"priority": 3}, "assigned"),
    (
        "edit_research",
        "bob",
        "in_review",
        lambda c, p: {"research_notes": "Called Labour."},
        "in_review",
    ),
    (
        "add_evidence",
        "bob",
        "in_review",
        lambda c, p: {"url": "https://example.org/post", "note": "archived"},
        "in_review",
    ),
]


@pytest.mark.parametrize(
    "action,who,state,payload,to_status", WEB_ACTIONS, ids=[a[0] for a in WEB_ACTIONS]
)
def test_every_action_works_from_the_claim_page(
    client, alice, bob, make_claim, action, who, state, payload, to_status
):
    from claims.models import ClaimLog, Verdict

    people = {"alice": alice, "bob": bob, "original": make_claim(text="The original 1.")}
    unassigned = state in ("queued", "extracted")
    claim = make_claim(status=state, assignee=None if unassigned else bob)
    if state in ("proposed", "approved", "published"):
        claim.verdict = Verdict.objects.create(
            claim=claim, rating="true", conclusion="Yes.", proposed_by=bob
        )
        claim.save()
    client.force_login(people[who])
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'action="/claims/{claim.pk}/act/{action}/"' in page  # the button is offered
    data = {
        f"{action}-{k}": v for k, v in {"version": claim.version, **payload(claim, people)}.items()
    }
    r = client.post(reverse("claims:claim_act", args=[claim.pk, action]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.status == to_status
    assert ClaimLog.objects.filter(claim=claim, actor=people[who]).exists()


def test_similar_claims_never_reveal_another_reviewers_work(client, bob, carol, make_claim):
    mine = make_claim(
        status="in_review",
        assignee=bob,
        text="Almost 100 Labour staff campaigned in North Carolina.",
    )
    make_claim(
        status="in_review",
        assignee=carol,
        text="Nearly 100 Labour staff campaigned in North Carolina, said Ms Patel.",
    )
    client.force_login(bob)
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "said Ms Patel" not in page
    client.force_login(carol)  # carol's own claim sees nothing of bob's either
    page = client.get(mine.get_absolute_url())
    assert page.status_code == 404


# ---------------------------------------------------------------------------
# Review screens


def _extracted(make_claim, **kw):
    """A claim with its extraction logged, as services.save_claims writes it."""
    from claims.models import ClaimLog

    claim = make_claim(**kw)
    ClaimLog.objects.create(claim=claim, action="claim.extracted", to_status="extracted")
    return claim


def test_the_verdict_rating_has_no_default_and_must_be_chosen(client, bob, make_claim):
    from claims.models import Claim

    claim = make_claim(status="in_review", assignee=bob)
    client.force_login(bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    form = page[page.index('id="action-propose"') :]
    form = form[: form.index("</form>")]
    assert '<option value="" selected>Choose a rating…</option>' in form
    assert '<option value="true" selected' not in form
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "propose"]),
        {
            "propose-version": claim.version,
            "propose-conclusion": "Looks right.",
            "propose-rating": "",
        },
    )
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_a_published_claim_links_to_its_public_page(client, alice, bob, make_claim):
    from claims.publishing import pages
    from claims.review import workflow

    claim = _claim_with_verdict(make_claim, bob)
    client.force_login(alice)
    assert 'id="public-link"' not in client.get(claim.get_absolute_url()).content.decode()
    workflow.sign_off(claim, actor=alice)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "publish"]),
        {"publish-version": claim.version},
        follow=True,
    )
    page = r.content.decode()
    assert "Published." in page
    assert f'<a href="{pages.public_path(claim)}" id="public-link">' in page
    assert client.get(pages.public_path(claim)).status_code == 200


def test_the_sources_given_with_a_verdict_show_on_the_desks_claim_page(
    client, alice, bob, make_claim
):
    from claims.review import workflow

    claim = make_claim(status="in_review", assignee=bob)
    workflow.propose_verdict(
        claim,
        actor=bob,
        rating="half_true",
        conclusion="Half.",
        sources=["https://ons.gov.uk/" + "x" * 120, "Call with the press office"],
    )
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    sources = page[page.index('<ul class="sources">') :]
    sources = sources[: sources.index("</ul>")]
    assert 'href="https://ons.gov.uk/' in sources and "Call with the press office" in sources
    assert "Proposed by bob · waiting for sign-off" in page
    assert "(proposed; proposed by" not in page


@pytest.mark.parametrize(
    "status, who, primary, absent",
    [
        ("queued", "bob", "take", None),
        ("queued", "alice", "assign", None),
        ("in_review", "bob", "propose", None),
        ("proposed", "alice", "sign_off", "publish"),
        ("approved", "alice", "publish", "sign_off"),
        ("dismissed", "alice", "requeue", None),
    ],
)
def test_the_next_expected_step_is_the_primary_action(
    client, alice, bob, make_claim, status, who, primary, absent
):
    people = {"alice": alice, "bob": bob}
    claim = (
        _claim_with_verdict(make_claim, bob, status=status)
        if status in ("proposed", "approved")
        else make_claim(status=status, assignee=bob if status == "in_review" else None)
    )
    client.force_login(people[who])
    page = client.get(claim.get_absolute_url()).content.decode()
    next_step = page[page.index('id="next-step"') :]
    next_step = next_step[: next_step.index("</form>")]
    assert f'id="action-{primary}"' in next_step and 'class="primary"' in next_step
    assert next_step.count("<form") == 1
    others = page[page.index("</form>", page.index('id="next-step"')) : page.index("</aside>")]
    assert 'class="primary"' not in others  # the rest are secondary
    if absent:
        assert f'id="action-{absent}"' not in page
    if status in ("proposed", "approved"):
        assert "an editor who did not propose the verdict <strong>signs it off</strong>" in page


def test_stale_labels_are_gone(client, alice, bob, make_claim, seed_html):
    claim = make_claim(
        status="in_review",
        assignee=bob,
        entities=[{"text": "Labour", "label": "ORG"}, {"text": "Ohio", "label": "GPE"}],
    )
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'Ohio <span class="muted">(place)</span>' in page
    assert "(organisation)" in page and "(gpe)" not in page
    # An article with no claims says so without a numbered list.
    from claims.models import Article

    empty = Article.objects.create(
        title="Empty", text="Nothing.", content_hash="e", status="extracted"
    )
    page = client.get(empty.get_absolute_url()).content.decode()
    assert '<p id="claim-list-empty">No claims found.</p>' in page
    assert "<li>No claims" not in page
    # The message after submitting stays true once extraction is done.
    r = client.post(reverse("claims:submit"), {"html": seed_html.decode()}, follow=True)
    page = r.content.decode()
    assert "Article received. Its progress is shown below." in page
    assert "extracting its claims" not in page


def test_the_proposed_badge_is_not_alarm_red():
    from pathlib import Path

    import claims

    css = (Path(claims.__file__).parent / "static/claims/desk.css").read_text()
    last = css[css.rindex(".badge.st-proposed") :]
    last = last[: last.index("}")]
    assert "#fde3e1" not in last and "#8a1c16" not in last  # the danger palette


def test_a_reviewers_desk_has_no_signoff_card_and_its_charts_count_what_they_see(
    client, alice, bob, carol, make_claim
):
    from django.core.cache import cache

    from claims.review import workflow

    cache.clear()  # the charts are cached for a minute
    mine = [_extracted(make_claim) for _ in range(3)]
    theirs = [_extracted(make_claim) for _ in range(5)]
    for c in mine:
        workflow.assign(c, bob, actor=alice)
    for c in theirs:
        workflow.assign(c, carol, actor=alice)
    workflow.start_review(theirs[0], actor=carol)
    workflow.propose_verdict(theirs[0], actor=carol, rating="false", conclusion="No.")
    queued = _extracted(make_claim)  # unassigned: bob may take it, so he sees it
    client.force_login(bob)
    r = client.get(reverse("claims:desk"))
    page = r.content.decode()
    assert 'id="n-signoff"' not in page and 'id="waiting-signoff"' not in page
    ctx = r.context
    assert ctx["total_claims"] == 4  # his three and the unassigned one
    today = ctx["history"]["rows"][-1][1]
    assert sum(today) == ctx["total_claims"]
    assert sum(n for _, n, _ in ctx["ratings"]) == 0  # carol's verdict is not his to see
    visible_articles = {c.article_id for c in mine + [queued]}
    assert {a.pk: a.n_claims for a in ctx["new_articles"]} == {
        a.pk: int(a.pk in visible_articles) for a in ctx["new_articles"]
    }
    assert queued.pk
    # The editor sees the card and everything.
    client.force_login(alice)
    r = client.get(reverse("claims:desk"))
    assert 'id="n-signoff"' in r.content.decode() and r.context["waiting_signoff_count"] == 1
    assert sum(r.context["history"]["rows"][-1][1]) == r.context["total_claims"] == 9
    assert sum(n for _, n, _ in r.context["ratings"]) == 1


def test_the_admin_shows_numbers_entities_links_and_scores_readably(client, root, make_claim):
    from datetime import datetime

    from claims.models import ClaimLog

    claim = make_claim(
        numbers=[{"text": "almost 100", "value": 100.0, "unit": "staff", "hedge": "upper_bound"}],
        entities=[{"text": "Ohio", "label": "GPE", "start": 0, "end": 4}],
        links=[{"href": "https://example.org/report", "text": "the report"}],
    )
    ClaimLog.objects.create(
        claim=claim,
        action="claim.extracted",
        to_status="extracted",
        data={"score": 0.876543, "model": "tfidf"},
    )
    claim.created_at = datetime(2026, 1, 15, 16, 30, tzinfo=UTC)  # GMT = UTC in January
    claim.score = 0.876543
    claim.save(update_fields=["created_at", "score"])
    client.force_login(root)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "<strong>almost 100</strong> staff: at most 100" in page
    assert "Ohio (place)" in page
    assert (
        '<a href="https://example.org/report" rel="noopener noreferrer nofollow">the report</a>'
        in page
    )
    assert "0.88" in page and "0.876543" not in page
    assert "&quot;label&quot;" not in page and '"hedge"' not in page  # no raw JSON
    assert "<dt>model</dt><dd>tfidf</dd>" in page
    assert "16:30" in page and "p.m." not in page  # Europe/London or UTC: 24-hour either way
    listing = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert "0.88" in listing and "0.876543" not in listing


def test_the_public_page_takes_the_organisation_from_settings_and_explains_the_rating(
    client, alice, bob, make_claim, settings
):
    from claims.publishing import pages
    from claims.review import workflow

    settings.FACTCHECK_ORGANIZATION_NAME = "Riverside Checks"
    settings.FACTCHECK_ORGANIZATION_URL = "https://riverside.example/"
    settings.FACTCHECK_ORGANIZATION_LOGO_URL = "https://riverside.example/logo.png"
    claim = make_claim(status="in_review", assignee=bob, speaker="")
    workflow.propose_verdict(
        claim,
        actor=bob,
        rating="mostly_false",
        conclusion="Not quite.",
        sources=["https://example.org/" + "a" * 200],
    )
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    page = client.get(pages.public_path(claim)).content.decode()
    assert "Riverside Checks fact-checks" in page
    assert '<img src="https://riverside.example/logo.png" alt="">' in page
    assert 'href="https://riverside.example/"' in page
    assert "Speaker not identified" not in page
    assert 'class="rating rating-mostly_false" id="rating">Mostly false</span>' in page
    assert "misses facts that change the picture" in page
    assert 'rel="icon"' in page
