"""Every URL in the project × five people → the status a GET answers.

The people: anonymous, the reviewer the claim is assigned to (bob), another
reviewer (carol), an editor (alice) and a superuser (root). Path parameters are
filled with real objects. The table is keyed by the route as the resolver spells
it, and ``test_every_url_has_a_row`` fails as soon as a URL is added (or removed)
without its row here: decide who may open it, then add the row.

Run ``ACCESS_TABLE_PRINT=1 pytest tests/test_access_table.py -s`` to print what
each URL answers today, for writing a new row (then check it is what you want).
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from knox.models import AuthToken

from claims.models import (
    AuditLog,
    Claim,
    ClaimCluster,
    ClaimLog,
    ManualTriageRule,
    Notification,
    ReviewerCapacity,
    Source,
    SourceItem,
    Webhook,
    WebhookDelivery,
)
from claims.publishing import pages
from claims.review import workflow

PEOPLE = ("anonymous", "bob", "carol", "alice", "root")
NO_SUCH_ID = 987654321

# Routes that exist only in some configurations (static media under DEBUG).
OPTIONAL = {"^media/(?P<path>.*)$"}


def routes(patterns=None, prefix=""):
    """Every route in the resolver, as one string per URL pattern."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield prefix + str(p.pattern)


# The admin's own pages for one registered model: changelist, add, history,
# delete, change, and the bare object URL (which redirects to change).
ADMIN_VIEWS = (
    "",
    "add/",
    "<path:object_id>/history/",
    "<path:object_id>/delete/",
    "<path:object_id>/change/",
    "<path:object_id>/",
)


def admin_rows(model: str, obj: str, statuses: dict[str, tuple]) -> dict:
    """Rows for admin/<model>/…; ``statuses`` maps each of ADMIN_VIEWS to a row."""
    assert set(statuses) == set(ADMIN_VIEWS), model
    return {
        f"admin/{model}/{view}": (
            f"/admin/{model}/" + view.replace("<path:object_id>", obj),
            statuses[view],
        )
        for view in ADMIN_VIEWS
    }


# Shorthands for a row: (anonymous, bob, carol, alice, root).
def row(*codes):
    assert len(codes) == len(PEOPLE)
    return tuple(codes)


DESK_ONLY = row(302, 200, 200, 200, 200)  # desk pages: login first
EDITORS_ONLY = row(302, 403, 403, 200, 200)  # desk pages for editors (and superusers)
API_EDITORS_ONLY = row(401, 403, 403, 200, 200)
EVERYONE = row(200, 200, 200, 200, 200)
SUPERUSER_ONLY_ADMIN = {v: row(302, 403, 403, 403, 200) for v in ADMIN_VIEWS}
# The bare object URL redirects to its change page, for anyone signed in.
SUPERUSER_ONLY_ADMIN["<path:object_id>/"] = row(302, 302, 302, 302, 302)
READ_ONLY_ADMIN_EDITORS = {  # editors and root view; nobody adds, changes or deletes
    "": row(302, 403, 403, 200, 200),
    "add/": row(302, 403, 403, 403, 403),
    "<path:object_id>/history/": row(302, 403, 403, 200, 200),
    "<path:object_id>/delete/": row(302, 403, 403, 403, 403),
    "<path:object_id>/change/": row(302, 403, 403, 200, 200),
    "<path:object_id>/": row(302, 302, 302, 302, 302),
}


