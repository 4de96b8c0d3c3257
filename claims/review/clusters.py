"""One claim across many outlets: clusters of claims stating the same fact.

On arrival (``plan_arrivals`` before the store transaction, ``store_arrivals`` inside
it) each claim is compared with the claims of the last ``CLUSTER_WINDOW_DAYS``: the
candidates come from the term index (``matching.recent_candidates``), the decision
from canonical facts (``extraction.facts.same_fact``). A claim joins the cluster of
the most similar claim stating the same fact, else starts one and leads it.

One review per cluster: a claim joining a cluster whose lead is waiting or in review
is *attached* (never queued on its own); one joining a cluster whose lead has a
published verdict is a *repeat* (``repeat_of``), flagged for the editor, who can add
it to the published fact-check with one click (``add_appearance``). Editors can change
the lead, split a claim out and merge two clusters; each is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from ..extraction import facts as fact_rules
from ..models import Claim, ClaimCluster, ClaimLog
from ..publishing.webhooks import enqueue_claim_repeated
from . import matching, notifications, workflow

S = Claim.Status
WAITING = (S.EXTRACTED, S.QUEUED)
IN_REVIEW = (S.ASSIGNED, S.IN_REVIEW, S.PROPOSED, S.APPROVED)


def fact_terms(f: fact_rules.Facts) -> set[str]:
    """Index terms for a claim's figures and names, so "£3.5bn" finds "3.5 billion
    pounds" and "IMF" finds "International Monetary Fund"."""
    return {("#" + n.replace(" ", ""))[:48] for n in f.numbers} | {("$" + n)[:48] for n in f.names}


@dataclass
class Arrival:
    """Where a new claim goes: an existing cluster (with the claim it matched), an
    earlier claim of the same batch, or a cluster of its own."""

    cluster_id: int | None = None
    matched_claim_id: int | None = None
    batch_index: int | None = None
    similarity: float = 0.0


