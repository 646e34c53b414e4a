from __future__ import annotations

from django import template

from kurukan.accounts import access
from kurukan.exports.formats import Format

register = template.Library()


@register.inclusion_tag("exports/_links.html", takes_context=True)
def export_links(context: template.Context, query: str) -> dict:
    """The list page's export buttons, carrying the list's filters (`query`) so the file has the same rows."""
    return {
        "query": query,
        "export_formats": Format.choices,
        "can_export_identities": access.can_export_identities(context["request"].user),
    }


@register.inclusion_tag("exports/_register_links.html", takes_context=True)
def register_export_links(context: template.Context, level: str) -> dict:
    """A register list's export buttons (cases, interventions, claims), with the list's filters."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    formats = [(f, label) for f, label in Format.choices if f != Format.GEOJSON]
    return {"level": level, "query": query.urlencode(), "formats": formats}
