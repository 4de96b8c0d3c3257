import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0002_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("term", models.CharField(max_length=48)),
                ("claim", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="terms", to="claims.claim")),
            ],
            options={
                "indexes": [models.Index(fields=["term", "claim"], name="claims_clai_term_cf34c3_idx")],
                "constraints": [models.UniqueConstraint(fields=("claim", "term"), name="one_row_per_claim_term")],
            },
        ),
        migrations.CreateModel(
            name="TermStat",
            fields=[
                ("term", models.CharField(max_length=48, primary_key=True, serialize=False)),
                ("df", models.PositiveIntegerField(default=0)),
            ],
        ),
    ]
