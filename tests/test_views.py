"""The editor web app: login required, roles respected, submissions safe."""

import pytest
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client, make_claim):
    claim = make_claim()
    for url in (reverse("claims:desk"), reverse("claims:articles"), reverse("claims:submit"),
                claim.article.get_absolute_url(), claim.get_absolute_url()):
        r = client.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith("/accounts/login/?next="), url


def test_login_page_renders(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200 and b'name="password"' in r.content


def test_the_articles_list_shows_dates_publisher_and_counts_not_every_claim(
        client, alice, bob, make_claim, django_assert_max_num_queries):
    from datetime import date

    claim = make_claim(status="assigned", assignee=bob)
    article = claim.article
    article.publisher, article.published_date = "The Riverside Courier", date(2024, 3, 14)
    article.save()
    make_claim(status="published", assignee=bob).article  # another article
    client.force_login(alice)
    page = client.get(reverse("claims:articles")).content.decode()
    assert article.title in page and "The Riverside Courier" in page and "14 Mar 2024" in page
    assert claim.text not in page  # collapsed: the claims are on the article's page
    row = page[page.index(f'data-article="{article.pk}"'):]
    row = row[:row.index("</tr>")]
    assert ">1</a>" in row and "1 open · 0 published" in row
    # Bounded: the same few queries for 60 articles as for 2, two pages of them.
    for i in range(58):
        Article.objects.create(title=f"Extra {i}", text="x" * 10_000, raw_html="y" * 50_000,
                               content_hash=f"extra-{i}", status="extracted")
    with django_assert_max_num_queries(8) as captured:
        page = client.get(reverse("claims:articles")).content.decode()
    assert not any("raw_html" in q["sql"] or '"text"' in q["sql"]
                   for q in captured.captured_queries)
    assert "Page 1 of 2" in page and 'rel="next"' in page
    page2 = client.get(reverse("claims:articles") + "?page=2").content.decode()
    assert article.title in page2  # the oldest article is on the second page


def test_a_reviewer_counts_only_the_claims_they_can_see_in_the_articles_list(
        client, bob, carol, make_claim):
    theirs = make_claim(status="assigned", assignee=carol)
    client.force_login(bob)
    page = client.get(reverse("claims:articles")).content.decode()
    row = page[page.index(f'data-article="{theirs.article_id}"'):]
    assert ">0</a>" in row[:row.index("</tr>")]


def test_the_desk_nav_links_to_the_public_pages_feeds_api_docs_and_admin(client, alice, bob):
    client.force_login(alice)
    page = client.get(reverse("claims:desk")).content.decode()
    for url in ("/factchecks/", "/factchecks/feed.atom", "/factchecks/feed.json",
                "/api/docs/", "/admin/"):
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

    html = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9 prices</title></head>'
            "<body><p>The caf\u00e9 charged \u00a34.50 for a coffee, said Mr Smith.</p></body></html>")
    upload = SimpleUploadedFile("a.html", html.encode("cp1252"), "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 302
    assert "café charged £4.50" in Article.objects.get().text


@pytest.mark.parametrize("payload,message", [
    ({}, "Paste HTML, upload a file, or give a URL."),
    ({"html": "<html><body><script>x()</script></body></html>"}, "no article text"),
    ({"url": "http://127.0.0.1:6379/"}, "private or local address"),
    ({"url": "ftp://example.org/a"}, "Give an http:// or https:// address."),
])
def test_bad_submissions_get_a_clear_error_and_keep_the_input(client, alice, payload, message,
                                                            settings):
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
    verdict = Verdict.objects.create(claim=claim, rating=rating, conclusion="Roughly right.",
                                     proposed_by=bob)
    claim.verdict = verdict
    claim.save(update_fields=["verdict"])
    return claim


def test_anonymous_visitors_are_sent_to_login_from_every_page(client, make_claim):
    claim = make_claim()
    for url in (reverse("claims:claims"), reverse("claims:my_queue"),
                reverse("claims:article_live", args=[claim.article_id]),
                reverse("password_change")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/login/?next="), url


def test_the_desk_shows_the_numbers_and_lists_that_matter(client, alice, bob, make_claim,
                                                          settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.REVIEW_SLA_HOURS = 24
    late = make_claim(status="assigned", assignee=bob, text="A late claim of 5 things.",
                      assigned_at=timezone.now() - timedelta(hours=30))
    waiting = _claim_with_verdict(make_claim, bob)
    client.force_login(alice)
    r = client.get(reverse("claims:desk"))
    page = r.content.decode()
    assert r.status_code == 200
    assert 'id="n-overdue">1<' in page and late.text in page
    assert 'id="n-signoff">1<' in page and waiting.text in page
    assert page.count("<svg") == 3  # status history, ratings, time to verdict


def test_the_status_history_is_worked_out_from_the_log(alice, bob, make_claim):
    from claims import workflow
    from claims.views.desk import _status_history

    claim = make_claim(status="queued")
    workflow.assign(claim, bob, actor=alice)
    history = _status_history(days=14)
    today = {key: values[-1] for key, _, values in history["series"]}
    assert today.get("assigned") == 1 and today.get("queued", 0) == 0


def test_the_article_page_highlights_claims_from_offsets_and_escapes_text(client, alice,
                                                                          make_claim):
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
    from claims import workflow

    claim = _claim_with_verdict(make_claim, bob)
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    allowed = {a.name for a in workflow.allowed_actions(claim, alice)}
    for name in workflow.ACTIONS:
        if name == "edit_research":
            continue
        assert (f'id="action-{name}"' in page) == (name in allowed), name
    assert f'name="sign_off-version" value="{claim.version}"' in page


def test_reviewers_never_see_editor_controls_and_a_forged_post_is_refused(client, bob,
                                                                          make_claim):
    from claims.models import Claim

    claim = _claim_with_verdict(make_claim, bob)
    client.force_login(bob)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "editor-only" not in page and 'id="action-publish"' not in page
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]),
                    {"publish-version": claim.version})
    assert r.status_code == 403
    assert "You do not have permission to publish." in r.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "proposed"


