"""``entity_label``: the readable name of a stored entity code ("GPE" -> "Place")."""

from __future__ import annotations

from django import template

from claims.extraction.entities import display_label

register = template.Library()


@register.filter
def entity_label(code) -> str:
    return display_label(str(code or ""))
