"""Prepared data for incident templates: de-identification is applied here, once, for every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.people.models import Sex

from .forms import ShareForm, VerificationForm, with_fixed_choices
from .models import DatePrecision, Incident, IncidentStatus, VerificationStatus, Violation


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def format_event_date(value: dt.date | None, precision: str) -> str:
    if value is None or precision == DatePrecision.UNKNOWN:
        return _("date inconnue")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return format_date(value, "MMMM y", locale=_locale())
    if precision == DatePrecision.WEEK:
        return _("semaine du %(date)s") % {"date": format_date(value, "long", locale=_locale())}
    return format_date(value, "long", locale=_locale())


def place_label(user, incident: Incident, with_settlement: bool = True) -> str:
    parts = [u.name for u in (incident.commune, incident.cercle, incident.region) if u is not None]
    if with_settlement and incident.settlement_id and access.shows_exact_place(user, incident):
        assert incident.settlement is not None  # settlement_id is set
        parts.insert(0, incident.settlement.name)
    return ", ".join(parts) or _("lieu non précisé")


def list_rows(user, incidents: list[Incident]) -> list[dict[str, Any]]:
    rows = []
    for incident in incidents:
        violations = list(incident.violations.all())
        rows.append(
            {
                "public_id": incident.public_id,
                "title": incident.title,
                "date": format_event_date(incident.start_date, incident.date_precision),
                "place": place_label(user, incident, with_settlement=False),
                "types": sorted({v.type.label for v in violations}),
                "victims": incident.victim_count,
                "status": incident.get_status_display(),
                "status_code": incident.status,
                "verified": sum(
                    1 for v in violations if v.verification_status == VerificationStatus.VERIFIED
                ),
                "violations": len(violations),
                "organisation": str(incident.organisation),
            }
        )
    return rows


def _victim_row(victim, index: int, identities: bool) -> dict[str, Any]:
    person = victim.person
    sex = Sex(person.sex).label
    age = ""
    if victim.age_at_time is not None:
        age = (_("environ %(age)s ans") if victim.age_estimated else _("%(age)s ans")) % {
            "age": victim.age_at_time
        }
    name = person.full_name if identities else ""
    return {
        "id": victim.pk,
        "label": name or _("Victime %(n)s") % {"n": index},
        "named": bool(name),
        "person_id": person.public_id,
        "sex": sex,
        "age": age,
        "child": victim.is_child,
        "status_after": victim.status_after.label if victim.status_after else "",
        "categories": [c.label for c in person.categories.all()],
    }


def _violation_row(user, violation: Violation, identities: bool) -> dict[str, Any]:
    victims = [_victim_row(v, i + 1, identities) for i, v in enumerate(violation.victims.all())]
    groups: list[dict[str, Any]] = [
        {
            "id": g.pk,
            "description": g.description,
            "total": g.total,
            "women": g.women,
            "men": g.men,
            "girls": g.girls,
            "boys": g.boys,
            "unknown": g.unknown,
        }
        for g in violation.groups.all()
    ]
    perpetrators = [
        {
            "id": p.pk,
            "actor": str(p.actor) if p.actor else "",
            "category": p.category.label,
            "state": p.is_state_actor,
            "involvement": p.involvement.label if p.involvement else "",
        }
        for p in violation.perpetrators.all()
    ]
    state = any(p["state"] for p in perpetrators)
    return {
        "id": violation.pk,
        "type": violation.type.label,
        "group": violation.type.parent.label if violation.type.parent else "",
        "kind": _("violation") if state else (_("atteinte") if perpetrators else ""),
        "counted_by": violation.get_counted_by_display(),
        "methods": [m.label for m in violation.methods.all()],
        "verification": violation.get_verification_status_display(),
        "verification_code": violation.verification_status,
        "standard": violation.standard_of_proof.label if violation.standard_of_proof else "",
        "verified_by": violation.verified_by.get_username() if violation.verified_by else "",
        "verified_at": violation.verified_at,
        "note": violation.verification_note if identities else "",
        "victims": victims,
        "groups": groups,
        "perpetrators": perpetrators,
        "victim_total": len(victims) + sum(g["total"] for g in groups),
        "school": {"code": violation.school.code, "name": violation.school.name}
        if violation.school
        else None,
    }


def incident_detail_context(user, incident: Incident) -> dict[str, Any]:
    identities = access.sees_identities(user, incident)
    violation_qs = (
        incident.violations.select_related("type__parent", "standard_of_proof", "verified_by", "school")
        .prefetch_related(
            "methods",
            "victims__person__categories",
            "victims__status_after",
            "groups",
            "perpetrators__actor",
            "perpetrators__category",
            "perpetrators__involvement",
        )
        .order_by("id")
    )
    sources = [
        {
            "id": s.pk,
            "kind": s.kind.label if s.kind else "",
            "reliability": s.reliability.label if s.reliability else "",
            "language": s.language,
            "reported_on": s.reported_on,
            "description": s.description if identities else "",
        }
        for s in incident.sources.select_related("kind", "reliability").order_by("id")
    ]
    can_verify = access.can_verify(user, incident) and incident.status != IncidentStatus.DRAFT
    can_share = access.can_share(user, incident)
    shares = (
        [
            {
                "id": s.pk,
                "organisation": str(s.organisation),
                "identities": s.include_identities,
                "at": s.granted_at,
            }
            for s in incident.shares.filter(revoked_at__isnull=True).select_related("organisation")
        ]
        if can_share
        else []
    )
    violations = list(violation_qs)
    rows = [_violation_row(user, v, identities) for v in violations]
    verify_form = with_fixed_choices(VerificationForm()) if can_verify else None
    if verify_form is not None:
        for row, violation in zip(rows, violations, strict=True):
            row["verify_form"] = _verification_form_for(violation, verify_form)
    return {
        "incident": incident,
        "date_label": format_event_date(incident.start_date, incident.date_precision),
        "end_label": format_event_date(incident.end_date, incident.date_precision)
        if incident.end_date
        else "",
        "place": place_label(user, incident),
        "narrative": incident.narrative if identities else "",
        "identities": identities,
        "violations": rows,
        "sources": sources if identities else [],
        "source_count": len(sources),
        "can_edit": access.can_edit(user, incident),
        "can_verify": can_verify,
        "can_share": can_share,
        "shares": shares,
        "share_form": ShareForm(incident=incident) if can_share else None,
        "verify_forms": {},
        "verify_form": verify_form,
        "history_count": incident.history.count(),
    }


def _verification_form_for(violation: Violation, template: VerificationForm) -> VerificationForm:
    """Each violation's form opens on its current status, reusing the choice lists read once."""
    form = VerificationForm(
        initial={
            "verification_status": violation.verification_status,
            "standard_of_proof": violation.standard_of_proof_id,
        }
    )
    for name, field in form.fields.items():
        if hasattr(template.fields[name].widget, "choices"):
            field.widget.choices = template.fields[name].widget.choices
    return form