def test_a_reviewer_proposes_a_verdict_and_an_editor_publishes_it(client, alice, bob,
                                                                  make_claim):
    from claims.models import Claim

    claim = make_claim(status="in_review", assignee=bob)
    client.force_login(bob)
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "add_evidence"]), {
        "add_evidence-version": claim.version, "add_evidence-url": "https://example.org/a",
        "add_evidence-note": "The post itself."})
    assert r.status_code == 302
    claim.refresh_from_db()
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "propose"]), {
        "propose-version": claim.version, "propose-rating": "mostly_true",
        "propose-conclusion": "About right.", "propose-explanation": "",
        "propose-sources": ""})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "proposed" and claim.evidence.count() == 1
    client.force_login(alice)
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]),
                    {"publish-version": claim.version}, follow=True)
    assert "You cannot publish now" in r.content.decode()  # sign-off comes first
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "sign_off"]),
                    {"sign_off-version": claim.version}, follow=True)
    claim.refresh_from_db()
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]),
                    {"publish-version": claim.version}, follow=True)
    assert "Published." in r.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "published"


def test_a_stale_form_keeps_what_the_user_typed(client, alice, bob, make_claim):
    from claims import workflow
    from claims.models import Claim

    claim = make_claim(status="in_review", assignee=bob)
    seen = claim.version
    workflow.set_priority(claim, 3, actor=alice)  # someone else moves it on
    client.force_login(bob)
    r = client.post(reverse("claims:claim_act", args=[claim.pk, "propose"]), {
        "propose-version": seen, "propose-rating": "false",
        "propose-conclusion": "My careful conclusion.", "propose-explanation": "Long text.",
        "propose-sources": ""})
    page = r.content.decode()
    assert r.status_code == 409
    assert "Someone else changed this claim" in page
    assert 'value="My careful conclusion."' in page and "Long text." in page
    fresh = Claim.objects.get(pk=claim.pk)
    assert f'name="propose-version" value="{fresh.version}"' in page
    assert fresh.status == "in_review"


