"""Prepared data for incident templates: de-identification is applied here, once, for every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from django.db.models import Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.accounts.models import User
from kurukan.people.models import Sex

from .forms import ReopenForm, ShareForm, SourceForm, VerificationForm, with_fixed_choices
from .models import (
    DatePrecision,
    Incident,
    IncidentStatus,
    Perpetrator,
    VerificationStatus,
    Victim,
    Violation,
)


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


def neutral_title(incident: Incident, type_labels: list[str]) -> str:
    """A title that identifies nobody: the violation types, the commune (or the lowest unit shown), the month.
    A free title names villages and people ("Attaque nocturne à Ogossagou"); this one says only what the
    list already shows to every reader."""
    unit = incident.commune or incident.cercle or incident.region
    parts = [", ".join(type_labels) or _("Incident")]
    parts.append(unit.name if unit is not None else _("lieu non précisé"))
    if incident.start_date and incident.date_precision != DatePrecision.UNKNOWN:
        parts.append(
            str(incident.start_date.year)
            if incident.date_precision == DatePrecision.YEAR
            else format_date(incident.start_date, "MMMM y", locale=_locale())
        )
    return " — ".join(parts)


def shown_title(incident: Incident, exact_place: bool, type_labels: list[str]) -> str:
    """The free title for who may see the exact place; a neutral one otherwise (see neutral_title)."""
    return incident.title if exact_place else neutral_title(incident, type_labels)


def incident_title(user, incident: Incident) -> str:
    """One incident's title as this user may see it (other apps' pages call this, never `.title`)."""
    exact = access.shows_exact_place(user, incident)
    labels = [] if exact else sorted({v.type.label for v in incident.violations.select_related("type")})
    return shown_title(incident, exact, labels)


def list_rows(user, incidents: list[Incident]) -> list[dict[str, Any]]:
    """Form-free, de-identified rows: the list page, the API and the exports all read these."""
    exact = access.exact_place_ids(user, incidents)
    rows = []
    for incident in incidents:
        violations = list(incident.violations.all())
        types = sorted({v.type.label for v in violations})
        rows.append(
            {
                "public_id": incident.public_id,
                "title": shown_title(incident, incident.pk in exact, types),
                "date": format_event_date(incident.start_date, incident.date_precision),
                "place": place_label(user, incident, with_settlement=False),
                "types": types,
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
    """`identities`: whether this person's identity may reach the reader (access.persons_named)."""
    person = victim.person
    sex = Sex(person.sex).label
    age = ""
    if victim.age_at_time is not None:
        age = (_("environ %(age)s ans") if victim.age_estimated else _("%(age)s ans")) % {
            "age": victim.age_at_time
        }
    name = (person.full_name or person.other_names) if identities else ""
    row = {
        "id": victim.pk,
        "label": name or _("Victime %(n)s") % {"n": index},
        "named": bool(name),
        "sex": sex,
        "age": age,
        "child": victim.is_child,
        "status_after": victim.status_after.label if victim.status_after else "",
        "categories": [c.label for c in person.categories.all()],
    }
    if identities:
        row["person_id"] = person.public_id
    return row


def _violation_row(
    user, violation: Violation, identities: bool, named: set[int] | None = None
) -> dict[str, Any]:
    victims = [
        _victim_row(v, i + 1, identities and (named is None or v.person_id in named))
        for i, v in enumerate(violation.victims.all())
    ]
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
    grave = violation.type.attributes.get("mrm_if_child", "")
    children = any(v["child"] for v in victims) or any(g["girls"] or g["boys"] for g in groups)
    row = {
        "id": violation.pk,
        "type": violation.type.label,
        "type_code": violation.type.code,
        "grave_child": bool(grave and children),
        "group": violation.type.parent.label if violation.type.parent else "",
        "kind": _("violation") if state else (_("atteinte") if perpetrators else ""),
        "counted_by": violation.get_counted_by_display(),
        "methods": [m.label for m in violation.methods.all()],
        "verification": violation.get_verification_status_display(),
        "verification_code": violation.verification_status,
        "standard": violation.standard_of_proof.label if violation.standard_of_proof else "",
        "verified_by": violation.verified_by.get_username() if violation.verified_by else "",
        "verified_at": violation.verified_at,
        "victims": victims,
        "groups": groups,
        "perpetrators": perpetrators,
        "victim_total": len(victims) + sum(g["total"] for g in groups),
        "school": {"code": violation.school.code, "name": violation.school.name}
        if violation.school
        else None,
    }
    if identities:
        row["note"] = violation.verification_note
    return row


