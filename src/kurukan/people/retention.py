"""Retention and erasure of identities (issue #15, item 3).

- `erase_identity(person)`: the person's names, phone, identity number and address are emptied in the live
  row AND in every simple_history row of the person and of the persons merged with them; the facts that
  statistics read (sex, birth year, categories, the victim rows) stay, so every figure is unchanged. The
  audit event names the person by public id and lists the fields erased — never their values.
- `plan(now)` / `apply(plan)`: the retention rules (RetentionRule, per organisation and kind) find the
  persons whose every incident is closed and older than the rule; `kurukan retention run [--dry-run]`
  (cron, like `kurukan alerts run`) lists them, then erases them.
- Legal hold: a record tied to an open judicial case is never erased. When the `kurukan.justice` app is
  installed, its hook `kurukan.justice.holds.incidents_on_hold(incident_ids) -> set[int]` says which
  incidents are held; if the app is installed without the hook, everything is held (fail closed).

Older backups still hold the erased values until they expire: docs/security.md says for how long and how
to rotate keys so that they cannot be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.merges import merged_family, root_of

from .models import Person, RetentionKind, RetentionRule

IDENTITY_FIELDS = ("given_name", "family_name", "other_names", "phone", "id_number", "address")


@transaction.atomic
def erase_identity(person: Person, user: Any = None, reason: str = "request") -> list[str]:
    """Erase the identity of the person (and of the records merged with them). Returns the public ids."""
    family = merged_family(Person, root_of(Person, person.pk))
    blank: dict[str, Any] = dict.fromkeys(IDENTITY_FIELDS, "")
    today = timezone.localdate()
    Person.objects.filter(pk__in=family).update(**blank, name_index="", identity_erased_on=today)
    Person.history.filter(id__in=family).update(**blank, identity_erased_on=today)
    public_ids = sorted(Person.objects.filter(pk__in=family).values_list("public_id", flat=True))
    for public_id in public_ids:
        audit.record(
            Action.DELETE,
            user=user,
            object_type="people.person",
            object_id=public_id,
            erased=list(IDENTITY_FIELDS),
            reason=reason,
        )
    return public_ids


def incidents_on_hold(incident_ids: set[int]) -> set[int]:
    """The documented legal-hold hook: incidents tied to an open judicial case are never erased."""
    if not incident_ids or not apps.is_installed("kurukan.justice"):
        return set()
    try:
        from kurukan.justice.holds import incidents_on_hold as hook  # type: ignore[import-not-found]
    except ImportError:
        return set(incident_ids)  # the justice app without its hook: hold everything rather than guess
    return set(hook(incident_ids))


@dataclass
class Planned:
    rule: RetentionRule
    persons: list[Person] = field(default_factory=list)
    held: int = 0  # persons kept because one of their incidents is on legal hold


def _facts_date(incident: Any) -> dt.date:
    return incident["end_date"] or incident["start_date"]


def plan(today: dt.date | None = None) -> list[Planned]:
    """What the active rules would erase today, rule by rule."""
    from kurukan.incidents.models import Incident, IncidentStatus, Source, Victim

    today = today or timezone.localdate()
    planned = []
    for rule in RetentionRule.objects.filter(active=True).select_related("organisation").order_by("pk"):
        cutoff = today.replace(year=today.year - rule.years) if rule.years else today
        link = Source if rule.kind == RetentionKind.SOURCE_IDENTITIES else Victim
        incident_path = "incident" if link is Source else "violation__incident"
        candidates = set(
            link.objects.filter(
                **{f"{incident_path}__organisation": rule.organisation, "person__isnull": False}
            )
            .filter(person__identity_erased_on__isnull=True)
            .values_list("person_id", flat=True)
        )
        if not candidates:
            planned.append(Planned(rule))
            continue
        # Every incident a candidate appears in (as victim or source) must be closed and old enough.
        appearances: dict[int, set[int]] = {}
        for pid, iid in Victim.objects.filter(person_id__in=candidates).values_list(
            "person_id", "violation__incident_id"
        ):
            appearances.setdefault(pid, set()).add(iid)
        for pid, iid in Source.objects.filter(person_id__in=candidates).values_list(
            "person_id", "incident_id"
        ):
            appearances.setdefault(pid, set()).add(iid)
        all_ids = set().union(*appearances.values())
        incidents = {
            i["id"]: i
            for i in Incident.objects.filter(pk__in=all_ids).values("id", "status", "start_date", "end_date")
        }
        held_ids = incidents_on_hold(all_ids)
        item = Planned(rule)
        expired = []
        for pid in sorted(candidates):
            ids = appearances.get(pid, set())
            if not ids or not all(
                incidents[i]["status"] == IncidentStatus.CLOSED and _facts_date(incidents[i]) <= cutoff
                for i in ids
            ):
                continue
            if ids & held_ids:
                item.held += 1
                continue
            expired.append(pid)
        item.persons = list(Person.objects.filter(pk__in=expired).order_by("public_id"))
        planned.append(item)
    return planned


def apply(planned: Iterable[Planned], user: Any = None) -> int:
    """Erase what `plan` found; returns how many persons were erased."""
    erased = 0
    for item in planned:
        for person in item.persons:
            erase_identity(person, user, reason=f"retention:{item.rule.kind}:{item.rule.years}y")
            erased += 1
    return erased


def erased_condition() -> Q:
    return Q(identity_erased_on__isnull=False)
