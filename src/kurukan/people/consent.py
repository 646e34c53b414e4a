"""Consent per person and purpose: the one place that answers "may this person's identity go there?".

Rules (GBVIMS information-sharing protocols: informed consent per purpose, nothing shared without it):
- A merged duplicate follows its surviving person: the answers of the whole merged family count, and a
  refusal or revocation anywhere in it wins over a consent given on another record of the same person.
- Sharing with a partner needs a consent naming that partner organisation; a refusal naming no partner
  refuses them all. Sharing with a UN entity (Organisation.un_entity) needs the consent to share with the
  United Nations instead; a refusal naming that entity as a partner still wins (`persons_allowing_share`).
- With no answer at all for a purpose (legacy or imported data), `settings.CONSENT_DEFAULT` decides
  ("refused" unless configured: docs/configuration.md, KURUKAN_CONSENT_DEFAULT). Storing is the exception:
  a person with no answer about storing was recorded before consent was asked and stays stored.
- Revocation changes the answer at once; the earlier answer stays in the row's history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.merges import merged_family, root_of, roots_of

from .models import Consent, ConsentMethod, ConsentPurpose, ConsentStatus, Person

REFUSING = {ConsentStatus.REFUSED, ConsentStatus.REVOKED}


def surviving(person: Person) -> Person:
    """The person a merged duplicate was folded into (itself when not merged)."""
    if person.merged_into_id is None:
        return person
    return Person.objects.get(pk=root_of(Person, person.pk))


def _family(person: Person) -> set[int]:
    return merged_family(Person, root_of(Person, person.pk))


def _matching(purpose: str, organisation: Any) -> Q:
    condition = Q(purpose=purpose)
    if purpose == ConsentPurpose.SHARE_PARTNER:
        # An answer naming no partner (a refusal asked in general) holds for every partner.
        org_id = getattr(organisation, "pk", organisation)
        condition &= Q(partner_id=org_id) | Q(partner__isnull=True)
    return condition


def default_allows(purpose: str) -> bool:
    if purpose == ConsentPurpose.STORE:
        return True
    return settings.CONSENT_DEFAULT == "given"


def allows(person: Person, purpose: str, organisation: Any = None) -> bool:
    """Whether the person (or the person they were merged into) consents to `purpose`; for sharing with a
    partner, `organisation` (an Organisation or its id) is the partner that would receive the identity."""
    if purpose == ConsentPurpose.SHARE_PARTNER and organisation is None:
        return False
    statuses = set(
        Consent.objects.filter(_matching(purpose, organisation), person_id__in=_family(person)).values_list(
            "status", flat=True
        )
    )
    if statuses & REFUSING:
        return False
    if ConsentStatus.GIVEN in statuses:
        return True
    return default_allows(purpose)


def persons_allowing(person_ids: set[int], purpose: str, organisation: Any = None) -> set[int]:
    """`allows` for many persons at once (a page, an API answer, an export): the ids whose identity may go."""
    if not person_ids or (purpose == ConsentPurpose.SHARE_PARTNER and organisation is None):
        return set()

    roots = roots_of(Person, person_ids)
    families = {root: merged_family(Person, root) for root in set(roots.values())}
    everyone = set().union(*families.values())
    by_person: dict[int, set[str]] = {}
    for pid, status in Consent.objects.filter(
        _matching(purpose, organisation), person_id__in=everyone
    ).values_list("person_id", "status"):
        by_person.setdefault(pid, set()).add(status)
    allowed = set()
    for pid in person_ids:
        statuses = set().union(*(by_person.get(member, set()) for member in families[roots[pid]]))
        if statuses & REFUSING:
            continue
        if ConsentStatus.GIVEN in statuses or (not statuses and default_allows(purpose)):
            allowed.add(pid)
    return allowed


@transaction.atomic
def record(
    person: Person,
    purpose: str,
    status: str,
    user: Any,
    *,
    partner: Any = None,
    method: str = ConsentMethod.VERBAL,
    on: dt.date | None = None,
) -> Consent:
    """Record (or change) the person's answer for a purpose; a revocation takes effect at once. The audit
    event names the person by public id and the purpose, never by name."""
    person = surviving(person)
    on = on or timezone.localdate()
    if purpose != ConsentPurpose.SHARE_PARTNER:
        partner = None
    consent = (
        Consent.objects.select_for_update().filter(person=person, purpose=purpose, partner=partner).first()
    )
    if consent is None:
        consent = Consent(person=person, purpose=purpose, partner=partner)
    consent.status = status
    consent.method = method
    consent.recorded_by = user
    if status == ConsentStatus.REVOKED:
        consent.revoked_on = on
        if consent.pk is None:
            consent.recorded_on = on
    else:
        consent.recorded_on = on
        consent.revoked_on = None
    consent.save()
    audit.record(
        Action.CHANGE,
        user=user,
        obj=person,
        consent=purpose,
        status=status,
        partner=getattr(partner, "code", "") or "",
    )
    return consent


def answers(person: Person) -> list[Consent]:
    """The person's answers, across their merged family, for the person's file."""
    return list(
        Consent.objects.filter(person_id__in=_family(person))
        .select_related("partner", "recorded_by")
        .order_by("purpose", "partner__name")
    )


def _organisation(organisation: Any):
    from kurukan.accounts.models import Organisation

    if isinstance(organisation, Organisation):
        return organisation
    return Organisation.objects.filter(pk=organisation).first()


def sharing_purpose(organisation: Any) -> str:
    """The purpose a share of identities to this organisation needs: the UN's or a named partner's."""
    found = _organisation(organisation)
    return ConsentPurpose.SHARE_UN if found is not None and found.un_entity else ConsentPurpose.SHARE_PARTNER


def persons_allowing_share(person_ids: set[int], organisation: Any) -> set[int]:
    """The persons whose identity a share may carry to `organisation` (an Organisation or its id)."""
    found = _organisation(organisation)
    if found is None or not person_ids:
        return set()
    if not found.un_entity:
        return persons_allowing(set(person_ids), ConsentPurpose.SHARE_PARTNER, found)
    # A refusal naming this UN entity as a partner wins over a consent to share with the UN in general.
    roots = roots_of(Person, set(person_ids))
    refused_here = set(
        Consent.objects.filter(
            purpose=ConsentPurpose.SHARE_PARTNER, partner=found, status__in=REFUSING
        ).values_list("person_id", flat=True)
    )
    refused_roots = set(roots_of(Person, refused_here).values()) if refused_here else set()
    allowed = persons_allowing(set(person_ids), ConsentPurpose.SHARE_UN)
    return {pid for pid in allowed if roots[pid] not in refused_roots}
