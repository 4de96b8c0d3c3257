"""Export: manage.py export_claims and the desk's CSV download, streamed."""

import csv
import io
import json
import tracemalloc

from django.core.management import call_command
from django.urls import reverse

from claims.models import Article, Claim, ClaimCluster
from claims.review import export


def test_the_command_writes_one_row_per_claim_with_every_column(make_claim, tmp_path):
    a = make_claim(text='=HYPERLINK("x") 5% rise', speaker="Ann Lee")
    cluster = ClaimCluster.objects.create(lead=a, size=3)
    Claim.objects.filter(pk=a.pk).update(cluster=cluster)
    make_claim(status="dismissed")
    out = tmp_path / "claims.csv"
    call_command("export_claims", "--format", "csv", "-o", str(out))
    rows = list(csv.DictReader(out.open()))
    assert [r["id"] for r in rows] == [str(a.pk), str(a.pk + 1)]
    assert tuple(rows[0]) == export.COLUMNS
    assert rows[0]["cluster_size"] == "3" and rows[0]["claimant"] == "Ann Lee"
    assert rows[0]["sentence"].startswith("'=")  # never a live spreadsheet formula
    call_command("export_claims", "--format", "jsonl", "--status", "dismissed", "-o", str(out))
    lines = [json.loads(line) for line in out.open()]
    assert [r["status"] for r in lines] == ["dismissed"]


def test_since_keeps_later_claims_only(make_claim, tmp_path):
    old = make_claim()
    Claim.objects.filter(pk=old.pk).update(created_at="2020-01-01T00:00:00Z")
    new = make_claim()
    out = tmp_path / "c.jsonl"
    call_command("export_claims", "--format", "jsonl", "--since", "2021-01-01", "-o", str(out))
    assert [json.loads(line)["id"] for line in out.open()] == [new.pk]


def test_the_desk_csv_honours_filters_and_what_the_user_may_see(make_claim, alice, carol, client):
    mine = make_claim(status="assigned", assignee=carol)
    make_claim(status="dismissed")
    client.force_login(alice)
    response = client.get(reverse("claims:claims_csv") + "?status=dismissed")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["status"] for r in rows] == ["dismissed"]
    client.force_login(carol)  # a reviewer sees their own claims only
    body = b"".join(client.get(reverse("claims:claims_csv")).streaming_content).decode()
    assert [r["id"] for r in csv.DictReader(io.StringIO(body))] == [str(mine.pk)]


def _peak_for(n, client):
    article = Article.objects.create(title="big", content_hash=f"big-{n}", status="extracted")
    Claim.objects.bulk_create(
        Claim(article=article, text=f"Claim number {i} " + "x" * 200, start=0, end=1,
              sentence_index=i, score=0.5)
        for i in range(n)
    )  # fmt: skip
    tracemalloc.start()
    response = client.get(reverse("claims:claims_csv"))
    size = sum(len(chunk) for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    Claim.objects.filter(article=article).delete()
    return peak, size


def test_the_download_streams_in_bounded_memory(alice, client, monkeypatch):
    # Rows are read CHUNK at a time, so memory peaks once a chunk is full: both
    # sizes here are several chunks, and the bigger must cost no more.
    monkeypatch.setattr(export, "CHUNK", 100)
    client.force_login(alice)
    _peak_for(50, client)  # warm up: imports and caches loaded once
    small, small_size = _peak_for(300, client)
    big, big_size = _peak_for(3000, client)
    assert big_size > 9 * small_size
    assert big < 1.5 * small, (small, big)
