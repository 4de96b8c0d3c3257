"""Article text with claims highlighted in place, built from stored offsets.

Submitted HTML is never rendered: every piece of article text goes through
``escape``; only the markup written here is marked safe.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.extraction.entities import display_label
from claims.net.safeurl import safe_http_url

register = template.Library()

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by blank lines."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _inline(text: str) -> str:
    """Escaped text; a single newline inside a paragraph becomes a line break."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def claim_description(claim) -> str:
    parts = [f"Score {claim.score:.2f}", claim.get_claim_type_display()]
    if claim.speaker:
        parts.append(f"speaker {claim.speaker}")
    parts.append(f"status {claim.get_status_display().lower()}")
    if claim.verdict_id and claim.status == "published":
        parts.append(f"verdict {claim.verdict.get_rating_display()}")
    return " · ".join(parts)


def _mark(claim, text: str, first: bool) -> str:
    """One highlighted claim (or the part of it inside one paragraph)."""
    tip_id = f"claim-tip-{claim.pk}" if first else f"claim-tip-{claim.pk}-more"
    anchor = format_html(
        '<a class="claim-mark st-{}" href="{}" data-claim="{}"{} aria-describedby="{}">'
        '{}<span class="visually-hidden"> (claim, {})</span></a>',
        claim.status,
        claim.get_absolute_url(),
        claim.pk,
        format_html(' id="claim-mark-{}"', claim.pk) if first else "",
        tip_id,
        mark_safe(_inline(text)),
        claim.get_status_display().lower(),
    )
    return format_html(
        '<span class="claim-wrap">{}<span class="tip" role="tooltip" id="{}">{}</span></span>',
        anchor,
        tip_id,
        claim_description(claim),
    )


@register.simple_tag
def highlighted_article(text: str, claims) -> str:
    """``text`` as paragraphs, each claim marked from ``claim.start``/``claim.end``.

    Claims whose offsets fall outside the text, or overlap an earlier claim, are
    left unmarked rather than guessed at.
    """
    ordered = sorted(
        (c for c in claims if 0 <= c.start < c.end <= len(text)),
        key=lambda c: (c.start, c.end),
    )
    placed, cursor = [], 0
    for claim in ordered:
        if claim.start >= cursor:
            placed.append(claim)
            cursor = claim.end
    out = []
    started: set[int] = set()
    first = 0  # placed claims are ordered and disjoint: skip those already passed
    for p_start, p_end in paragraph_spans(text):
        pos, pieces = p_start, []
        while first < len(placed) and placed[first].end <= p_start:
            first += 1
        for claim in placed[first:]:
            if claim.start >= p_end:
                break
            s, e = max(claim.start, p_start), min(claim.end, p_end)
            pieces.append(_inline(text[pos:s]))
            pieces.append(_mark(claim, text[s:e], claim.pk not in started))
            started.add(claim.pk)
            pos = e
        pieces.append(_inline(text[pos:p_end]))
        out.append("<p>" + "".join(pieces) + "</p>")
    return mark_safe("\n".join(out))


@register.simple_tag
def claim_in_context(text: str, claim, width: int = 320) -> str:
    """The claim's sentence with the text around it, the sentence marked."""
    start, end = claim.start, claim.end
    if not (0 <= start <= end <= len(text)):
        return format_html("<p><mark>{}</mark></p>", claim.text)
    before_from = max(0, start - width)
    after_to = min(len(text), end + width)
    if before_from > 0:
        space = text.find(" ", before_from, start)
        before_from = space + 1 if space != -1 else before_from
    if after_to < len(text):
        space = text.rfind(" ", end, after_to)
        after_to = space if space != -1 else after_to
    before, after = text[before_from:start], text[end:after_to]
    return format_html(
        '<p class="context">{}{}<mark class="claim-mark st-{}">{}</mark>{}{}</p>',
        "… " if before_from > 0 else "",
        mark_safe(_inline(before)),
        claim.status,
        mark_safe(_inline(text[start:end])),
        mark_safe(_inline(after)),
        " …" if after_to < len(text) else "",
    )


def safe_link(href: str) -> bool:
    """Only plain web links are offered; never javascript:, data: or the like."""
    return bool(safe_http_url(href))


@register.filter
def web_links(links):
    """The http(s) links from a stored link list (dicts with href/text), deduplicated."""
    seen, out = set(), []
    for link in links or []:
        href = link.get("href", "") if isinstance(link, dict) else str(link)
        if safe_link(href) and href not in seen:
            seen.add(href)
            out.append(
                {"href": href, "text": (link.get("text") if isinstance(link, dict) else "") or href}
            )
    return out


