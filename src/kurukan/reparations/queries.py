"""Reads shared by the pages, the API, the person file and the demo: always through the access helpers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kurukan.accounts import access
from kurukan.incidents.merges import merged_family, root_of
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit

from .models import Claim, Payment


@dataclass(frozen=True)
class ClaimFilters:
    status: str = ""
    region: AdminUnit | None = None
    reference: str = ""


def claims(user, filters: ClaimFilters = ClaimFilters()) -> QuerySet[Claim]:  # noqa: B008 (frozen, empty)
    # The amount paid per claim in the same query as the page: a list of 50 claims is not 50 sums.
    paid = (
        Payment.objects.filter(claim_id=OuterRef("pk"))
        .order_by()
        .values("claim_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    qs = (
        access.visible_claims(user)
        .select_related("person")
        .annotate(paid_sum=Coalesce(Subquery(paid, output_field=IntegerField()), 0))
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region is not None:
        qs = qs.filter(violations__incident__region=filters.region).distinct()
    if filters.reference:
        qs = qs.filter(reference__icontains=filters.reference.strip())
    return qs.order_by("-filed_on", "-id")


def claims_for_person(user, person: Person) -> QuerySet[Claim]:
    """The claims the user may read for this person and every record merged with them (the person file)."""
    family = merged_family(Person, root_of(Person, person.pk))
    return access.visible_claims(user).filter(person_id__in=family).order_by("filed_on", "id")


def violations_of(user, person: Person) -> QuerySet:
    """The violations this person — or any record merged with them — suffered, that the user may cite."""
    family = merged_family(Person, root_of(Person, person.pk))
    return (
        access.claimable_violations(user)
        .filter(victims__person_id__in=family)
        .distinct()
        .order_by("incident__start_date", "pk")
    )


def people_named(user, full_name: str) -> list[Person]:
    """Victims the user may file a claim for, found by their exact name through the blind index."""
    if not access.may_search_names(user) or not full_name.strip():
        return []
    index = Person.index_for(" ".join(full_name.split()))
    return list(
        Person.objects.filter(
            name_index=index, victimisations__violation__in=access.claimable_violations(user)
        )
        .distinct()
        .order_by("pk")[:50]
    )
