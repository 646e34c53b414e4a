"""Who may review duplicates, and which pairs and merges they may see.

A pair is shown only when the reviewer may see both of its records through `access.visible_incidents`:
an incident directly, a person through an incident in which they are a victim.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kurukan.accounts import access
from kurukan.accounts.models import Role
from kurukan.incidents.models import Victim

from .models import CandidatePair, Kind, Merge

REVIEW_ROLES = {Role.COORDINATOR, Role.ADMINISTRATOR}


def can_review_duplicates(user) -> bool:
    """Coordinators and administrators decide whether two records are one: it changes the counts."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in REVIEW_ROLES


def require_reviewer(user) -> None:
    if not can_review_duplicates(user):
        raise PermissionDenied


def visible_person_ids(user) -> QuerySet:
    return Victim.objects.filter(violation__incident__in=access.visible_incidents(user)).values("person_id")


def visible_incident_ids(user) -> QuerySet:
    return access.visible_incidents(user).values("pk")


def _visible_ids(user, kind: str) -> QuerySet:
    return visible_person_ids(user) if kind == Kind.PEOPLE else visible_incident_ids(user)


def visible_pairs(user, kind: str) -> QuerySet[CandidatePair]:
    if not can_review_duplicates(user):
        return CandidatePair.objects.none()
    ids = _visible_ids(user, kind)
    return CandidatePair.objects.filter(kind=kind, left_id__in=ids, right_id__in=ids)


def visible_merges(user, kind: str) -> QuerySet[Merge]:
    if not can_review_duplicates(user):
        return Merge.objects.none()
    ids = _visible_ids(user, kind)
    return Merge.objects.filter(kind=kind, survivor_id__in=ids, duplicate_id__in=ids)


def get_pair_for_review(user, pair_id: int) -> CandidatePair:
    require_reviewer(user)
    kind = CandidatePair.objects.filter(pk=pair_id).values_list("kind", flat=True).first()
    pair = visible_pairs(user, kind).filter(pk=pair_id).first() if kind else None
    if pair is None:
        raise Http404
    return pair


def get_merge_for_review(user, merge_id: int) -> Merge:
    require_reviewer(user)
    kind = Merge.objects.filter(pk=merge_id).values_list("kind", flat=True).first()
    merge = visible_merges(user, kind).filter(pk=merge_id).first() if kind else None
    if merge is None:
        raise Http404
    return merge


def can_merge(user, pair: CandidatePair) -> bool:
    """Merging hides a record from its organisation's lists: only that organisation decides it.

    Administrators merge anything; a coordinator merges only records that both belong to their own
    organisation (a record merely shared with them is theirs to review, not to fold into another).
    """
    from kurukan.incidents.models import Incident
    from kurukan.people.models import Person

    if user.role == Role.ADMINISTRATOR:
        return True
    model = Person if pair.kind == Kind.PEOPLE else Incident
    owners = set(
        model.objects.filter(pk__in=[pair.left_id, pair.right_id]).values_list("organisation_id", flat=True)
    )
    return owners == {user.organisation_id}