def window_start_id(now=None) -> int:
    """The first claim id inside the clustering window (ids grow with time)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.CLUSTER_WINDOW_DAYS)
    # One article's claims share a created_at (on PostgreSQL, the transaction's now()):
    # the lowest id among the earliest, or its siblings fall outside the window.
    first = (
        Claim.objects.filter(created_at__gte=since)
        .order_by("created_at", "pk")
        .values("pk")
        .first()
    )
    return first["pk"] if first else 1 << 62


def plan_arrivals(facts_list, term_sets, *, now=None) -> list[Arrival]:
    """Read-only: which cluster each new claim joins (runs before the write lock)."""
    since_id = window_start_id(now)
    candidates = matching.recent_candidates(term_sets, since_id=since_id)
    parsed: dict[int, fact_rules.Facts] = {}  # claims of one article share candidates
    plans = []
    for i, (mine, rows) in enumerate(zip(facts_list, candidates, strict=True)):
        best = Arrival()
        for cid, stored, cluster_id in rows:
            if not stored or cluster_id is None:
                continue
            theirs = parsed.get(cid)
            if theirs is None:
                theirs = parsed[cid] = fact_rules.Facts.from_json(stored)
            if fact_rules.same_fact(mine, theirs) == fact_rules.SAME:
                sim = fact_rules.similarity(mine, theirs)
                if sim > best.similarity:
                    best = Arrival(cluster_id=cluster_id, matched_claim_id=cid, similarity=sim)
        for j in range(i):  # an earlier claim of the same article
            if fact_rules.same_fact(mine, facts_list[j]) == fact_rules.SAME:
                sim = fact_rules.similarity(mine, facts_list[j])
                if sim > best.similarity:
                    earlier = plans[j]
                    if earlier.cluster_id is not None:  # it joined an existing cluster
                        best = Arrival(earlier.cluster_id, earlier.matched_claim_id, None, sim)
                    else:  # it leads a new one, or joined the one an earlier claim leads
                        lead = j if earlier.batch_index is None else earlier.batch_index
                        best = Arrival(None, None, lead, sim)
        plans.append(best)
    return plans


def store_arrivals(claims, plans, claim_rows, *, now) -> list[ClaimLog]:
    """Inside the store transaction, before the claims are inserted: create clusters,
    fill each row's cluster, ``attached`` and ``repeat_of``. Call ``link_arrivals``
    after the insert. Returns nothing to log yet."""
    joined = {p.cluster_id for p in plans if p.cluster_id}
    # Only the lead's id and status: a lead's text and JSON columns are not needed here.
    leads = {
        pk: (lead_id, status)
        for pk, lead_id, status in ClaimCluster.objects.filter(pk__in=joined).values_list(
            "pk", "lead_id", "lead__status"
        )
    }
    new_clusters: dict[int, ClaimCluster] = {}  # batch index of the lead → cluster
    for i, plan in enumerate(plans):
        if plan.cluster_id is None and plan.batch_index is None:
            new_clusters[i] = ClaimCluster(created_at=now, last_seen_at=now, size=0)
    ClaimCluster.objects.bulk_create(list(new_clusters.values()))
    cluster_ids, attached, repeat_of = [], [], []
    for i, plan in enumerate(plans):
        if plan.cluster_id is not None:
            lead_id, lead_status = leads[plan.cluster_id]
            cluster_ids.append(plan.cluster_id)
            attached.append(lead_id is not None)
            repeat_of.append(lead_id if lead_status == S.PUBLISHED else None)
        elif plan.batch_index is not None:
            cluster_ids.append(new_clusters[plan.batch_index].pk)
            attached.append(True)
            repeat_of.append(None)
        else:
            cluster_ids.append(new_clusters[i].pk)
            attached.append(False)
            repeat_of.append(None)
    claim_rows.fill("cluster_id", cluster_ids)
    claim_rows.fill("attached", attached)
    claim_rows.fill("repeat_of_id", repeat_of)
    claim_rows.fill("held", [c.held and not a for c, a in zip(claims, attached, strict=True)])
    return [new_clusters[i] for i in sorted(new_clusters)]


def link_arrivals(claims, new_clusters, *, now) -> None:
    """After the insert: set the new clusters' leads and sizes, grow the joined ones,
    and log each claim that joined an existing cluster (attached or a repeat)."""
    by_cluster: dict[int, list[Claim]] = {}
    for claim in claims:
        by_cluster.setdefault(claim.cluster_id, []).append(claim)
    new_ids = {c.pk for c in new_clusters}
    if new_clusters:
        firsts = {c.pk: by_cluster[c.pk][0].pk for c in new_clusters}
        ClaimCluster.objects.filter(pk__in=new_ids).update(
            lead_id=Case(*[When(pk=k, then=Value(v)) for k, v in firsts.items()]),
            size=Case(
                *[When(pk=k, then=Value(len(by_cluster[k]))) for k in firsts],
                output_field=IntegerField(),
            ),
        )
    # One UPDATE per distinct growth, not one per cluster: an article's claims
    # mostly join clusters one each, and a query per claim was a tenth of the
    # worker's time once most arrivals join a cluster (bench/profile_pipeline.py).
    grown_by: dict[int, list[int]] = {}
    for cluster_id, members in by_cluster.items():
        if cluster_id not in new_ids:
            grown_by.setdefault(len(members), []).append(cluster_id)
    for growth, cluster_ids in sorted(grown_by.items()):
        ClaimCluster.objects.filter(pk__in=sorted(cluster_ids)).update(
            size=F("size") + growth, last_seen_at=now
        )
    entries = []
    repeats = []
    for claim in claims:
        if claim.cluster_id in new_ids and not claim.attached:
            continue
        if claim.repeat_of_id:
            action, comment = (
                "claim.repeated",
                "Already checked: a repeat of a published fact-check.",
            )
            repeats.append(claim)
        else:
            action, comment = "claim.attached", "Same fact as a claim already in the desk."
        entries.append(
            ClaimLog(
                claim_id=claim.pk,
                action=action,
                from_status=claim.status,
                to_status=claim.status,
                comment=comment,
                data={"cluster": claim.cluster_id, "repeat_of": claim.repeat_of_id},
                created_at=now,
            )
        )
    if entries:
        ClaimLog.objects.bulk_create(entries)
    for claim, entry in zip(
        repeats, [e for e in entries if e.action == "claim.repeated"], strict=True
    ):
        entry.claim = claim
        notifications.owe_for(entry)
        enqueue_claim_repeated(claim, entry)


# ---------------------------------------------------------------------------
# Reading


def outlet_counts(claim_ids) -> dict[int, tuple[int, int]]:
    """For the triage priority: per claim, how many outlets carry its cluster's fact,
    and how many of them appeared in the last two hours."""
    claim_ids = list(claim_ids)
    clusters = dict(
        Claim.objects.filter(pk__in=claim_ids, cluster__isnull=False).values_list(
            "pk", "cluster_id"
        )
    )
    recent = timezone.now() - timedelta(hours=2)
    per_cluster = {
        row["cluster_id"]: (row["outlets"], row["recent"])
        for row in Claim.objects.filter(cluster_id__in=set(clusters.values()))
        .values("cluster_id")
        .annotate(
            outlets=Count("article__publisher", distinct=True),
            recent=Count("article__publisher", distinct=True, filter=Q(created_at__gte=recent)),
        )
    }
    return {pk: per_cluster.get(clusters.get(pk), (1, 0)) for pk in claim_ids}


def appearances(cluster_id: int):
    """Every appearance of a cluster's fact, oldest first, with its article."""
    return (
        Claim.objects.filter(cluster_id=cluster_id)
        .select_related("article", "verdict")
        .defer("article__raw_html", "article__text", "article__links")
        .order_by("created_at", "pk")
    )