def _unit(unit) -> dict | None:
    return {"pcode": unit.pcode, "name": unit.name} if unit is not None else None


def _violations(incident: Incident) -> list[Violation]:
    # Each part's own foreign keys come with it (a join), not as one more query per relation.
    return list(
        incident.violations.select_related("type__parent", "standard_of_proof", "verified_by", "school")
        .prefetch_related(
            "methods",
            Prefetch(
                "victims", queryset=Victim.objects.select_related("person", "status_after").order_by("pk")
            ),
            "victims__person__categories",
            "groups",
            Prefetch(
                "perpetrators",
                queryset=Perpetrator.objects.select_related("actor", "category", "involvement").order_by(
                    "pk"
                ),
            ),
        )
        .order_by("id")
    )


def incident_record(user, incident: Incident, violations: list[Violation] | None = None) -> dict[str, Any]:
    """One incident as this user may see it, as plain data (no forms, no model objects): the detail page,
    the API and the exports read this, so de-identification happens here once. What the user may not see
    is absent, not blank: the title is neutral, and the narrative, sources, exact place, names, person
    ids and verification notes are left out."""
    violations = _violations(incident) if violations is None else violations
    access.note_sensitivity(incident, violations)  # need-to-know, from what is already read
    identities = access.sees_identities(user, incident)
    exact = access.shows_exact_place(user, incident)
    persons = {victim.person_id for v in violations for victim in v.victims.all()}
    named = access.persons_named(user, incident, persons) if identities else set()
    # Persons who did not consent to this sharing are left out, and the page says how many (even when
    # need-to-know hides the record's identities too); the narrative and the sources go with them.
    shared = access.receives_through_share(user, incident) and access.sees_identities_by_role(user, incident)
    withheld = len(persons - access.persons_named(user, incident, persons)) if shared else 0
    rows = [_violation_row(user, v, identities, named) for v in violations]
    # The sources are read once: listed for who may read them, only counted for everyone else.
    sources = (
        list(incident.sources.select_related("kind", "reliability").order_by("id"))
        if identities and not withheld
        else None
    )
    record: dict[str, Any] = {
        "public_id": incident.public_id,
        "title": shown_title(incident, exact, sorted({r["type"] for r in rows})),
        "status": incident.get_status_display(),
        "status_code": incident.status,
        "confidentiality": incident.confidentiality,
        "organisation": str(incident.organisation),
        "start_date": incident.start_date,
        "end_date": incident.end_date,
        "date_precision": incident.date_precision,
        "date_estimated": incident.date_estimated,
        "date_label": format_event_date(incident.start_date, incident.date_precision),
        "end_label": format_event_date(incident.end_date, incident.date_precision)
        if incident.end_date
        else "",
        "place": place_label(user, incident),
        "region": _unit(incident.region),
        "cercle": _unit(incident.cercle),
        "commune": _unit(incident.commune),
        "geo_precision": incident.geo_precision,
        "public_summary": incident.public_summary,
        "identities": identities,
        "withheld": withheld,
        "violations": rows,
        "source_count": incident.sources.count() if sources is None else len(sources),
        "submitted_at": incident.submitted_at,
        "created_at": incident.created_at,
        "updated_at": incident.updated_at,
    }
    if exact:
        record.update(
            settlement=_unit(incident.settlement), latitude=incident.latitude, longitude=incident.longitude
        )
    if sources is not None:
        record["narrative"] = incident.narrative
        record["sources"] = [
            {
                "id": s.pk,
                "kind": s.kind.label if s.kind else "",
                "reliability": s.reliability.label if s.reliability else "",
                "language": s.language,
                "reported_on": s.reported_on,
                "description": s.description,
            }
            for s in sources
        ]
    return record