def table(w) -> dict[str, tuple[str, tuple]]:
    """route → (a concrete URL for it, the expected status for each of PEOPLE)."""
    claim, article, evidence = w["claim"], w["article"], w["evidence"]
    source = w["source"]
    public = w["public"]
    rows = {
        # --- the editors' and reviewers' web app
        "": ("/", DESK_ONLY),
        "articles/": ("/articles/", DESK_ONLY),
        "articles/new/": ("/articles/new/", row(302, 403, 403, 200, 200)),
        "articles/<int:pk>/": (f"/articles/{article.pk}/", DESK_ONLY),
        "articles/<int:pk>/live/": (f"/articles/{article.pk}/live/", DESK_ONLY),
        "claims/": ("/claims/", DESK_ONLY),
        "claims/mine/": ("/claims/mine/", DESK_ONLY),
        # carol is a reviewer, but the claim is bob's: it does not exist for her.
        "claims/<int:pk>/": (f"/claims/{claim.pk}/", row(302, 200, 404, 200, 200)),
        "claims/<int:pk>/act/<slug:action>/": (  # POST only; a GET goes back to the claim
            f"/claims/{claim.pk}/act/publish/",
            row(302, 405, 405, 405, 405),
        ),
        # An evidence document goes to whoever may see its claim; for carol it does not exist.
        "claims/<int:pk>/evidence/<int:evidence_id>/download/": (
            f"/claims/{claim.pk}/evidence/{w['document'].pk}/download/",
            row(302, 200, 404, 200, 200),
        ),
        # The desk's numbers: every desk user, over the claims they may see.
        "settings/": ("/settings/", DESK_ONLY),
        "stats/": ("/stats/", DESK_ONLY),
        "stats.csv": ("/stats.csv", DESK_ONLY),
        # Probes need no login; metrics need the token, which no login gives.
        "healthz": ("/healthz", EVERYONE),
        "readyz": ("/readyz", EVERYONE),
        "metrics": ("/metrics", row(403, 403, 403, 403, 403)),
        # The CSV of the claim list: the same filters and visibility as the list.
        "claims/export.csv": ("/claims/export.csv", DESK_ONLY),
        "claims/<int:pk>/add-appearance/": (  # POST only
            f"/claims/{claim.pk}/add-appearance/",
            row(302, 405, 405, 405, 405),
        ),
        # A cluster exists for whoever may see one of its claims.
        "clusters/<int:pk>/": (f"/clusters/{w['cluster'].pk}/", row(302, 200, 404, 200, 200)),
        "clusters/<int:pk>/act/<slug:action>/": (
            f"/clusters/{w['cluster'].pk}/act/split/",
            row(302, 405, 405, 405, 405),
        ),
        # Monitored sources are the desk's intake, which editors run.
        "sources/": ("/sources/", EDITORS_ONLY),
        # Triage is an editor's job; reviewers see claims once accepted.
        "triage/": ("/triage/", EDITORS_ONLY),
        "sources/<int:pk>/": (f"/sources/{source.pk}/", EDITORS_ONLY),
        # POST only: the method is refused before anything else is looked at.
        "sources/<int:pk>/poll/": (f"/sources/{source.pk}/poll/", row(302, 405, 405, 405, 405)),
        # --- accounts
        "accounts/login/": ("/accounts/login/", EVERYONE),
        "accounts/logout/": ("/accounts/logout/", row(405, 405, 405, 405, 405)),
        "accounts/password_change/": ("/accounts/password_change/", DESK_ONLY),
        "accounts/password_change/done/": ("/accounts/password_change/done/", DESK_ONLY),
        "accounts/password_reset/": ("/accounts/password_reset/", EVERYONE),
        "accounts/password_reset/done/": ("/accounts/password_reset/done/", EVERYONE),
        "accounts/reset/<uidb64>/<token>/": ("/accounts/reset/MQ/bad-token/", EVERYONE),
        "accounts/reset/done/": ("/accounts/reset/done/", EVERYONE),
        # --- the public site
        "factchecks/": ("/factchecks/", EVERYONE),
        "factchecks/feed.json": ("/factchecks/feed.json", EVERYONE),
        "factchecks/feed.atom": ("/factchecks/feed.atom", EVERYONE),
        "factchecks/<fc_id:pk>/": (f"/factchecks/{public.pk}/", row(301, 301, 301, 301, 301)),
        "factchecks/<fc_id:pk>-<slug:slug>/": (pages.public_path(public), EVERYONE),
        # --- the API (anonymous: 401 with a WWW-Authenticate challenge)
        "api/": ("/api/", row(401, 200, 200, 200, 200)),
        "api/<drf_format_suffix:format>": ("/api/.json", row(401, 200, 200, 200, 200)),
        "api/auth/token/": ("/api/auth/token/", row(405, 405, 405, 405, 405)),
        # Each person's own API tokens (knox); logging a token out needs that token.
        "api/auth/tokens/": ("/api/auth/tokens/", row(401, 200, 200, 200, 200)),
        "api/auth/tokens/<str:token_id>/": (  # DELETE only
            f"/api/auth/tokens/{w['token'].token_key}/",
            row(401, 405, 405, 405, 405),
        ),
        "api/auth/logout/": ("/api/auth/logout/", row(401, 401, 401, 401, 401)),
        "api/auth/logoutall/": ("/api/auth/logoutall/", row(401, 401, 401, 401, 401)),
        # The schema and its viewers describe the API's shape, not its data, and are
        # public: they are how one finds the token endpoint before having a token.
        "api/schema/": ("/api/schema/", EVERYONE),
        "api/docs/": ("/api/docs/", EVERYONE),
        "api/redoc/": ("/api/redoc/", EVERYONE),
        "api/^.*$": ("/api/nothing-here/", row(404, 404, 404, 404, 404)),
    }
    api = {
        "articles": ("/api/articles/", row(401, 200, 200, 200, 200)),
        "articles/(?P<pk>[0-9]{1,18})": (
            f"/api/articles/{article.pk}/",
            row(401, 200, 200, 200, 200),
        ),
        "claims": ("/api/claims/", row(401, 200, 200, 200, 200)),
        "claims/(?P<pk>[0-9]{1,18})": (f"/api/claims/{claim.pk}/", row(401, 200, 404, 200, 200)),
        "claims/(?P<pk>[0-9]{1,18})/actions/(?P<action_name>[^/]+)": (
            # POST only: the method is refused before the claim is looked up.
            f"/api/claims/{claim.pk}/actions/publish/",
            row(401, 405, 405, 405, 405),
        ),
        "claims/(?P<pk>[0-9]{1,18})/evidence": (
            f"/api/claims/{claim.pk}/evidence/",
            row(401, 200, 404, 200, 200),
        ),
        "claims/(?P<pk>[0-9]{1,18})/notes": (
            f"/api/claims/{claim.pk}/notes/",
            row(401, 405, 405, 405, 405),
        ),
        "claims/(?P<pk>[0-9]{1,18})/evidence/(?P<evidence_id>[0-9]{1,18})": (
            f"/api/claims/{claim.pk}/evidence/{evidence.pk}/",
            row(401, 405, 405, 405, 405),
        ),
        "claims/(?P<pk>[0-9]{1,18})/add-appearance": (  # POST only
            f"/api/claims/{claim.pk}/add-appearance/",
            row(401, 405, 405, 405, 405),
        ),
        "claims/(?P<pk>[0-9]{1,18})/similar": (
            f"/api/claims/{claim.pk}/similar/",
            row(401, 200, 404, 200, 200),
        ),
        # Editors split a claim off its cluster; a GET is refused before that matters.
        "claims/(?P<pk>[0-9]{1,18})/split-off": (
            f"/api/claims/{claim.pk}/split-off/",
            row(401, 403, 403, 405, 405),
        ),
        # A cluster exists for whoever may see one of its claims (as on the desk).
        "clusters": ("/api/clusters/", row(401, 200, 200, 200, 200)),
        "clusters/(?P<pk>[0-9]{1,18})": (
            f"/api/clusters/{w['cluster'].pk}/",
            row(401, 200, 404, 200, 200),
        ),
        # Changing a cluster is for editors; POST only.
        "clusters/(?P<pk>[0-9]{1,18})/lead": (
            f"/api/clusters/{w['cluster'].pk}/lead/",
            row(401, 403, 403, 405, 405),
        ),
        "clusters/(?P<pk>[0-9]{1,18})/merge": (
            f"/api/clusters/{w['cluster'].pk}/merge/",
            row(401, 403, 403, 405, 405),
        ),
        "webhooks": ("/api/webhooks/", row(401, 403, 403, 200, 200)),
        "webhooks/(?P<pk>[0-9]{1,18})": (
            f"/api/webhooks/{w['webhook'].pk}/",
            row(401, 403, 403, 200, 200),
        ),
        "webhooks/(?P<pk>[0-9]{1,18})/deliveries": (
            f"/api/webhooks/{w['webhook'].pk}/deliveries/",
            row(401, 403, 403, 200, 200),
        ),
        "deliveries": ("/api/deliveries/", row(401, 403, 403, 200, 200)),
        "deliveries/(?P<pk>[0-9]{1,18})": (
            f"/api/deliveries/{w['delivery'].pk}/",
            row(401, 403, 403, 200, 200),
        ),
        "deliveries/(?P<pk>[0-9]{1,18})/retry": (
            f"/api/deliveries/{w['delivery'].pk}/retry/",
            row(401, 403, 403, 405, 405),
        ),
        "triage": ("/api/triage/", API_EDITORS_ONLY),
        "triage/accept": ("/api/triage/accept/", row(401, 403, 403, 405, 405)),  # POST only
        "triage/dismiss": ("/api/triage/dismiss/", row(401, 403, 403, 405, 405)),
        "triage/rule": ("/api/triage/rule/", API_EDITORS_ONLY),
        "sources": ("/api/sources/", API_EDITORS_ONLY),
        "sources/(?P<pk>[0-9]{1,18})": (f"/api/sources/{source.pk}/", API_EDITORS_ONLY),
        "sources/(?P<pk>[0-9]{1,18})/items": (f"/api/sources/{source.pk}/items/", API_EDITORS_ONLY),
        "sources/(?P<pk>[0-9]{1,18})/poll": (
            f"/api/sources/{source.pk}/poll/",  # POST only
            row(401, 403, 403, 405, 405),
        ),
    }
    for route, (url, codes) in api.items():
        rows[f"api/^{route}/$"] = (url, codes)
        # DRF's format suffix (.json) answers like the plain URL.
        rows[f"api/^{route}\\.(?P<format>[a-z0-9]+)/?$"] = (url.rstrip("/") + ".json", codes)

    # --- the admin
    staff_index = row(302, 200, 200, 200, 200)
    rows.update(
        {
            "admin/": ("/admin/", staff_index),
            "admin/login/": ("/admin/login/", row(200, 302, 302, 302, 302)),
            "admin/logout/": ("/admin/logout/", row(302, 405, 405, 405, 405)),
            "admin/password_change/": ("/admin/password_change/", staff_index),
            "admin/password_change/done/": ("/admin/password_change/done/", staff_index),
            "admin/autocomplete/": ("/admin/autocomplete/", row(302, 403, 403, 403, 403)),
            "admin/jsi18n/": ("/admin/jsi18n/", staff_index),
            "admin/r/<path:content_type_id>/<path:object_id>/": (
                f"/admin/r/{w['claim_ct']}/{claim.pk}/",
                row(302, 302, 302, 302, 302),
            ),
            "admin/^(?P<app_label>claims|auth|axes|knox|django_celery_beat)/$": (
                "/admin/claims/",
                staff_index,
            ),
            "admin/(?P<url>.*)$": ("/admin/no-such-page/", row(302, 404, 404, 404, 404)),
            "admin/claims/claim/<int:claim_id>/act/<str:action>/": (
                f"/admin/claims/claim/{claim.pk}/act/publish/",
                row(302, 302, 404, 302, 302),
            ),
            "admin/auth/user/<id>/password/": (
                f"/admin/auth/user/{w['bob'].pk}/password/",
                row(302, 403, 403, 403, 200),
            ),
        }
    )
    rows.update(
        admin_rows(
            "claims/article",
            str(article.pk),
            {
                "": row(302, 200, 200, 200, 200),
                "add/": row(302, 403, 403, 200, 200),
                "<path:object_id>/history/": row(302, 200, 200, 200, 200),
                "<path:object_id>/delete/": row(302, 403, 403, 403, 200),
                "<path:object_id>/change/": row(302, 200, 200, 200, 200),
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    rows.update(
        admin_rows(
            "claims/claim",
            str(claim.pk),
            {
                "": row(302, 302, 302, 200, 200),  # a reviewer's list opens on their queue
                "add/": row(302, 403, 403, 403, 403),
                # carol cannot see bob's claim: the admin answers as for a missing object.
                "<path:object_id>/history/": row(302, 200, 302, 200, 200),
                "<path:object_id>/delete/": row(302, 403, 403, 403, 200),
                "<path:object_id>/change/": row(302, 200, 302, 200, 200),
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    rows.update(
        admin_rows(
            "claims/claimlog",
            str(w["log"].pk),
            {
                "": row(302, 200, 200, 200, 200),
                "add/": row(302, 403, 403, 403, 403),
                "<path:object_id>/history/": row(302, 200, 302, 200, 200),
                "<path:object_id>/delete/": row(302, 403, 403, 403, 403),
                "<path:object_id>/change/": row(302, 200, 302, 200, 200),
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    rows.update(
        admin_rows(
            "claims/notification",
            str(w["notification"].pk),
            {**READ_ONLY_ADMIN_EDITORS, "<path:object_id>/delete/": row(302, 403, 403, 403, 200)},
        )
    )
    rows.update(admin_rows("claims/auditlog", str(w["audit"].pk), READ_ONLY_ADMIN_EDITORS))
    rows.update(
        admin_rows(
            "claims/webhook",
            str(w["webhook"].pk),
            {
                "": row(302, 403, 403, 200, 200),
                "add/": row(302, 403, 403, 200, 200),
                "<path:object_id>/history/": row(302, 403, 403, 200, 200),
                "<path:object_id>/delete/": row(302, 403, 403, 200, 200),
                "<path:object_id>/change/": row(302, 403, 403, 200, 200),
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    rows.update(
        admin_rows(
            "claims/webhookdelivery",
            str(w["delivery"].pk),
            {
                **READ_ONLY_ADMIN_EDITORS,
                "<path:object_id>/delete/": row(302, 403, 403, 403, 200),
            },
        )
    )
    # Clusters, as on the desk: a reviewer sees those with a claim of theirs (carol has
    # none, so hers is a missing object); they change only through the workflow's
    # actions, so nobody adds, edits or deletes one here.
    rows.update(
        admin_rows(
            "claims/claimcluster",
            str(w["cluster"].pk),
            {
                "": row(302, 200, 200, 200, 200),
                "add/": row(302, 403, 403, 403, 403),
                "<path:object_id>/history/": row(302, 200, 302, 200, 200),
                "<path:object_id>/delete/": row(302, 403, 403, 403, 403),
                "<path:object_id>/change/": row(302, 200, 302, 200, 200),
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    # Editors run the sources: they add, change and delete them in the admin too.
    rows.update(
        admin_rows(
            "claims/source",
            str(source.pk),
            {
                "": EDITORS_ONLY,
                "add/": EDITORS_ONLY,
                "<path:object_id>/history/": EDITORS_ONLY,
                "<path:object_id>/delete/": EDITORS_ONLY,
                "<path:object_id>/change/": EDITORS_ONLY,
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    # Editors change the manual submissions' triage rule: one row, never added or deleted.
    rows.update(
        admin_rows(
            "claims/manualtriagerule",
            "1",
            {
                **READ_ONLY_ADMIN_EDITORS,
                "add/": row(302, 403, 403, 403, 403),
                "<path:object_id>/delete/": row(302, 403, 403, 403, 403),
            },
        )
    )
    # Editors set each reviewer's daily cap.
    rows.update(
        admin_rows(
            "claims/reviewercapacity",
            str(w["bob"].pk),
            {
                "": EDITORS_ONLY,
                "add/": EDITORS_ONLY,
                "<path:object_id>/history/": EDITORS_ONLY,
                "<path:object_id>/delete/": EDITORS_ONLY,
                "<path:object_id>/change/": EDITORS_ONLY,
                "<path:object_id>/": row(302, 302, 302, 302, 302),
            },
        )
    )
    # What became of each listed URL is a record the poller keeps: nobody edits it.
    rows.update(
        admin_rows(
            "claims/sourceitem",
            str(w["source_item"].pk),
            {
                **READ_ONLY_ADMIN_EDITORS,
                "<path:object_id>/delete/": row(302, 403, 403, 403, 200),
            },
        )
    )
    for model, obj in (
        ("auth/group", w["group"].pk),
        ("auth/user", w["bob"].pk),
        ("knox/authtoken", w["token"].pk),
        ("django_celery_beat/periodictask", w["task"].pk),
        ("django_celery_beat/clockedschedule", w["clocked"].pk),
        ("django_celery_beat/crontabschedule", w["crontab"].pk),
        ("django_celery_beat/solarschedule", w["solar"].pk),
        ("django_celery_beat/intervalschedule", w["interval"].pk),
        ("axes/accessattempt", NO_SUCH_ID),
        ("axes/accesslog", NO_SUCH_ID),
        ("axes/accessfailurelog", NO_SUCH_ID),
    ):
        rows.update(admin_rows(model, str(obj), SUPERUSER_ONLY_ADMIN))
    for model in ("axes/accessattempt", "axes/accesslog", "axes/accessfailurelog"):
        # Nobody adds lockout records by hand; the record asked for does not exist,
        # so the admin says so and goes back to its index.
        rows[f"admin/{model}/add/"] = (f"/admin/{model}/add/", row(302, 403, 403, 403, 403))
        for view in ("<path:object_id>/change/", "<path:object_id>/delete/"):
            key = f"admin/{model}/{view}"
            rows[key] = (rows[key][0], row(302, 403, 403, 403, 302))
        key = f"admin/{model}/<path:object_id>/history/"
        rows[key] = (rows[key][0], row(302, 302, 302, 302, 302))
    rows["^media/(?P<path>.*)$"] = ("/media/nothing.txt", row(404, 404, 404, 404, 404))
    return rows


@pytest.fixture
def world(
    alice, bob, carol, root, make_claim, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = make_claim(status="extracted")
    workflow.assign(claim, bob, actor=alice)
    workflow.start_review(claim, actor=bob)
    evidence = workflow.add_evidence(claim, actor=bob, url="https://example.org/source")
    # The file is written once the row is committed: run that now, so a download
    # really has bytes to send.
    with django_capture_on_commit_callbacks(execute=True):
        document = workflow.add_evidence(
            claim,
            actor=bob,
            document=SimpleUploadedFile(
                "complaint.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
            ),
        )
    assert document.document and (settings.MEDIA_ROOT / document.document.name).is_file()
    public = make_claim(status="in_review", assignee=bob, text="Published: 200 staff.")
    workflow.propose_verdict(public, actor=bob, rating="false", conclusion="No.")
    workflow.sign_off(public, actor=alice)
    workflow.publish(public, actor=alice)
    webhook = Webhook.objects.create(url="https://93.184.215.14/hooks", created_by=alice)
    from django.contrib.contenttypes.models import ContentType

    cluster = ClaimCluster.objects.create(lead=claim, size=1)  # bob's claim: not carol's
    Claim.objects.filter(pk=claim.pk).update(cluster=cluster)

    crontab = CrontabSchedule.objects.create()
    ManualTriageRule.load()
    ReviewerCapacity.objects.create(user=bob, daily_cap=5)
    source = Source.objects.create(
        name="Wire", url="https://example.org/feed.xml", created_by=alice
    )
    source_item = SourceItem.objects.create(
        source=source,
        url="https://example.org/a",
        article=claim.article,
        outcome=SourceItem.Outcome.NEW,
    )
    return {
        "cluster": cluster,
        "claim": claim,
        "article": claim.article,
        "evidence": evidence,
        "public": public,
        "document": document,
        "source": source,
        "source_item": source_item,
        "bob": bob,
        "webhook": webhook,
        "delivery": WebhookDelivery.objects.filter(webhook=webhook).first()
        or WebhookDelivery.objects.create(
            webhook=webhook, claim=public, key="x", event="claim.published"
        ),
        "log": ClaimLog.objects.filter(claim=claim).first(),
        "notification": Notification.objects.create(
            key="k", recipient="bob@example.org", subject="Hi"
        ),
        "audit": AuditLog.objects.create(action="webhook.created", actor=alice),
        "group": Group.objects.get(name="Reviewers"),
        "token": AuthToken.objects.create(user=bob)[0],
        "claim_ct": ContentType.objects.get_for_model(claim).pk,
        "crontab": crontab,
        "task": PeriodicTask.objects.create(name="t", task="x", crontab=crontab),
        "clocked": ClockedSchedule.objects.create(clocked_time="2030-01-01T00:00Z"),
        "solar": SolarSchedule.objects.create(event="sunrise", latitude=0, longitude=0),
        "interval": IntervalSchedule.objects.create(every=1, period="days"),
        "people": {"anonymous": None, "bob": bob, "carol": carol, "alice": alice, "root": root},
    }


def test_every_url_has_a_row(db, world):
    in_resolver = set(routes())
    in_table = set(table(world))
    missing = sorted(in_resolver - in_table)
    assert not missing, f"URLs without a row in the access table: {missing}"
    stale = sorted(in_table - in_resolver - OPTIONAL)
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_every_url_answers_each_person_as_the_table_says(world, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    rows = table(world)
    present = set(routes())
    clients = {}
    for name, user in world["people"].items():
        clients[name] = Client(raise_request_exception=False)
        if user is not None:
            clients[name].force_login(user)
    mismatches, printed = [], []
    for route, (url, expected) in sorted(rows.items()):
        if route not in present:
            continue
        actual = tuple(clients[name].get(url).status_code for name in PEOPLE)
        printed.append(f"{route!r}: ({url!r}, row{actual}),")
        if actual != expected:
            mismatches.append((route, url, "expected", expected, "got", actual))
    if os.environ.get("ACCESS_TABLE_PRINT"):
        print("\n".join(printed))
    assert len(printed) >= 150
    assert mismatches == []


@pytest.mark.django_db
def test_extra_actions_answer_under_their_format_suffix(world, alice):
    """DRF routes ``<action>.json`` to an extra action with a ``format`` argument;
    one that does not take it is a 500 for the very people allowed to use it."""
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    source, delivery = world["source"], world["delivery"]
    cluster, claim = world["cluster"], world["claim"]
    answers = {
        url: client.generic(method, url).status_code
        for method, url in (
            ("GET", f"/api/sources/{source.pk}/items.json"),
            ("POST", f"/api/sources/{source.pk}/poll.json"),
            ("POST", f"/api/deliveries/{delivery.pk}/retry.json"),
            ("POST", f"/api/clusters/{cluster.pk}/lead.json"),
            ("POST", f"/api/clusters/{cluster.pk}/merge.json"),
            ("POST", f"/api/claims/{claim.pk}/split-off.json"),
        )
    }
    assert answers == {
        f"/api/sources/{source.pk}/items.json": 200,
        f"/api/sources/{source.pk}/poll.json": 202,
        # the delivery has not failed, so there is nothing to retry
        f"/api/deliveries/{delivery.pk}/retry.json": 409,
        # the cluster actions name what is missing from the empty body
        f"/api/clusters/{cluster.pk}/lead.json": 400,
        f"/api/clusters/{cluster.pk}/merge.json": 400,
        f"/api/claims/{claim.pk}/split-off.json": 400,
    }