def public_appearances(claim: Claim):
    """What a published fact-check covers: its cluster's claims that joined before it
    was published, and repeats an editor added since."""
    if claim.cluster_id is None:
        return Claim.objects.filter(pk=claim.pk).select_related("article")
    return (
        appearances(claim.cluster_id)
        .filter(Q(repeat_of=None) | Q(appearance_added_at__isnull=False))
        .exclude(status=S.DISMISSED)
    )


def pending_repeats():
    """Repeats of a live published verdict nobody has added or dismissed yet."""
    return Claim.objects.filter(
        repeat_of__isnull=False,
        repeat_of__status=S.PUBLISHED,
        appearance_added_at=None,
    ).exclude(status=S.DISMISSED)


# ---------------------------------------------------------------------------
# Editor actions, each a workflow transition with its log row.
#
# A cluster's ``version`` is its optimistic lock, as a claim's is: each action below
# bumps it with a conditional UPDATE on the version the caller saw (set it on the
# object to what the user saw, as the API does), so two editors cannot both act on
# the cluster they last looked at. A new appearance does not bump it.

MERGE_CHUNK = 200  # claims moved per query when merging: memory stays flat


class StaleCluster(workflow.StaleClaim):
    def __init__(self, msg=None):
        super().__init__(msg or _("Someone else changed this cluster. Reload it and try again."))


def _check_editor(actor) -> None:
    if actor is None or not actor.is_active or not actor.has_perm("claims.triage_claim"):
        raise workflow.NotAllowed(_("You do not have permission to change clusters."))


def _bump(cluster: ClaimCluster, **fields) -> None:
    """Change the cluster only if it is still at the version the caller saw."""
    changed = ClaimCluster.objects.filter(pk=cluster.pk, version=cluster.version).update(
        version=F("version") + 1, **fields
    )
    if changed != 1:
        raise StaleCluster()
    cluster.version += 1


def check_window(target: ClaimCluster, other: ClaimCluster) -> None:
    """Two clusters may be merged only if the matcher itself could have joined them:
    their appearances lie within ``CLUSTER_WINDOW_DAYS`` of each other. A figure
    from another season is another fact ("unemployment is 4.1%" in March and in
    November), whatever the words."""
    window = timedelta(days=settings.CLUSTER_WINDOW_DAYS)
    first, second = sorted((target, other), key=lambda c: c.created_at)
    if second.created_at - first.last_seen_at > window:
        raise workflow.WorkflowError(
            _(
                "Clusters %(a)d and %(b)d are more than %(days)d days apart (the clustering "
                "window): they cannot state the same current fact."
            )
            % {"a": first.pk, "b": second.pk, "days": settings.CLUSTER_WINDOW_DAYS}
        )


def add_appearance(claim: Claim, *, actor) -> ClaimLog:
    """Add a repeat to the published fact-check it repeats: the public page and the
    ClaimReview's ``appearance`` grow and its ``dateModified`` moves."""
    _check_editor(actor)
    lead = claim.repeat_of
    if lead is None or lead.status != S.PUBLISHED:
        raise workflow.InvalidState(_("This claim does not repeat a published fact-check."))
    if claim.appearance_added_at is not None:
        raise workflow.InvalidState(_("This appearance is already on the fact-check."))
    now = timezone.now()
    with transaction.atomic():
        entry = workflow.write_change(
            claim,
            actor=actor,
            action="appearance_added",
            data={"fact_check": lead.pk, "cluster": claim.cluster_id},
            appearance_added_at=now,
            notify=False,
        )
        ClaimCluster.objects.filter(pk=claim.cluster_id).update(appearances_changed_at=now)
        ClaimLog.objects.create(
            claim_id=lead.pk,
            action="claim.appearance_added",
            actor=actor,
            from_status=lead.status,
            to_status=lead.status,
            data={"appearance": claim.pk},
            created_at=now,
        )
    return entry