def incident_detail_context(user, incident: Incident) -> dict[str, Any]:
    """The detail and editor pages: the record above, plus what this user may do with it."""
    violations = _violations(incident)
    record = incident_record(user, incident, violations)
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
    verify_form = with_fixed_choices(VerificationForm()) if can_verify else None
    # Need-to-know: a sensitive record says so, and its coordinator names who may see its identities.
    sensitive = access.is_sensitive(incident)
    names_users = sensitive and access.can_name_on_record(user, incident)
    may_follow_up = access.may_follow_up(user, incident)
    if verify_form is not None:
        for row, violation in zip(record["violations"], violations, strict=True):
            row["verify_form"] = _verification_form_for(violation, verify_form)
    return {
        **record,
        "record": record,
        "incident": incident,
        "narrative": record.get("narrative", ""),
        "sources": record.get("sources", []),
        "can_edit": access.can_edit(user, incident),
        "can_verify": can_verify,
        "can_share": can_share,
        "shares": shares,
        "share_form": ShareForm(incident=incident) if can_share else None,
        "verify_forms": {},
        "verify_form": verify_form,
        "history_count": incident.history.count(),
        "sensitive": sensitive,
        "names_users": names_users,
        "named_users": list(incident.need_to_know.order_by("username")) if names_users else [],
        "nameable_users": list(
            User.objects.filter(organisation_id=incident.organisation_id, is_active=True)
            .exclude(pk__in=incident.need_to_know.values("pk"))
            .exclude(pk=incident.created_by_id or 0)
            .exclude(role__in=["analyst", "viewer", "focal_point"])
            .order_by("username")
        )
        if names_users
        else [],
        # Closing is proposed once every violation has a final verification; it is its own action.
        "can_close": can_verify
        and incident.status != IncidentStatus.CLOSED
        and bool(violations)
        and all(v.verification_status in VerificationStatus.final() for v in violations),
        "can_reopen": can_verify and incident.status == IncidentStatus.CLOSED,
        "reopen_form": ReopenForm(),
        "may_follow_up": may_follow_up,
        "follow_up_form": SourceForm(prefix="follow_up") if may_follow_up else None,
    }


def _verification_form_for(violation: Violation, template: VerificationForm) -> VerificationForm:
    """Each violation's form opens on its current status, reusing the choice lists read once."""
    form = VerificationForm(
        auto_id=f"id_verify{violation.pk}_%s",
        initial={
            "verification_status": violation.verification_status,
            "standard_of_proof": violation.standard_of_proof_id,
        },
    )
    for name, field in form.fields.items():
        if hasattr(template.fields[name].widget, "choices"):
            field.widget.choices = template.fields[name].widget.choices
    return form


# Fields whose old and new values a user who does not see identities must not read in the history: the
# free title and the exact place can name a village, the narrative names people.
IDENTIFYING_FIELDS = {"title", "narrative", "settlement", "latitude", "longitude", "external_ids"}
HIDDEN_FIELDS = {"search_folded_v2", "merged_into"}


def _shown_value(record, field: str) -> str:
    value = getattr(record, field, None)
    if value is None or value == "":
        return "—"
    display = getattr(record, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if field in {"region", "cercle", "commune", "settlement", "organisation"}:
        unit = getattr(record, field)
        return getattr(unit, "name", str(unit))
    return str(value)


def history_rows(user, incident: Incident) -> list[dict[str, Any]]:
    """The incident's versions, newest first: who, when, which fields changed and (where this user may
    read them) the new values. Identifying fields are named but their values withheld from users who do
    not see the record's identities, as on the record itself."""
    exact = access.shows_exact_place(user, incident)
    identities = access.sees_identities(user, incident)
    versions = list(incident.history.select_related("history_user").order_by("-history_date", "-history_id"))
    rows = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if previous is not None:
            delta = version.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = Incident._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                masked = change.field in IDENTIFYING_FIELDS and not (
                    identities if change.field == "narrative" else exact
                )
                changes.append(
                    {
                        "field": label,
                        "value": _("(masqué)") if masked else _shown_value(version, change.field),
                    }
                )
        rows.append(
            {
                "at": version.history_date,
                "who": version.history_user.get_username() if version.history_user else _("système"),
                "kind": {"+": _("création"), "~": _("modification"), "-": _("suppression")}[
                    version.history_type
                ],
                "changes": changes,
            }
        )
    return rows
