"""Add a desk user with a role, or deactivate one (handing their claims on)."""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from claims import roles
from claims.review import workflow

ROLES = {"editor": roles.EDITORS, "reviewer": roles.REVIEWERS}


class Command(BaseCommand):
    stealth_options = ("stdin",)  # tests pass a stream, as for createsuperuser
    help = (
        "Create a desk user with a role (editor or reviewer), or --deactivate one: "
        "their open claims go back to the queue and on to other reviewers, as when "
        "an account is deactivated in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the new user's username")
        parser.add_argument("--role", choices=sorted(ROLES))
        parser.add_argument("--email", help="where the desk's notifications go")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of stdin (otherwise the account "
            "has no usable password until one is set, e.g. with changepassword)",
        )
        parser.add_argument(
            "--deactivate",
            metavar="NAME",
            help="deactivate this user and hand their open claims on",
        )

    def handle(
        self, name=None, role=None, email=None, password_stdin=False, deactivate=None, **options
    ):
        if deactivate:
            if name or role or email or password_stdin:
                raise CommandError("--deactivate takes only the username.")
            return self.deactivate(deactivate)
        if not name or role not in ROLES or not email:
            raise CommandError("give a NAME, --role editor|reviewer and --email.")
        self.create(name, role, email, password_stdin, options.get("stdin") or sys.stdin)

    def create(self, name, role, email, password_stdin, stdin):
        User = get_user_model()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"not an email address: {email}") from None
        if User.objects.filter(username=name).exists():
            raise CommandError(f"a user named {name} already exists.")
        user = User(username=name, email=email, is_staff=True)
        if password_stdin:
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on stdin.")
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("password refused: " + " ".join(exc.messages)) from exc
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.save()
            user.groups.add(Group.objects.get(name=ROLES[role]))
        note = "" if password_stdin else f" (no password yet: manage.py changepassword {name})"
        self.stdout.write(f"created {role} {name}{note}")

    def deactivate(self, name):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise CommandError(f"no such user: {name}")
        if not user.is_active:
            self.stdout.write(f"{name} is already inactive.")
            return
        with transaction.atomic():
            user.is_active = False
            # The same save as the admin's: claims.review.signals queues the hand-over task.
            user.save(update_fields=["is_active"])
            # And do it now, so the command can say what happened; the queued
            # task then finds nothing left to do.
            released = workflow.release_claims_of(user)
        self.stdout.write(
            f"deactivated {name}; {len(released)} open claim(s) handed back to the queue."
        )
