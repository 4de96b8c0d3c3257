"""The REST API: the same permissions as the web app, JSON errors, the whole lifecycle."""

import copy
import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from knox.models import AuthToken

from claims.models import Article, Claim, ClaimLog, Evidence
from claims.publishing import pages
from claims.review import workflow

from .conftest import queue_drained, wait_until
from .test_workflow import EXPECTED, PERSONAS, claim_in

S = Claim.Status


@pytest.fixture(autouse=True)
def _generous_rates(generous_api_rates):
    pass


class Api:
    """A JSON client acting as one user through a token."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            _, token = AuthToken.objects.create(user=user)
            self.headers["HTTP_AUTHORIZATION"] = f"Token {token}"

    def get(self, url, **params):
        return self.client.get(url, params, **self.headers)

    def post(self, url, data=None, raw=None):
        body = raw if raw is not None else json.dumps(data or {})
        return self.client.post(url, body, content_type="application/json", **self.headers)

    def put(self, url, data):
        return self.client.put(
            url, json.dumps(data), content_type="application/json", **self.headers
        )

    def upload(self, url, data):
        return self.client.post(url, data, **self.headers)  # multipart

    def delete(self, url):
        return self.client.delete(url, **self.headers)

    def act(self, claim, action, version=None, **body):
        claim_version = Claim.objects.get(pk=claim.pk).version
        body["version"] = claim_version if version is None else version
        return self.post(f"/api/claims/{claim.pk}/actions/{action}/", body)


@pytest.fixture
def people(alice, bob, carol, dave, root):
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "root": root}


@pytest.fixture
def api(client, people):
    """api["alice"] is a client acting as alice, and so on; api[None] is anonymous."""
    return {name: Api(client, user) for name, user in [*people.items(), (None, None)]}


def assert_error(response, status, pattern=""):
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"] and data["code"]
    if pattern:
        assert re.search(pattern, data["detail"]), data["detail"]
    return data


# ---------------------------------------------------------------------------
# The permission matrix, through the action endpoint


def _body(action, original):
    return {
        "assign": {"reviewer": "carol"},
        "propose": {
            "rating": "mostly_true",
            "conclusion": "Roughly right.",
            "sources": ["https://example.org/a"],
        },
        "send_back": {"comment": "Find the archived post."},
        "reopen": {"reason": "New evidence."},
        "mark_duplicate": {"duplicate_of": original.pk},
        "set_priority": {"priority": 2},
    }.get(action, {})


def _expected_refusal(claim, user):
    visible = workflow.is_editor(user) or (
        workflow.is_reviewer(user)
        and (
            claim.assignee_id == user.pk
            or (claim.assignee_id is None and claim.status in (S.EXTRACTED, S.QUEUED))
        )
    )
    return visible


@pytest.mark.django_db
def test_the_action_endpoint_follows_the_workflow_matrix(api, people, make_claim, bob):
    original = make_claim(text="The original claim.")
    transitions = [a for a in EXPECTED if a != "edit_research"]  # that one is /notes/
    mismatches = []
    for state in S.values:
        # Refusals change nothing, so one claim per state serves every refused request.
        shared = claim_in(state, make_claim, bob)
        for action in transitions:
            personas, states = EXPECTED[action]
            for name in PERSONAS:
                user = people[name]
                allowed = name in personas and state in states
                claim = claim_in(state, make_claim, bob) if allowed else shared
                before = ClaimLog.objects.count()
                r = api[name].act(claim, action, **_body(action, original))
                if allowed:
                    ok = r.status_code == 200 and r.json()["id"] == claim.pk
                    ok = ok and ClaimLog.objects.count() > before
                else:
                    if name == "dave":
                        expected_codes = {403}
                    elif not _expected_refusal(claim, user):
                        expected_codes = {404}  # not in this reviewer's view at all
                    else:
                        try:
                            workflow.check(action, claim, user)
                        except workflow.NotAllowed:
                            expected_codes = {403}
                        except workflow.InvalidState:
                            expected_codes = {409}
                    ok = r.status_code in expected_codes and r.json()["detail"]
                    ok = ok and ClaimLog.objects.count() == before
                if not ok:
                    mismatches.append(
                        (name, action, state, allowed, r.status_code, r.content[:120])
                    )
    assert mismatches == []


@pytest.mark.django_db
def test_refusals_carry_the_workflow_message_and_status(api, make_claim, bob):
    claim = claim_in(S.PROPOSED, make_claim, bob)
    assert_error(api["bob"].act(claim, "publish"), 403, "permission to publish")
    assert_error(
        api["bob"].act(claim, "propose", rating="true", conclusion="x"),
        409,
        "cannot propose verdict now",
    )
    assert_error(api["alice"].act(claim, "send_back", comment="  "), 400, "comment")
    queued = make_claim(status=S.QUEUED)
    assert_error(
        api["alice"].act(queued, "assign", reviewer="alice"), 400, "not an active reviewer"
    )
    assert_error(api["dave"].get("/api/claims/"), 403, "not a member")
    assert_error(api[None].get("/api/claims/"), 401)


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_409(api, make_claim, bob):
    claim = claim_in(S.PROPOSED, make_claim, bob)
    seen = claim.version
    assert api["alice"].act(claim, "sign_off", version=seen).status_code == 200
    data = assert_error(
        api["alice"].act(claim, "send_back", version=seen, comment="Wait"), 409, "(?i)reload"
    )
    assert data["code"] == "stale"
    claim.refresh_from_db()
    assert claim.status == S.APPROVED


@pytest.mark.django_db
def test_the_version_is_required(api, make_claim):
    claim = make_claim(status=S.QUEUED)
    r = api["alice"].post(f"/api/claims/{claim.pk}/actions/set_priority/", {"priority": 3})
    data = assert_error(r, 400, "version")
    assert "version" in data["errors"]


# ---------------------------------------------------------------------------
# Bad input: always JSON, never 500


@pytest.mark.django_db
def test_bad_input_gets_a_json_error_never_a_500(api, make_claim, bob):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    url = f"/api/claims/{claim.pk}/actions/propose/"
    b, a = api["bob"], api["alice"]
    assert_error(b.post(url, raw="{not json"), 400, "(?i)json")
    assert_error(b.post(url, raw="[1, 2, 3]"), 400, "(?i)dictionary")
    assert_error(b.post(url, raw='"just a string"'), 400)
    assert_error(
        b.post(f"/api/claims/{claim.pk}/actions/explode/", {"version": 1}),
        404,
        "Unknown action 'explode'.*propose",
    )
    assert_error(b.post(f"/api/claims/{claim.pk}/actions/edit_research/", {}), 404)
    version = claim.version
    for body, field in [
        ({"version": "abc", "rating": "true", "conclusion": "x"}, "version"),
        ({"version": version, "rating": 5, "conclusion": "x"}, "rating"),
        ({"version": version, "rating": "pants_on_fire", "conclusion": "x"}, "rating"),
        ({"version": version, "rating": "true", "conclusion": ["x"]}, "conclusion"),
        ({"version": version, "rating": "true", "conclusion": "x", "sources": "a"}, "sources"),
        ({"version": version, "rating": "true", "conclusion": "x" * 301}, "conclusion"),
        ({"version": 10**30, "rating": "true", "conclusion": "x"}, "version"),
        ({"version": None, "rating": "true", "conclusion": "x"}, "version"),
    ]:
        data = assert_error(b.post(url, body), 400)
        assert field in data["errors"], (body, data)
    queued = make_claim(status=S.QUEUED)
    for action, body, field in [
        ("set_priority", {"priority": "urgent"}, "priority"),
        ("set_priority", {"priority": True}, "priority"),
        ("mark_duplicate", {"duplicate_of": 10**25}, "duplicate_of"),
        ("mark_duplicate", {"duplicate_of": 999999}, "duplicate_of"),
        ("assign", {"reviewer": {"id": 1}}, "reviewer"),
        ("assign", {"reviewer": "nobody-at-all"}, "reviewer"),
        ("dismiss", {"reason": "duplicate"}, "reason"),
    ]:
        data = assert_error(a.act(queued, action, **body), 400)
        assert field in data["errors"], (action, body, data)
    # Huge or malformed ids, unknown paths.
    assert_error(a.get("/api/claims/" + "9" * 40 + "/"), 404)
    assert_error(a.post("/api/claims/" + "9" * 40 + "/actions/take/", {"version": 1}), 404)
    assert_error(a.get("/api/claims/999999999/"), 404)
    assert_error(a.get("/api/claims/abc/"), 404)
    assert_error(a.get("/api/no-such-thing/"), 404)
    assert_error(a.get("/api/claims/", status="nonsense"), 400, "status")
    assert_error(a.get("/api/claims/", score_min="high"), 400, "score_min")
    assert_error(a.get("/api/claims/", assignee="someone"), 400, "assignee")
    assert_error(a.get("/api/claims/", article="9" * 30), 400, "article")
    assert_error(a.get("/api/claims/", page="9999"), 404)


@pytest.mark.django_db
def test_writes_are_rate_limited(api, settings, make_claim):
    rf = copy.deepcopy(django_settings.REST_FRAMEWORK)
    rf["DEFAULT_THROTTLE_RATES"] = {"writes": "3/min"}
    settings.REST_FRAMEWORK = rf
    claim = make_claim(status=S.QUEUED)
    for priority in (0, 1, 2):
        assert api["alice"].act(claim, "set_priority", priority=priority).status_code == 200
    assert_error(api["alice"].act(claim, "set_priority", priority=3), 429, "(?i)throttled")
    # Reads are not limited, and other users have their own budget.
    assert api["alice"].get(f"/api/claims/{claim.pk}/").status_code == 200
    assert api["root"].act(claim, "set_priority", priority=3).status_code == 200


# ---------------------------------------------------------------------------
# Reading


@pytest.mark.django_db
def test_reviewers_see_their_claims_and_the_queue_editors_see_all(api, make_claim, bob, carol):
    mine = make_claim(status=S.ASSIGNED, assignee=bob)
    queued = make_claim(status=S.QUEUED)
    carols = make_claim(status=S.IN_REVIEW, assignee=carol)
    dismissed = make_claim(status=S.DISMISSED)

    def ids(name):
        return {c["id"] for c in api[name].get("/api/claims/").json()["results"]}

    assert ids("bob") == {mine.pk, queued.pk}
    assert ids("carol") == {carols.pk, queued.pk}
    assert ids("alice") == {mine.pk, queued.pk, carols.pk, dismissed.pk}
    assert api["bob"].get(f"/api/claims/{carols.pk}/").status_code == 404
    detail = api["bob"].get(f"/api/claims/{mine.pk}/").json()
    assert detail["allowed_actions"] == ["start_review", "edit_research", "propose"]
    # The article page shows each user only the claims they may see.
    article = api["bob"].get(f"/api/articles/{carols.article_id}/").json()
    assert article["claims"] == []


@pytest.mark.django_db
def test_claim_filters(api, make_claim, bob, carol, alice):
    a = make_claim(
        status=S.ASSIGNED,
        assignee=bob,
        text="Unemployment fell to 4 percent.",
        speaker="Rachel Reeves",
    )
    b = make_claim(status=S.QUEUED, text="Almost 100 staff campaigned in North Carolina.")
    c = claim_in(S.PUBLISHED, make_claim, bob)
    Claim.objects.filter(pk=b.pk).update(score=0.4, claim_type="event")

    def ids(**params):
        r = api["alice"].get("/api/claims/", **params)
        assert r.status_code == 200, r.content
        return [x["id"] for x in r.json()["results"]]

    assert ids(status="queued") == [b.pk]
    assert ids(claim_type="event") == [b.pk]
    assert set(ids(assignee=str(bob.pk))) == {a.pk, c.pk}
    assert ids(assignee="none") == [b.pk]
    assert ids(assignee="me") == []
    assert ids(article=str(a.article_id)) == [a.pk]
    assert ids(rating="mostly_true") == [c.pk]
    assert ids(score_max="0.5") == [b.pk]
    assert set(ids(score_min="0.5")) == {a.pk, c.pk}
    assert ids(q="north carolina") == [b.pk]
    assert ids(q="reeves") == [a.pk]
    assert ids(q="reeves carolina") == []
    assert ids(ordering="score")[0] == b.pk


@pytest.mark.django_db
def test_claim_detail_has_evidence_verdict_and_history(api, make_claim, alice, bob):
    claim = make_claim(status=S.QUEUED)
    workflow.assign(claim, bob, actor=alice)
    workflow.add_evidence(claim, actor=bob, url="https://example.org/post", note="Archived")
    workflow.propose_verdict(claim, actor=bob, rating="half_true", conclusion="Partly.")
    d = api["alice"].get(f"/api/claims/{claim.pk}/").json()
    assert d["evidence"][0]["url"] == "https://example.org/post"
    assert (
        d["verdict"]["rating"] == "half_true" and d["verdict"]["proposed_by"]["username"] == "bob"
    )
    assert [h["action"] for h in d["history"]] == [
        "claim.assigned",
        "claim.evidence_added",
        "claim.verdict_proposed",
    ]
    assert d["history"][0]["actor"] == "alice"
    assert d["public_url"] is None and d["claimreview"] is None
    assert "sign_off" in d["allowed_actions"] and "publish" not in d["allowed_actions"]


@pytest.mark.django_db
def test_published_claims_carry_their_claimreview(api, make_claim, alice, bob):
    claim = claim_in(S.APPROVED, make_claim, bob)
    r = api["alice"].act(claim, "publish")
    assert r.status_code == 200
    d = r.json()
    assert d["status"] == "published" and d["public_url"] == pages.public_url(claim)
    assert d["claimreview"]["@type"] == "ClaimReview"


# ---------------------------------------------------------------------------
# Articles


@pytest.mark.django_db
def test_editors_submit_articles_as_html_file_or_url(api, seed_html, settings):
    r = api["alice"].post("/api/articles/", {"html": seed_html.decode()})
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["duplicate"] is False and data["source"] == "api"
    assert "six-page complaint" in data["text"]

    again = api["alice"].upload(
        "/api/articles/", {"file": SimpleUploadedFile("seed.html", seed_html, "text/html")}
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == data["id"]

    other = api["alice"].upload(
        "/api/articles/",
        {
            "file": SimpleUploadedFile(
                "other.html",
                b"<html><body><p>The council spent 5 million pounds on roads, "
                b"said Ms Jones.</p></body></html>",
                "text/html",
            )
        },
    )
    assert other.status_code == 201 and other.json()["source"] == "upload"

    settings.FETCH_ALLOW_PRIVATE = True
    fetched = api["alice"].post("/api/articles/", {"url": "http://127.0.0.1:9/article"})
    assert fetched.status_code == 201 and fetched.json()["status"] == "received"
    assert Article.objects.count() == 3

    listing = api["bob"].get("/api/articles/").json()
    assert listing["count"] == 3


@pytest.mark.django_db
def test_article_submission_refusals(api, settings):
    assert_error(api["bob"].post("/api/articles/", {"html": "<p>x</p>"}), 403, "editors")
    assert_error(api["alice"].post("/api/articles/", {}), 400, "html, a file, or a url")
    assert_error(api["alice"].post("/api/articles/", {"url": "ftp://example.org/x"}), 400, "http")
    settings.FETCH_ALLOW_PRIVATE = False
    assert_error(
        api["alice"].post("/api/articles/", {"url": "http://127.0.0.1/admin"}),
        400,
        "private or local",
    )
    settings.MAX_ARTICLE_BYTES = 100
    assert_error(
        api["alice"].post("/api/articles/", {"html": "<p>" + "x" * 200 + "</p>"}), 400, "too large"
    )


# ---------------------------------------------------------------------------
# Research: notes and evidence


@pytest.mark.django_db
def test_notes_follow_the_research_rules(api, make_claim, bob):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    r = api["bob"].put(
        f"/api/claims/{claim.pk}/notes/",
        {"notes": "The post said almost 100.", "version": claim.version},
    )
    assert r.status_code == 200 and r.json()["research_notes"] == "The post said almost 100."
    assert_error(
        api["bob"].put(
            f"/api/claims/{claim.pk}/notes/", {"notes": "Overwrite", "version": claim.version}
        ),
        409,
        "Reload",
    )
    assert_error(
        api["carol"].put(f"/api/claims/{claim.pk}/notes/", {"notes": "x", "version": 99}), 404
    )
    published = claim_in(S.PUBLISHED, make_claim, bob)
    assert_error(
        api["alice"].put(
            f"/api/claims/{published.pk}/notes/", {"notes": "x", "version": published.version}
        ),
        403,
    )


@pytest.mark.django_db
def test_evidence_can_be_added_as_url_or_document_and_removed(
    api, make_claim, bob, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    url = f"/api/claims/{claim.pk}/evidence/"
    r = api["bob"].post(url, {"url": "https://example.org/archive", "note": "Archived copy"})
    assert r.status_code == 201 and r.json()["url"] == "https://example.org/archive"
    r = api["bob"].upload(
        url,
        {"document": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 x"), "note": "The FEC complaint"},
    )
    assert r.status_code == 201 and r.json()["document_name"] == "letter.pdf"
    assert r.json()["document"] == f"/claims/{claim.pk}/evidence/{r.json()['id']}/download/"
    doc_id = r.json()["id"]
    listed = api["bob"].get(url).json()
    assert [e["note"] for e in listed] == ["Archived copy", "The FEC complaint"]

    assert_error(api["bob"].post(url, {"note": "nothing"}), 400, "URL or a document")
    assert_error(api["bob"].post(url, {"url": "javascript:alert(1)"}), 400)
    assert_error(api["bob"].post(url, {"url": "https://example.org", "version": 1}), 409)
    assert_error(api["carol"].post(url, {"url": "https://example.org"}), 404)

    assert api["bob"].delete(f"{url}{doc_id}/").status_code == 204
    assert list(Evidence.objects.current().values_list("note", flat=True)) == ["Archived copy"]
    assert_error(api["bob"].delete(f"{url}{doc_id}/"), 404)
    actions = list(ClaimLog.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == ["claim.evidence_added"] * 2 + ["claim.evidence_removed"]


@pytest.mark.django_db
def test_similar_claims(api, make_claim, bob):
    from claims.review import matching

    claim = make_claim(
        status=S.ASSIGNED,
        assignee=bob,
        text="Almost 100 current and former Labour staff campaigned for Harris.",
    )
    earlier = make_claim(
        status=S.QUEUED, text="Nearly 100 former Labour staff campaigned for Kamala Harris."
    )
    unrelated = make_claim(status=S.QUEUED, text="Inflation rose to 3 percent in October.")
    matching.index_claims([claim, earlier, unrelated])
    r = api["bob"].get(f"/api/claims/{claim.pk}/similar/")
    assert r.status_code == 200
    results = r.json()
    assert [m["claim"]["id"] for m in results] == [earlier.pk]
    assert 0 < results[0]["score"] <= 1
    assert api["bob"].get(f"/api/claims/{claim.pk}/similar/", limit="x").status_code == 200


# ---------------------------------------------------------------------------
# Auth, schema and docs


@pytest.mark.django_db
def test_tokens_are_issued_for_a_username_and_password(client, bob):
    r = client.post("/api/auth/token/", {"username": "bob", "password": "pw-bob"})
    assert r.status_code == 200
    token = r.json()["token"]
    r = client.get("/api/claims/", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code == 200
    assert_error(client.post("/api/auth/token/", {"username": "bob", "password": "wrong"}), 400)
    assert_error(client.get("/api/claims/", HTTP_AUTHORIZATION="Token nonsense"), 401)


@pytest.mark.django_db
def test_session_authentication_works_too(client, alice):
    client.force_login(alice)
    assert client.get("/api/claims/").status_code == 200


@pytest.mark.django_db
def test_the_openapi_schema_is_valid(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in (
        "/api/articles/",
        "/api/claims/{id}/actions/{action_name}/",
        "/api/claims/{id}/evidence/",
        "/api/claims/{id}/similar/",
        "/api/webhooks/",
        "/api/deliveries/{id}/retry/",
        "/api/clusters/",
        "/api/clusters/{id}/",
        "/api/clusters/{id}/lead/",
        "/api/clusters/{id}/merge/",
        "/api/claims/{id}/split-off/",
    ):
        assert f"  {path}:" in schema, path


@pytest.mark.django_db
def test_the_docs_are_served_without_a_cdn(api):
    r = api["alice"].get("/api/schema/")
    assert r.status_code == 200
    docs = api["alice"].get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert not re.search(r"https?://(cdn|unpkg|fonts)\.", html)
    assert api["alice"].get("/api/redoc/").status_code == 200
    # Public, so the token endpoint can be found before one has a token.
    assert api[None].get("/api/docs/").status_code == 200
    schema = api[None].get("/api/schema/")
    assert schema.status_code == 200 and "/api/auth/token/" in schema.content.decode()


# ---------------------------------------------------------------------------
# The whole lifecycle through the API alone, with a real worker


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_seed_claim_goes_from_html_to_the_public_feed_through_the_api(
    celery_worker, seed_html, client, alice, bob, carol
):
    editor = Api(client, alice)
    r = editor.post("/api/articles/", {"html": seed_html.decode()})
    assert r.status_code == 201, r.content
    article_id = r.json()["id"]

    def all_assigned():
        claims = editor.get("/api/claims/", article=str(article_id)).json()["results"]
        return claims and all(c["status"] == "assigned" for c in claims) and claims

    wait_until(all_assigned, message="claims extracted and assigned")
    found = editor.get("/api/claims/", q="almost 100 current and former staff").json()
    (target,) = found["results"]
    claim_id = target["id"]

    # The editor hands it to the other reviewer.
    reviewer = carol if target["assignee"]["username"] == "bob" else bob
    r = editor.post(
        f"/api/claims/{claim_id}/actions/assign/",
        {"reviewer": reviewer.username, "version": target["version"]},
    )
    assert r.status_code == 200 and r.json()["assignee"]["username"] == reviewer.username

    # The reviewer researches and proposes, with their own token.
    researcher = Api(client, reviewer)
    claim = researcher.get(f"/api/claims/{claim_id}/").json()
    assert claim["allowed_actions"][:1] == ["start_review"]
    claim = researcher.post(
        f"/api/claims/{claim_id}/actions/start_review/", {"version": claim["version"]}
    ).json()
    assert (
        researcher.post(
            f"/api/claims/{claim_id}/evidence/",
            {"url": "https://example.org/linkedin-archive", "note": "Archived LinkedIn post"},
        ).status_code
        == 201
    )
    claim = researcher.get(f"/api/claims/{claim_id}/").json()
    r = researcher.post(
        f"/api/claims/{claim_id}/actions/propose/",
        {
            "version": claim["version"],
            "rating": "mostly_true",
            "conclusion": "The deleted post did say almost 100 staff.",
            "explanation": "An archived copy of the LinkedIn post shows the figure.",
            "sources": ["https://example.org/linkedin-archive"],
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "proposed"

    # The editor signs off and publishes.
    claim = editor.post(
        f"/api/claims/{claim_id}/actions/sign_off/", {"version": r.json()["version"]}
    ).json()
    assert claim["status"] == "approved"
    claim = editor.post(
        f"/api/claims/{claim_id}/actions/publish/", {"version": claim["version"]}
    ).json()
    assert claim["status"] == "published"

    # The public sees it, without logging in.
    client.logout()
    page = client.get(claim["public_url"].replace(django_settings.SITE_URL, ""))
    assert page.status_code == 200
    html = page.content.decode()
    # The public page shows the claim as checked: "The deleted post … said" is stripped.
    assert "Almost 100 current and former staff were campaigning" in html and "Mostly true" in html
    feed = client.get("/factchecks/feed.json").json()
    assert [e["url"] for e in feed["dataFeedElement"]] == [claim["public_url"]]

    history = [h["action"] for h in claim["history"]]
    assert history[-6:] == [
        "claim.assigned",
        "claim.review_started",
        "claim.evidence_added",
        "claim.verdict_proposed",
        "claim.signed_off",
        "claim.published",
    ]
    wait_until(queue_drained, message="notifications sent")


def test_no_api_module_writes_status_directly():
    """API code changes state only through workflow (house rule 2)."""
    from pathlib import Path

    import claims.api

    for path in Path(claims.api.__file__).parent.glob("*.py"):
        text = path.read_text()
        assert not re.search(r"status\s*=\s*Claim\.Status|\.update\(\s*status", text), path


@pytest.mark.django_db
def test_submitting_with_a_list_filter_in_the_query_string_still_works(api, seed_html):
    r = api["alice"].post("/api/articles/?status=failed", {"html": seed_html.decode()})
    assert r.status_code == 201, r.content
    assert r.json()["duplicate"] is False
