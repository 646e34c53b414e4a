"""Retention and erasure of identities (issue #15, item 3).

- `erase_identity(person)`: the person's names, phone, identity number and address are emptied in the live
  row AND in every simple_history row of the person and of the persons merged with them; the facts that
  statistics read (sex, birth year, categories, the victim rows) stay, so every figure is unchanged. The
  audit event names the person by public id and lists the fields erased — never their values.
- `plan(now)` / `apply(plan)`: the retention rules (RetentionRule, per organisation and kind) find the
  persons whose every incident is closed and older than the rule; `kurukan retention run [--dry-run]`
  (cron, like `kurukan alerts run`) lists them, then erases them.
- Abandoned drafts (RetentionKind.ABANDONED_DRAFTS): a draft of the organisation that nobody changed for
  the rule's years (its last change: its creation or the latest history row of the draft, its violations,
  victims, perpetrators and sources) is deleted with its history rows, and the persons who appeared only
  in it have their identity erased. A draft with evidence files (never deleted by a rule) or with records
  merged into it is kept and counted as kept; one on legal hold is counted as held. The audit event names the draft by public id only.
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
    held: int = 0  # persons (or drafts) kept because an incident is on legal hold
    drafts: list[Any] = field(default_factory=list)  # ABANDONED_DRAFTS: the incidents to delete
    kept: int = 0  # abandoned drafts kept: evidence files attached, or records merged into them


def _facts_date(incident: Any) -> dt.date:
    return incident["end_date"] or incident["start_date"]


def plan(today: dt.date | None = None) -> list[Planned]:
    """What the active rules would erase today, rule by rule."""
    from kurukan.incidents.models import Incident, IncidentStatus, Source, Victim

    today = today or timezone.localdate()
    planned = []
    for rule in RetentionRule.objects.filter(active=True).select_related("organisation").order_by("pk"):
        cutoff = _years_before(today, rule.years)
        if rule.kind == RetentionKind.ABANDONED_DRAFTS:
            planned.append(_abandoned_drafts(rule, cutoff))
            continue
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
    """Erase and delete what `plan` found; returns how many persons and drafts were erased or deleted."""
    erased = 0
    for item in planned:
        reason = f"retention:{item.rule.kind}:{item.rule.years}y"
        for person in item.persons:
            erase_identity(person, user, reason=reason)
            erased += 1
        for draft in item.drafts:
            delete_draft(draft, user, reason=reason)
            erased += 1
    return erased


def _years_before(today: dt.date, years: int) -> dt.date:
    if not years:
        return today
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _last_changes(incident_ids: set[int]) -> dict[int, dt.datetime]:
    """Each draft's last change: its creation, or the latest history row of it or of its parts."""
    from django.db.models import Max

    from kurukan.incidents.models import Incident, Perpetrator, Source, Victim, Violation

    last: dict[int, dt.datetime] = {}

    def later(incident_id: int, when: dt.datetime | None) -> None:
        if when is not None and (incident_id not in last or when > last[incident_id]):
            last[incident_id] = when

    for pk, created in Incident.objects.filter(pk__in=incident_ids).values_list("pk", "created_at"):
        later(pk, created)
    for pk, when in (
        Incident.history.filter(id__in=incident_ids).values_list("id").annotate(Max("history_date"))
    ):
        later(pk, when)
    for pk, when in (
        Source.history.filter(incident_id__in=incident_ids)
        .values_list("incident_id")
        .annotate(Max("history_date"))
    ):
        later(pk, when)
    violations = dict(Violation.objects.filter(incident_id__in=incident_ids).values_list("pk", "incident_id"))
    for pk, when in (
        Violation.history.filter(incident_id__in=incident_ids)
        .values_list("incident_id")
        .annotate(Max("history_date"))
    ):
        later(pk, when)
    for model in (Victim, Perpetrator):
        for vid, when in (
            model.history.filter(violation_id__in=violations)
            .values_list("violation_id")
            .annotate(Max("history_date"))
        ):
            if vid in violations:
                later(violations[vid], when)
    return last


def _abandoned_drafts(rule: RetentionRule, cutoff: dt.date) -> Planned:
    from kurukan.incidents.models import Incident, IncidentStatus

    item = Planned(rule)
    drafts = set(
        Incident.objects.filter(organisation=rule.organisation, status=IncidentStatus.DRAFT).values_list(
            "pk", flat=True
        )
    )
    if not drafts:
        return item
    last = _last_changes(drafts)
    abandoned = {pk for pk in drafts if pk in last and timezone.localdate(last[pk]) <= cutoff}
    held = incidents_on_hold(abandoned)
    item.held = len(held)
    kept = set(
        Incident.objects.filter(pk__in=abandoned - held)
        .filter(Q(evidence_items__isnull=False) | Q(merged_duplicates__isnull=False))
        .values_list("pk", flat=True)
    )
    item.kept = len(kept)
    item.drafts = list(Incident.objects.filter(pk__in=abandoned - held - kept).order_by("public_id"))
    return item


@transaction.atomic
def delete_draft(incident: Any, user: Any = None, reason: str = "retention") -> str:
    """Delete an abandoned draft, its parts and their history rows; erase the identity of the persons who
    appeared in it only. The audit event names the draft by public id, never its title or its people."""
    from kurukan.incidents.models import GroupVictims, Incident, Perpetrator, Source, Victim, Violation

    pk, public_id = incident.pk, incident.public_id
    violation_ids = list(Violation.objects.filter(incident_id=pk).values_list("pk", flat=True))
    persons = set(Victim.objects.filter(violation_id__in=violation_ids).values_list("person_id", flat=True))
    persons |= set(
        Perpetrator.objects.filter(violation_id__in=violation_ids, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    persons |= set(
        Source.objects.filter(incident_id=pk, person__isnull=False).values_list("person_id", flat=True)
    )
    Incident.objects.filter(pk=pk).delete()
    if apps.is_installed("kurukan.duplicates"):  # its candidate pairs hold plain ids, not foreign keys
        from kurukan.duplicates.models import CandidatePair, Kind

        CandidatePair.objects.filter(Q(left_id=pk) | Q(right_id=pk), kind=Kind.INCIDENTS).delete()
    # The deletion wrote history rows holding the last values: those go too, with every earlier one.
    Incident.history.filter(id=pk).delete()
    Violation.history.filter(incident_id=pk).delete()
    Source.history.filter(incident_id=pk).delete()
    Victim.history.filter(violation_id__in=violation_ids).delete()
    Perpetrator.history.filter(violation_id__in=violation_ids).delete()
    GroupVictims.history.filter(violation_id__in=violation_ids).delete()
    still_used = set(Victim.objects.filter(person_id__in=persons).values_list("person_id", flat=True))
    still_used |= set(Source.objects.filter(person_id__in=persons).values_list("person_id", flat=True))
    still_used |= set(Perpetrator.objects.filter(person_id__in=persons).values_list("person_id", flat=True))
    for person in Person.objects.filter(pk__in=persons - still_used, identity_erased_on__isnull=True):
        erase_identity(person, user, reason=reason)
    audit.record(
        Action.DELETE, user=user, object_type="incidents.incident", object_id=public_id, reason=reason
    )
    return public_id


def erased_condition() -> Q:
    return Q(identity_erased_on__isnull=False)