LOG_ACTIONS = {
    "accepted": gettext_lazy("Accepted"),
    "appearance_added": gettext_lazy("Appearance added"),
    "assigned": gettext_lazy("Assigned"),
    "attached": gettext_lazy("Attached"),
    "checked_text_edited": gettext_lazy("Checked text edited"),
    "claimant_set": gettext_lazy("Claimant set"),
    "cluster_merged": gettext_lazy("Cluster merged"),
    "cluster_split": gettext_lazy("Cluster split"),
    "dismissed": gettext_lazy("Dismissed"),
    "duplicate": gettext_lazy("Duplicate"),
    "evidence_added": gettext_lazy("Evidence added"),
    "evidence_removed": gettext_lazy("Evidence removed"),
    "extracted": gettext_lazy("Extracted"),
    "held": gettext_lazy("Held"),
    "lead_changed": gettext_lazy("Lead changed"),
    "merged": gettext_lazy("Merged"),
    "notes_saved": gettext_lazy("Notes saved"),
    "priority_set": gettext_lazy("Priority set"),
    "published": gettext_lazy("Published"),
    "queued": gettext_lazy("Queued"),
    "released": gettext_lazy("Released"),
    "reopened": gettext_lazy("Reopened"),
    "repeated": gettext_lazy("Repeated"),
    "requeued": gettext_lazy("Requeued"),
    "review_started": gettext_lazy("Review started"),
    "sent_back": gettext_lazy("Sent back"),
    "signed_off": gettext_lazy("Signed off"),
    "sla_escalated": gettext_lazy("Sla escalated"),
    "sla_reminder": gettext_lazy("Sla reminder"),
    "taken": gettext_lazy("Taken"),
    "unheld": gettext_lazy("Unheld"),
    "verdict_proposed": gettext_lazy("Verdict proposed"),
}


@register.filter
def log_action(action: str) -> str:
    """``claim.evidence_added`` → ``Evidence added`` (translated where known)."""
    code = (action or "").removeprefix("claim.")
    if code in LOG_ACTIONS:
        return str(LOG_ACTIONS[code])
    words = code.replace("_", " ")
    return words[:1].upper() + words[1:]


# ---------------------------------------------------------------------------
# Readable labels for what extraction and the workflow store as codes.


# The names extraction gives entity kinds (claims.extraction.lexicon), in the
# desk's language; extraction itself has no Django and stays English.
ENTITY_NAMES = {
    "person": gettext_lazy("person"),
    "organisation": gettext_lazy("organisation"),
    "place": gettext_lazy("place"),
    "group": gettext_lazy("group"),
    "date": gettext_lazy("date"),
    "time": gettext_lazy("time"),
    "money": gettext_lazy("money"),
    "percentage": gettext_lazy("percentage"),
    "event": gettext_lazy("event"),
    "law": gettext_lazy("law"),
    "building": gettext_lazy("building"),
    "product": gettext_lazy("product"),
    "title": gettext_lazy("title"),
    "quantity": gettext_lazy("quantity"),
}


@register.filter
def entity_label(code) -> str:
    """'GPE' -> 'place': the desk speaks its reader's language, not NER tag sets
    (one table, in claims.extraction.lexicon)."""
    name = display_label(code)
    return str(ENTITY_NAMES.get(name, name))


@register.filter
def is_web_url(value) -> bool:
    return isinstance(value, str) and bool(safe_http_url(value))


VERDICT_STATE_TEXT = {
    "proposed": gettext_lazy("waiting for sign-off"),
    "sent_back": gettext_lazy("sent back"),
    "approved": gettext_lazy("signed off"),
    "published": gettext_lazy("published"),
    "withdrawn": gettext_lazy("withdrawn"),
}


@register.simple_tag
def verdict_history_line(verdict) -> str:
    """'Proposed by bob · signed off by alice', without repeating the state's name."""
    who = verdict.proposed_by.get_username() if verdict.proposed_by else _("someone")
    parts = [_("proposed by %(user)s") % {"user": who}]
    state = VERDICT_STATE_TEXT.get(verdict.state, verdict.get_state_display().lower())
    if verdict.decided_by_id:
        parts.append(
            _("%(state)s by %(user)s") % {"state": state, "user": verdict.decided_by.get_username()}
        )
    else:
        parts.append(str(state))
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


RATING_MEANINGS = {
    "true": gettext_lazy("The claim is accurate; nothing significant is missing."),
    "mostly_true": gettext_lazy("The claim is accurate but needs clarification or extra context."),
    "half_true": gettext_lazy("The claim is partly accurate but leaves out important details."),
    "mostly_false": gettext_lazy(
        "The claim has an element of truth but misses facts that change the picture."
    ),
    "false": gettext_lazy("The claim is not accurate."),
    "misleading": gettext_lazy("The facts may be right, but the claim gives a wrong impression."),
    "unverifiable": gettext_lazy("The evidence available does not settle the claim either way."),
}


@register.filter
def rating_meaning(rating) -> str:
    return str(RATING_MEANINGS.get(str(rating), ""))