def set_lead(cluster: ClaimCluster, claim: Claim, *, actor, comment: str = "") -> ClaimLog:
    """Make ``claim`` the one reviewed for its cluster (the clearest wording, say).
    Only while the current lead waits: a review under way is not thrown away."""
    _check_editor(actor)
    if claim.cluster_id != cluster.pk:
        raise workflow.WorkflowError(_("That claim is not in this cluster."))
    old = cluster.lead
    if old is not None and old.pk == claim.pk:
        raise workflow.WorkflowError(_("That claim already leads the cluster."))
    if old is not None and old.status not in (*WAITING, S.DISMISSED):
        raise workflow.InvalidState(
            _("The cluster's review has started; reopen or re-queue it before changing the lead.")
        )
    if claim.status not in WAITING:
        raise workflow.InvalidState(_("Choose a claim that is waiting for review."))
    with transaction.atomic():
        _bump(cluster, lead=claim)
        if old is not None:
            workflow.write_change(
                old,
                actor=actor,
                action="lead_changed",
                comment=comment,
                data={"cluster": cluster.pk, "lead": claim.pk},
                attached=True,
                notify=False,
            )
        entry = workflow.write_change(
            claim,
            actor=actor,
            action="lead_changed",
            comment=comment,
            data={"cluster": cluster.pk, "lead": claim.pk, "previous_lead": old and old.pk},
            attached=False,
            held=False,
            repeat_of=None,
            notify=False,
        )
        workflow._enqueue_assignment(claim)
        cluster.lead = claim
    return entry


def split_off(claim: Claim, *, actor, comment: str = "") -> ClaimLog:
    """Take a claim out of its cluster into a cluster of its own, which it leads (the
    matcher was wrong: another fact). It is then reviewed on its own."""
    _check_editor(actor)
    cluster = claim.cluster
    if cluster is None or cluster.size <= 1:
        raise workflow.WorkflowError(_("This claim is alone in its cluster."))
    if cluster.lead_id == claim.pk:
        raise workflow.WorkflowError(
            _("Make another claim the lead before splitting this one off.")
        )
    with transaction.atomic():
        _bump(cluster, size=F("size") - 1)
        seen = claim.created_at  # the new cluster's span is its one appearance
        new = ClaimCluster.objects.create(lead=claim, size=1, created_at=seen, last_seen_at=seen)
        entry = workflow.write_change(
            claim,
            actor=actor,
            action="cluster_split",
            comment=comment,
            data={"from_cluster": cluster.pk, "cluster": new.pk},
            cluster=new,
            attached=False,
            repeat_of=None,
            notify=False,
        )
        if claim.status in WAITING:
            workflow._enqueue_assignment(claim)
    return entry


def merge(target: ClaimCluster, other: ClaimCluster, *, actor, comment: str = "") -> int:
    """Move every claim of ``other`` into ``target`` (they state one fact after all).
    ``other``'s lead is attached to ``target``'s review, so it must not be under
    review itself. Returns the number of claims moved; each gets a log row."""
    _check_editor(actor)
    if target.pk == other.pk:
        raise workflow.WorkflowError(_("A cluster cannot be merged into itself."))
    for cluster in (target, other):
        if cluster.size == 0:
            raise workflow.WorkflowError(
                _("Cluster %(pk)d has no claims left: it was merged into another.")
                % {"pk": cluster.pk}
            )
    if other.lead is not None and other.lead.status not in (*WAITING, S.DISMISSED):
        raise workflow.InvalidState(
            _("That cluster's claim is already in review or published: merge the other way.")
        )
    check_window(target, other)
    lead = target.lead
    published = lead is not None and lead.status == S.PUBLISHED
    moved = 0
    with transaction.atomic():
        _bump(
            target,
            created_at=Least(F("created_at"), Value(other.created_at)),
            last_seen_at=Greatest(F("last_seen_at"), Value(other.last_seen_at)),
        )
        _bump(other, size=0, lead=None)
        # Ids first, then the claims a chunk at a time: a big cluster costs no more memory.
        ids = list(Claim.objects.filter(cluster=other).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), MERGE_CHUNK):
            chunk = Claim.objects.filter(pk__in=ids[start : start + MERGE_CHUNK], cluster=other)
            for claim in chunk.select_related("verdict").order_by("pk"):
                workflow.write_change(
                    claim,
                    actor=actor,
                    action="cluster_merged",
                    comment=comment,
                    data={"from_cluster": other.pk, "cluster": target.pk},
                    cluster=target,
                    attached=True,
                    repeat_of_id=(
                        lead.pk if published and claim.repeat_of_id is None else claim.repeat_of_id
                    ),
                    notify=False,
                )
                moved += 1
        ClaimCluster.objects.filter(pk=target.pk).update(size=F("size") + moved)
    return moved
