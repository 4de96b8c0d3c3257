"""Re-stem the similar-claim index: Snowball stems and one "percent" term.

Stored ClaimTerm rows were made with the old suffix stripper ("company" vs
"compani"); new claims get Snowball stems, so old and new would never match.
This recomputes every claim's terms in chunks (``claims.review.matching.reindex_claims``,
also available as ``manage.py reindex_claims``). It is imported when the step runs,
not when the migration is loaded, so moving that module breaks only this step on a
database that still needs it, not every migrate (the squashed 0001 replaces it).
"""

from django.db import migrations


def reindex(apps, schema_editor):
    from claims.review.matching import reindex_claims

    reindex_claims(
        apps.get_model("claims", "Claim"),
        apps.get_model("claims", "ClaimTerm"),
        apps.get_model("claims", "TermStat"),
    )


class Migration(migrations.Migration):
    atomic = False  # each chunk commits on its own; a large index is not one huge transaction

    dependencies = [
        ("claims", "0005_desk_indexes"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
