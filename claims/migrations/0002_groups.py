"""Create the Editors and Reviewers groups with their permissions.

Reviewers research and propose; editors triage, assign, sign off and publish.
The permission lists live in ``claims.roles``, which also re-applies them after
every migrate.
"""

from django.db import migrations


def create_groups(apps, schema_editor):
    from claims.roles import ensure_groups

    ensure_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Reviewers"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
