"""Workflows over schools: each in a transaction, each writing its audit event (codes and ids only)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kurukan.audit import log as audit
from kurukan.audit.models import Action

from . import history
from .models import School, StatusChange


def entry_of(change: StatusChange) -> history.Entry:
    return history.Entry(
        id=change.pk,
        starts_on=change.starts_on,
        status=change.status.code,
        closed=change.closed,
        label=change.status.label,
        organisation=str(change.organisation) if change.organisation_id else "",
    )


def history_of(school: School) -> list[history.Entry]:
    changes = school.status_changes.select_related("status", "organisation").order_by("starts_on", "id")
    return [entry_of(change) for change in changes]


def closed_flag(status_term: Any) -> bool | None:
    """The status term's `closed` attribute (yes / no / empty) as the entry stores it."""
    value = (status_term.attributes or {}).get("closed", "")
    return {"yes": True, "no": False}.get(value)


@transaction.atomic
def add_school(school: School, user: Any) -> School:
    school.created_by = user if getattr(user, "is_authenticated", False) else None
    school.save()
    audit.record(Action.CREATE, user=user, obj=school, code=school.code)
    return school


@transaction.atomic
def update_school(school: School, user: Any, changed: list[str]) -> School:
    school.save()
    audit.record(Action.CHANGE, user=user, obj=school, code=school.code, fields=sorted(changed))
    return school


def refresh_ends(school: School) -> None:
    """Keep each decisive entry's `ends_on` equal to the start of the school's next decisive entry."""
    for change_id, ends_on in history.ends(history_of(school)).items():
        StatusChange.objects.filter(pk=change_id).exclude(ends_on=ends_on).update(ends_on=ends_on)


def check_status_change(change: StatusChange, entries: list[history.Entry] | None = None) -> None:
    """Raise a ValidationError on `starts_on` naming the entry that the new one contradicts."""
    change.closed = closed_flag(change.status)
    new = history.Entry(None, change.starts_on, change.status.code, change.closed, change.status.label)
    problem = history.problem_with(entries if entries is not None else history_of(change.school), new)
    if problem:
        raise ValidationError({"starts_on": problem})


@transaction.atomic
def record_status_change(change: StatusChange, user: Any) -> StatusChange:
    """Add one dated entry to a school's history, if it contradicts none; the school row is locked so two
    people recording the same school at once cannot both slip past the check."""
    school = School.objects.select_for_update().get(pk=change.school_id)
    check_status_change(change)
    if not change.organisation_id:
        change.organisation = user.organisation
    change.created_by = user if getattr(user, "is_authenticated", False) else None
    change.save()
    refresh_ends(school)
    audit.record(
        Action.CHANGE,
        user=user,
        obj=school,
        added="status_change",
        status_change=change.pk,
        status=change.status.code,
        starts_on=change.starts_on.isoformat(),
    )
    return change


def may_correct(user: Any, change: StatusChange) -> bool:
    """An entry is an observation of the organisation that recorded it: its recorders (and administrators)
    correct it; another organisation adds its own entry instead."""
    from kurukan.accounts import access
    from kurukan.accounts.models import Role

    if not access.can_record_schools(user):
        return False
    return user.role == Role.ADMINISTRATOR or change.organisation_id == user.organisation_id


def check_whole_history(entries: list[history.Entry]) -> str | None:
    """Why a history (after a correction) is inconsistent, or None: each entry must follow the ones before."""
    ordered = sorted(entries, key=lambda e: (e.starts_on, e.id or 0))
    for i, entry in enumerate(ordered):
        problem = history.problem_with(ordered[:i], entry)
        if problem:
            return problem
    return None


CORRECTABLE = (
    "status",
    "starts_on",
    "date_precision",
    "reason",
    "occupier_category",
    "occupied_by",
    "pupils_affected",
    "teachers_affected",
    "source",
)


@transaction.atomic
def correct_status_change(change: StatusChange, user: Any, reason: str) -> StatusChange:
    """Correct a wrong entry in place: the school's whole history must stay consistent (else a
    ValidationError on `starts_on` names the entry it contradicts); the previous version stays in the
    entry's history with the reason for the correction, and the audit log names the fields changed."""
    school = School.objects.select_for_update().get(pk=change.school_id)
    before = StatusChange.objects.get(pk=change.pk)
    changed = [name for name in CORRECTABLE if getattr(before, name) != getattr(change, name)]
    change.closed = closed_flag(change.status)
    others = [e for e in history_of(school) if e.id != change.pk]
    problem = check_whole_history([*others, entry_of(change)])
    if problem:
        raise ValidationError({"starts_on": problem})
    change._change_reason = reason[:100]  # simple_history keeps the previous version with this reason
    change.save()
    refresh_ends(school)
    audit.record(
        Action.CHANGE,
        user=user,
        obj=school,
        corrected="status_change",
        status_change=change.pk,
        fields=changed,
        status=change.status.code,
        starts_on=change.starts_on.isoformat(),
    )
    return change
