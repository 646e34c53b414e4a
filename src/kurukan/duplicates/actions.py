"""Reviewers' decisions on candidate pairs: confirm (merge), reject, defer, undo. Each in a transaction, each
audited (ids only: public ids of the records, pair and merge numbers — never a name).

A merge deletes nothing. The duplicate keeps its sources, violations and victims and points at the
survivor through `merged_into`; lists hide it, and the survivor's victim count takes it in.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.actions import recount_after_merge
from kurukan.incidents.merges import merged_family, root_of, roots_of
from kurukan.incidents.models import Incident, Victim
from kurukan.people.models import Person
from kurukan.statistics import aggregates

from .models import CandidatePair, Decision, Kind, Merge


def model_for(kind: str) -> type[Person] | type[Incident]:
    return Person if kind == Kind.PEOPLE else Incident


def _recount_incidents_of_people(person_ids: set[int]) -> None:
    """After a person merge or its undo: recount the root incident of every incident naming them."""
    incident_ids = set(
        Victim.objects.filter(person_id__in=person_ids).values_list("violation__incident_id", flat=True)
    )
    for root_id in sorted(set(roots_of(Incident, incident_ids).values())):
        recount_after_merge(Incident.objects.get(pk=root_id))


def _recount(kind: str, record_ids: set[int]) -> None:
    if kind == Kind.PEOPLE:
        # Every person of both merge trees: a record merged earlier into either one changes root too.
        people: set[int] = set()
        for root_id in set(roots_of(Person, record_ids).values()):
            people |= merged_family(Person, root_id)
        _recount_incidents_of_people(people)
        aggregates.refresh_people(people)  # their victims' roots changed (the triggers marked them)
        return
    for root_id in sorted(set(roots_of(Incident, record_ids).values())):
        recount_after_merge(Incident.objects.get(pk=root_id))


def _older(model, a: int, b: int) -> tuple[int, int]:
    """(survivor, duplicate): the record created first survives; equal times fall back to the lower id."""
    first, second = (
        model.objects.filter(pk__in=[a, b]).order_by("created_at", "pk").values_list("pk", flat=True)
    )
    return first, second


def _public_ids(model, *pks: int) -> list[str]:
    found = dict(model.objects.filter(pk__in=pks).values_list("pk", "public_id"))
    return [found[pk] for pk in pks]


def _decide(pair: CandidatePair, user: Any, decision: str) -> None:
    pair.decision = decision
    pair.decided_by = user
    pair.decided_at = timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])


def _check_open(pair: CandidatePair) -> None:
    if pair.decision not in {Decision.PENDING, Decision.DEFERRED}:
        raise ValidationError(_("Cette paire a déjà été tranchée : rechargez la page."))


@transaction.atomic
def confirm_pair(pair: CandidatePair, user: Any) -> Merge | None:
    """Merge the two records: the younger root points at the older. Returns None when they already are one."""
    pair = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    _check_open(pair)
    model = model_for(pair.kind)
    left_root, right_root = root_of(model, pair.left_id), root_of(model, pair.right_id)
    _decide(pair, user, Decision.CONFIRMED)
    if left_root == right_root:
        audit.record(
            Action.MERGE, user=user, object_type=model._meta.label_lower,
            object_id=_public_ids(model, pair.right_id)[0], event="confirm", pair=pair.pk, already_merged=True,
        )  # fmt: skip
        return None
    survivor, duplicate = _older(model, left_root, right_root)
    model.objects.filter(pk=duplicate).update(merged_into_id=survivor)
    merge = Merge.objects.create(
        kind=pair.kind, pair=pair, survivor_id=survivor, duplicate_id=duplicate, merged_by=user,
        merged_at=timezone.now(),
    )  # fmt: skip
    survivor_pid, duplicate_pid = _public_ids(model, survivor, duplicate)
    audit.record(
        Action.MERGE, user=user, object_type=model._meta.label_lower, object_id=duplicate_pid,
        event="confirm", pair=pair.pk, merge=merge.pk, survivor=survivor_pid, duplicate=duplicate_pid,
    )  # fmt: skip
    _recount(pair.kind, {survivor, duplicate})
    return merge


@transaction.atomic
def reject_pair(pair: CandidatePair, user: Any) -> None:
    _close(pair, user, Decision.REJECTED, "reject")


@transaction.atomic
def defer_pair(pair: CandidatePair, user: Any) -> None:
    _close(pair, user, Decision.DEFERRED, "defer")


def _close(pair: CandidatePair, user: Any, decision: str, event: str) -> None:
    pair = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    _check_open(pair)
    _decide(pair, user, decision)
    model = model_for(pair.kind)
    left, right = _public_ids(model, pair.left_id, pair.right_id)
    audit.record(
        Action.MERGE, user=user, object_type=model._meta.label_lower, object_id=right,
        event=event, pair=pair.pk, left=left, right=right,
    )  # fmt: skip


@transaction.atomic
def undo_merge(merge: Merge, user: Any) -> None:
    """Split the duplicate off again; its pair goes back to the queue, pending."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if not merge.active:
        raise ValidationError(_("Cette fusion a déjà été annulée."))
    model = model_for(merge.kind)
    model.objects.filter(pk=merge.duplicate_id, merged_into_id=merge.survivor_id).update(merged_into_id=None)
    merge.undone_by = user
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    CandidatePair.objects.filter(pk=merge.pair_id).update(
        decision=Decision.PENDING, decided_by=None, decided_at=None
    )
    survivor_pid, duplicate_pid = _public_ids(model, merge.survivor_id, merge.duplicate_id)
    audit.record(
        Action.MERGE, user=user, object_type=model._meta.label_lower, object_id=duplicate_pid,
        event="undo", pair=merge.pair_id, merge=merge.pk, survivor=survivor_pid, duplicate=duplicate_pid,
    )  # fmt: skip
    _recount(merge.kind, {merge.survivor_id, merge.duplicate_id})
