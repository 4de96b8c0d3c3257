from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

DEMO_USERS = [
    ("editor", "Editors", "Edna", "Editor"),
    ("reviewer", "Reviewers", "Rhys", "Reviewer"),
    ("reviewer2", "Reviewers", "Rosa", "Reviewer"),
]


class Command(BaseCommand):
    help = "Create the demo editor and reviewer accounts (password = DEMO_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="factcheck-demo")

    def handle(self, password, **options):
        User = get_user_model()
        for username, group, first, last in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.org",
                    "first_name": first,
                    "last_name": last,
                    "is_staff": True,
                },
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=group))
        self.stdout.write("demo users: " + ", ".join(u[0] for u in DEMO_USERS))
