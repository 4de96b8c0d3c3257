"""Create the Editors and Reviewers groups with their permissions.

Reviewers research and propose; editors triage, assign, sign off and publish.
"""

from django.db import migrations

EDITOR_PERMS = [
    ("claims", "article", ["add", "view", "change"]),
    ("claims", "claim", ["view", "triage", "assign", "signoff"]),
    ("claims", "evidence", ["view", "add"]),
    ("claims", "verdict", ["view"]),
    ("claims", "claimlog", ["view"]),
    ("claims", "notification", ["view"]),
]
REVIEWER_PERMS = [
    ("claims", "article", ["view"]),
    ("claims", "claim", ["view", "review"]),
    ("claims", "evidence", ["view", "add"]),
    ("claims", "verdict", ["view"]),
    ("claims", "claimlog", ["view"]),
]


def _codename(verb, model):
    return f"{verb}_{model}"


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in (("Editors", EDITOR_PERMS), ("Reviewers", REVIEWER_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, verbs in spec:
            for verb in verbs:
                perm = Permission.objects.get(
                    content_type__app_label=app_label,
                    codename=_codename(verb, model),
                )
                group.permissions.add(perm)


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