def test_the_claim_list_filters_and_pages_by_keyset(client, alice, bob, make_claim,
                                                    monkeypatch):
    from claims.views import lists

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
    from claims import services
    from claims.models import Claim

    article = services.submit_article(actor=alice, html=seed_html).article
    services.extract_and_store(article)
    claim = Claim.objects.get(article=article, text__contains="almost 100 current")
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    numbers = page[page.index('id="claim-numbers"'):]
    numbers = numbers[:numbers.index("</ul>")]
    assert "<strong>100</strong> staff: at most 100" in numbers
    assert "North Carolina" in page[page.index('id="claim-entities"'):]


def test_search_matches_word_forms_phrases_and_speakers(client, alice, make_claim):
    campaigned = make_claim(text="Almost 100 staff campaigned in North Carolina.")
    quoted = make_claim(text="He said staff were “volunteering in their spare time”.",
                        speaker="Keir Starmer")
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
    ("propose", "bob", "in_review",
     lambda c, p: {"rating": "half_true", "conclusion": "Half of it.", "sources": "a\nb"},
     "proposed"),
    ("send_back", "alice", "proposed", lambda c, p: {"comment": "More sources."}, "in_review"),
    ("sign_off", "alice", "proposed", lambda c, p: {}, "approved"),
    ("publish", "alice", "approved", lambda c, p: {}, "published"),
    ("reopen", "alice", "published", lambda c, p: {"comment": "New evidence."}, "in_review"),
    ("dismiss", "alice", "assigned", lambda c, p: {"reason": "not_checkworthy"}, "dismissed"),
    ("mark_duplicate", "alice", "queued", lambda c, p: {"duplicate_of": p["original"].pk},
     "dismissed"),
    ("requeue", "alice", "dismissed", lambda c, p: {}, "queued"),
    ("set_priority", "alice", "assigned", lambda c, p: {"priority": 3}, "assigned"),
    ("edit_research", "bob", "in_review", lambda c, p: {"research_notes": "Called Labour."},
     "in_review"),
    ("add_evidence", "bob", "in_review",
     lambda c, p: {"url": "https://example.org/post", "note": "archived"}, "in_review"),
]


@pytest.mark.parametrize("action,who,state,payload,to_status", WEB_ACTIONS,
                         ids=[a[0] for a in WEB_ACTIONS])
def test_every_action_works_from_the_claim_page(client, alice, bob, make_claim, action, who,
                                                state, payload, to_status):
    from claims.models import ClaimLog, Verdict

    people = {"alice": alice, "bob": bob, "original": make_claim(text="The original 1.")}
    unassigned = state in ("queued", "extracted")
    claim = make_claim(status=state, assignee=None if unassigned else bob)
    if state in ("proposed", "approved", "published"):
        claim.verdict = Verdict.objects.create(claim=claim, rating="true", conclusion="Yes.",
                                               proposed_by=bob)
        claim.save()
    client.force_login(people[who])
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'action="/claims/{claim.pk}/act/{action}/"' in page  # the button is offered
    data = {f"{action}-{k}": v for k, v in {"version": claim.version,
                                             **payload(claim, people)}.items()}
    r = client.post(reverse("claims:claim_act", args=[claim.pk, action]), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.status == to_status
    assert ClaimLog.objects.filter(claim=claim, actor=people[who]).exists()


def test_similar_claims_never_reveal_another_reviewers_work(client, bob, carol, make_claim):
    mine = make_claim(status="in_review", assignee=bob,
                      text="Almost 100 Labour staff campaigned in North Carolina.")
    make_claim(status="in_review", assignee=carol,
               text="Nearly 100 Labour staff campaigned in North Carolina, said Ms Patel.")
    client.force_login(bob)
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "said Ms Patel" not in page
    client.force_login(carol)  # carol's own claim sees nothing of bob's either
    page = client.get(mine.get_absolute_url())
    assert page.status_code == 404
