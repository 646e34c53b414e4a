"""Prepared data for the school templates, the API and the public downloads (one shape for each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kurukan.accounts import access
from kurukan.statistics import schools as figures

from . import actions, history, queries
from .models import School


def _day(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def state_text(closed: bool | None, since: dt.date | None) -> str:
    if closed is None:
        return _("État inconnu")
    if closed:
        return _("Fermée depuis le %(date)s") % {"date": _day(since)}
    return _("Ouverte depuis le %(date)s") % {"date": _day(since)}


def register_rows(schools: list[School]) -> list[dict[str, Any]]:
    entries = queries.entries_by_id([getattr(s, "state_id", None) for s in schools])
    rows = []
    for school in schools:
        entry = entries.get(getattr(school, "state_id", None) or 0)
        rows.append(
            {
                "code": school.code,
                "name": school.name,
                "level": school.level.label,
                "commune": school.commune.name,
                "cercle": school.cercle.name,
                "region": school.region.name,
                "closed": entry.closed if entry else None,
                "state": entry.status.label if entry else _("État inconnu"),
                "since": entry.starts_on if entry else None,
                "reason": entry.reason.label if entry and entry.reason else "",
            }
        )
    return rows


def timeline(user, school: School) -> list[dict[str, Any]]:
    changes = school.status_changes.select_related(
        "status", "reason", "occupied_by", "occupier_category", "organisation"
    ).order_by("-starts_on", "-id")
    return [
        {
            "id": change.pk,
            "date": _day(change.starts_on),
            "starts_on": change.starts_on,
            "precision": change.get_date_precision_display(),
            "status": change.status.label,
            "status_code": change.status.code,
            "closed": change.closed,
            "reason": change.reason.label if change.reason else "",
            "occupier": str(change.occupied_by or change.occupier_category or ""),
            "pupils": change.pupils_affected,
            "teachers": change.teachers_affected,
            "organisation": str(change.organisation),
            "source": change.source if access.sees_status_source(user, change) else "",
            "correctable": actions.may_correct(user, change),
        }
        for change in changes
    ]


def linked_violations(user, school: School) -> list[dict[str, Any]]:
    """Violations linked to the school, as far as the reader may see their incidents; never a title or a
    narrative here (titles may name people): the incident page shows those under its own rules."""
    violations = (
        access.school_violations(user, school)
        .select_related("incident", "type")
        .order_by("-incident__start_date")
    )
    return [
        {
            "public_id": v.incident.public_id,
            "date": _day(v.incident.start_date),
            "type": v.type.label,
            "verification": v.get_verification_status_display(),
        }
        for v in violations
    ]


def school_context(user, school: School) -> dict[str, Any]:
    today = timezone.localdate()
    entries = actions.history_of(school)
    current = history.state_on(entries, today)
    periods = [
        {
            "start": _day(p.start),
            "end": _day(p.end) if p.end else "",
            "days": p.days(today),
        }
        for p in reversed(history.closure_periods(entries))
    ]
    return {
        "school": school,
        "state": state_text(current.closed if current else None, current.starts_on if current else None),
        "closed_now": bool(current and current.closed),
        "timeline": timeline(user, school),
        "periods": periods,
        "days_closed": history.days_closed(entries, today),
        "violations": linked_violations(user, school),
        "can_record": access.can_record_schools(user),
    }


def public_rows(on: dt.date, filters: figures.SchoolFilters | None = None) -> list[dict[str, Any]]:
    """The public list: reference data and the reason only. No source, no occupier, no violation."""
    since = queries.closed_since(on, filters)
    rows = []
    for change in queries.closed_schools(on, filters):
        school = change.school
        rows.append(
            {
                "code": school.code,
                "name": school.name,
                "region": school.region.name,
                "region_pcode": school.region.pcode,
                "cercle": school.cercle.name,
                "commune": school.commune.name,
                "commune_pcode": school.commune.pcode,
                "level": school.level.label,
                "status": change.status.label,
                "since": since.get(school.pk, change.starts_on),
                "reason": change.reason.label if change.reason else "",
                "pupils": change.pupils_affected if change.pupils_affected is not None else school.pupils,
                "latitude": school.latitude,
                "longitude": school.longitude,
            }
        )
    return rows


PUBLIC_COLUMNS = [
    ("code", gettext_lazy("Code de l'école")),
    ("name", gettext_lazy("Nom")),
    ("region", gettext_lazy("Région")),
    ("cercle", gettext_lazy("Cercle")),
    ("commune", gettext_lazy("Commune")),
    ("commune_pcode", gettext_lazy("P-code de la commune")),
    ("level", gettext_lazy("Niveau")),
    ("status", gettext_lazy("État")),
    ("since", gettext_lazy("Fermée depuis le")),
    ("reason", gettext_lazy("Motif")),
    ("pupils", gettext_lazy("Élèves privés d'école")),
]
