"""An incident's history page: the versions of the incident and of every part recorded on it.

The issue asks for each record's versions — who, when, what changed — under the record's access rules. An
incident is recorded in parts (violations, individual victims, groups of victims, perpetrators, sources),
each with its own django-simple-history table; a monitor who changed a victim's age or removed a source
looks for it on the incident's history, so the page reads them all, newest first, parts deleted since
included. Values that could identify someone are named but withheld ("(masqué)") from users who do not see
the incident's identities: the person record behind a victim, a perpetrator or a source, descriptions and
the verification note (encrypted, free text).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kurukan.accounts import access

from .models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation
from .presenters import _shown_value, history_rows

# Fields a user who does not see identities must not read, per part.
IDENTIFYING = {
    Violation: {"verification_note"},
    Victim: {"person"},
    GroupVictims: {"description"},
    Perpetrator: {"person", "description"},
    Source: {"person", "description"},
}
LABELS = {
    Violation: gettext_lazy("Violation %(n)s"),
    Victim: gettext_lazy("Victime %(n)s"),
    GroupVictims: gettext_lazy("Groupe de victimes %(n)s"),
    Perpetrator: gettext_lazy("Auteur %(n)s"),
    Source: gettext_lazy("Source %(n)s"),
}
KINDS = {"+": gettext_lazy("création"), "~": gettext_lazy("modification"), "-": gettext_lazy("suppression")}
SKIPPED = {"id", "incident", "violation"}  # what ties a part to its incident: no news on the page


def _part_versions(incident: Incident) -> list[tuple[type[models.Model], list]]:
    """Every historical row of the incident's parts, those deleted since included."""
    violation_ids = set(
        Violation.history.filter(incident_id=incident.pk).values_list("id", flat=True).distinct()
    )
    return [
        (Violation, list(Violation.history.filter(incident_id=incident.pk).select_related("history_user"))),
        (Source, list(Source.history.filter(incident_id=incident.pk).select_related("history_user"))),
        *(
            (model, list(model.history.filter(violation_id__in=violation_ids).select_related("history_user")))
            for model in (Victim, GroupVictims, Perpetrator)
        ),
    ]


def _value(model: type[models.Model], version: Any, field: str, identities: bool) -> str:
    if field in IDENTIFYING[model] and not identities:
        return _("(masqué)")
    return _shown_value(version, field)


def _part_rows(user, incident: Incident) -> list[dict[str, Any]]:
    identities = access.sees_identities(user, incident)
    rows = []
    for model, versions in _part_versions(incident):
        numbers = {pk: n for n, pk in enumerate(sorted({v.id for v in versions}), start=1)}
        by_record: dict[int, list] = {}
        for version in sorted(versions, key=lambda v: (v.history_date, v.history_id)):
            by_record.setdefault(version.id, []).append(version)
        for record_id, chain in by_record.items():
            for index, version in enumerate(chain):
                changes = []
                if version.history_type == "+":
                    fields = [
                        f.name
                        for f in model._meta.concrete_fields
                        if f.name not in SKIPPED and _shown_value(version, f.name) != "—"
                    ]
                elif version.history_type == "~" and index:
                    fields = [
                        c.field
                        for c in version.diff_against(chain[index - 1]).changes
                        if c.field not in SKIPPED
                    ]
                else:
                    fields = []
                for name in fields:
                    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
                    changes.append({"field": label, "value": _value(model, version, name, identities)})
                rows.append(
                    {
                        "at": version.history_date,
                        "who": version.history_user.get_username() if version.history_user else _("système"),
                        "kind": str(KINDS[version.history_type]),
                        "record": str(LABELS[model]) % {"n": numbers[record_id]},
                        "changes": changes,
                    }
                )
    return rows


def all_versions(user, incident: Incident) -> list[dict[str, Any]]:
    """The incident's versions and its parts', newest first, each row naming the record it is about."""
    rows = [{**row, "record": _("Incident")} for row in history_rows(user, incident)]
    rows += _part_rows(user, incident)
    rows.sort(key=lambda row: row["at"], reverse=True)
    return rows
