"""`{% load duplicates %}{% incident_merges incident %}`: the merge status of an incident, for its page."""

from __future__ import annotations

from django import template

from kurukan.accounts import access
from kurukan.incidents.merges import merged_family, root_of
from kurukan.incidents.models import Incident

register = template.Library()


def incident_merge_context(user, incident: Incident) -> dict:
    """The root survivor this incident was merged into, and the incidents merged into it — those the user
    may see (public ids only)."""
    root = root_of(Incident, incident.pk) if incident.merged_into_id else None
    family = merged_family(Incident, incident.pk) - {incident.pk}
    if not root and not family:  # the common case: no merge, nothing more to read
        return {"merged_into": None, "merged_duplicates": []}
    visible = access.visible_incidents(user)
    survivor = visible.filter(pk=root).values_list("public_id", flat=True).first() if root else None
    duplicates = list(visible.filter(pk__in=family).order_by("public_id").values_list("public_id", flat=True))
    return {"merged_into": survivor, "merged_duplicates": duplicates}


@register.inclusion_tag("duplicates/_incident_merges.html", takes_context=True)
def incident_merges(context, incident: Incident) -> dict:
    return incident_merge_context(context["request"].user, incident)
