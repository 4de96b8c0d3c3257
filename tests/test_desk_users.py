"""add_desk_user: creating editors and reviewers, and deactivating one."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Claim, ClaimLog
from claims.review import workflow

from .conftest import queue_drained, wait_until

ROOT = Path(__file__).resolve().parent.parent
User = get_user_model()
pytestmark = pytest.mark.django_db


def test_an_editor_is_created_with_the_role_and_the_password_from_stdin(capsys):
    call_command(
        "add_desk_user",
        "erin",
        role="editor",
        email="erin@example.org",
        password_stdin=True,
        stdin=io.StringIO("correct horse battery staple\n"),
    )
    assert capsys.readouterr().out.strip() == "created editor erin"
    erin = User.objects.get(username="erin")
    assert erin.check_password("correct horse battery staple")
    assert erin.email == "erin@example.org" and erin.is_staff
    assert workflow.is_editor(erin) and not workflow.is_reviewer(erin)
    assert list(erin.groups.values_list("name", flat=True)) == ["Editors"]


def test_a_reviewer_without_a_password_cannot_sign_in_until_one_is_set(capsys):
    call_command("add_desk_user", "ravi", role="reviewer", email="ravi@example.org")
    assert "changepassword ravi" in capsys.readouterr().out
    ravi = User.objects.get(username="ravi")
    assert workflow.is_reviewer(ravi) and not workflow.is_editor(ravi)
    assert not ravi.has_usable_password()


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (["erin"], {"role": "editor", "email": "not-an-address"}, "not an email address"),
        (["erin"], {"role": "editor"}, "--email"),
        (["erin"], {"email": "erin@example.org"}, "--role"),
        (["bad name!"], {"role": "editor", "email": "e@example.org"}, "username"),
    ],
)
def test_bad_input_is_refused_and_creates_nobody(args, kwargs, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_desk_user", *args, **kwargs)
    assert not User.objects.exists()


def test_a_weak_password_is_refused(settings):
    with pytest.raises(CommandError, match="password refused"):
        call_command(
            "add_desk_user",
            "erin",
            role="editor",
            email="erin@example.org",
            password_stdin=True,
            stdin=io.StringIO("erin\n"),
        )
    assert not User.objects.filter(username="erin").exists()


def test_an_existing_name_is_refused(bob):
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_desk_user", "bob", role="editor", email="bob@example.org")
    assert not workflow.is_editor(User.objects.get(username="bob"))


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("add_desk_user", "erin", "--role", "boss", "--email", "e@example.org")
    with pytest.raises(CommandError, match="--role"):
        call_command("add_desk_user", "erin", role="boss", email="erin@example.org")
    assert not User.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_deactivating_a_reviewer_hands_their_claims_on_as_the_admin_does(
    celery_worker, make_claim, bob, carol, capsys
):
    working = make_claim(status="in_review", assignee=bob)
    waiting = make_claim(status="assigned", assignee=bob, text="Prices rose 9% in 2022.")
    call_command("add_desk_user", deactivate="bob")
    assert "2 open claim(s) handed back" in capsys.readouterr().out
    assert not User.objects.get(username="bob").is_active
    wait_until(
        lambda: (
            set(Claim.objects.values_list("assignee", flat=True)) == {carol.pk} and queue_drained()
        ),
        message="claims reassigned to carol",
    )
    for claim in (working, waiting):
        released = ClaimLog.objects.filter(claim=claim, action="claim.released")
        assert released.count() == 1, "handed on once, though the signal's task also ran"
        assert released.get().data["previous_assignee"] == bob.pk
    call_command("add_desk_user", deactivate="bob")
    assert "already inactive" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no such user"):
        call_command("add_desk_user", deactivate="nobody")


def test_the_password_is_read_from_a_pipe_as_a_script_gives_it(transactional_db, settings):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as the command hashes
    from .test_ingest_commands import _database_url

    env = dict(os.environ, DATABASE_URL=_database_url())
    run = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "add_desk_user",
            "pia",
            "--role",
            "reviewer",
            "--email",
            "pia@example.org",
            "--password-stdin",
        ],
        cwd=ROOT,
        env=env,
        input="a long enough passphrase\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert User.objects.get(username="pia").check_password("a long enough passphrase")
    again = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "add_desk_user",
            "pia",
            "--role",
            "reviewer",
            "--email",
            "pia@example.org",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 1 and "already exists" in again.stderr
