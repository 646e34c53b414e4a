"""Reads shared by the incident list page, the API and exports, so they cannot disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django import forms
from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kurukan.accounts import access
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.people.models import Person
from kurukan.places.models import AdminUnit
from kurukan.text import fold
from kurukan.vocabularies.models import Term

from . import facets, plans, search
from .forms import DateInput, MemoSelect, ReadOnceChoiceField, TermChoiceField, terms
from .models import (
    Incident,
    IncidentQuerySet,
    IncidentStatus,
    Perpetrator,
    Source,
    VerificationStatus,
    Violation,
    period_parts,
)

COUNT_CAP = 10_000  # past this a list says "more than 10 000": an exact count on a million rows costs seconds


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Texte libre"), required=False)
    date_from = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Cercle ou commune"), required=False, widget=forms.HiddenInput)
    region = ReadOnceChoiceField(
        label=_("Région"),
        queryset=AdminUnit.objects.current().regions().defer("geometry"),
        required=False,
        kept_as="regions",
    )
    violation_type = TermChoiceField(
        label=_("Type de violation"),
        queryset=terms("violation_type"),
        required=False,
        kept_as="terms:violation_type",
    )
    perpetrator_category = TermChoiceField(
        label=_("Catégorie d'auteur"),
        queryset=terms("perpetrator_category"),
        required=False,
        kept_as="terms:perpetrator_category",
    )
    verification_status = forms.ChoiceField(
        label=_("Vérification"),
        choices=[("", "—"), *VerificationStatus.choices],
        required=False,
        widget=MemoSelect,
    )
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", "—"), *IncidentStatus.choices], required=False, widget=MemoSelect
    )

    def clean_place(self) -> AdminUnit | None:
        kind, _sep, raw_pk = (self.cleaned_data.get("place") or "").partition(":")
        if not raw_pk:
            return None
        unit = (
            AdminUnit.objects.defer("geometry").filter(pk=int(raw_pk)).first()
            if raw_pk.isdigit() and kind == "unit"
            else None
        )
        if unit is None:
            raise forms.ValidationError(
                _("Ce lieu est inconnu : cherchez-le à nouveau et choisissez-le dans la liste.")
            )
        return unit

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("La fin de la période précède son début."))
        return cleaned


@dataclass
class IncidentFilters:
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: AdminUnit | None = None
    violation_type: Term | None = None
    perpetrator_category: Term | None = None
    verification_status: str = ""
    status: str = ""
    extra: dict = field(default_factory=dict)
    # The ids under a chosen term, read once per request (the page and its count ask for them several times).
    below: dict = field(default_factory=dict, repr=False, compare=False)

    def ids_below(self, name: str) -> list[int]:
        if name not in self.below:
            self.below[name] = Term.objects.below(getattr(self, name))
        return self.below[name]

    @classmethod
    def from_form(cls, form: IncidentFilterForm) -> IncidentFilters:
        if not form.is_valid():
            return cls()
        data = form.cleaned_data
        return cls(
            q=data["q"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            place=data["place"] or data["region"],
            violation_type=data["violation_type"],
            perpetrator_category=data["perpetrator_category"],
            verification_status=data["verification_status"],
            status=data["status"],
        )


# A list page shows this many rows: what the scan must find before it stops (plans.choose).
PAGE_ROWS = 25


@dataclass(frozen=True)
class _Conditions:
    """The filters' conditions on violations, with the term ids they stand for (read once per list)."""

    violation_q: Q
    perpetrators: QuerySet[Perpetrator] | None
    type_ids: list[int] | None
    category_ids: list[int] | None

    def violations(self) -> QuerySet[Violation]:
        violations = Violation.objects.filter(self.violation_q)
        if self.perpetrators is not None:
            violations = violations.filter(Exists(self.perpetrators.filter(violation=OuterRef("pk"))))
        return violations


def _with_bits(
    qs: IncidentQuerySet, filters: IncidentFilters, conditions: _Conditions
) -> tuple[IncidentQuerySet, bool]:
    """Filter on the incident's own bits (facets.py). Returns True when that alone answers exactly: one
    condition on violations. Several conditions must hold on the SAME violation, which the bits cannot say,
    so the caller keeps its subquery and the bits only skip incidents that cannot match."""
    masks = []
    if conditions.type_ids is not None:
        masks.append(("type_bits", facets.mask_for("violation_type", conditions.type_ids)))
    if conditions.category_ids is not None:
        masks.append(("perpetrator_bits", facets.mask_for("perpetrator_category", conditions.category_ids)))
    if filters.verification_status:
        masks.append(("verification_bits", facets.VERIFICATION_BITS.get(filters.verification_status)))
    for column, mask in masks:
        if mask is not None:
            qs = cast(IncidentQuerySet, facets.having_any(qs, column, mask))
    return qs, len(masks) == 1 and masks[0][1] is not None


def _violation_conditions(filters: IncidentFilters) -> _Conditions:
    violation_q = Q()
    type_ids = category_ids = None
    if filters.violation_type is not None:
        type_ids = filters.ids_below("violation_type")
        violation_q &= Q(type_id__in=type_ids)
    if filters.verification_status:
        violation_q &= Q(verification_status=filters.verification_status)
    perpetrators = None
    if filters.perpetrator_category is not None:
        category_ids = filters.ids_below("perpetrator_category")
        perpetrators = Perpetrator.objects.filter(category_id__in=category_ids)
    return _Conditions(violation_q, perpetrators, type_ids, category_ids)


def matching_violations(filters: IncidentFilters) -> QuerySet[Violation]:
    """The violations that meet the filters' conditions on violations (type, verification, perpetrator): an
    incident is listed when one of its violations does; a violation export keeps those violations only."""
    return _violation_conditions(filters).violations()


@dataclass(frozen=True)
class _Matching:
    """The same incidents written for reading a page in date order, for counting, and (when a scan along the
    date index is cheaper for counts up to `scan_counts_below`) for counting along that scan."""

    reading: IncidentQuerySet
    counting: IncidentQuerySet
    scanning: IncidentQuerySet | None = None
    scan_counts_below: int = 0
    matches: int = 0  # estimated incidents that match

    def counted(self, cap: int) -> IncidentQuerySet:
        return self.scanning if self.scanning is not None and cap < self.scan_counts_below else self.counting


def _matching(user, filters: IncidentFilters) -> _Matching:
    """Every condition but the period, which the callers apply whole or in parts."""
    qs = cast(IncidentQuerySet, access.visible_incidents(user).filter(merged_into__isnull=True))
    if filters.place is not None:
        qs = qs.in_place(filters.place)
    if filters.status:
        qs = qs.filter(status=filters.status)
    text = free_text_condition(user, filters.q, connections[qs.db].vendor) if filters.q else Q()
    # Conditions on violations are subqueries: a join would repeat incidents and need DISTINCT.
    conditions = _violation_conditions(filters)
    violation_q, perpetrators = conditions.violation_q, conditions.perpetrators
    if not violation_q and perpetrators is None:
        qs = qs.filter(text)
        return _Matching(qs, qs)
    # Two formulations of the same incidents (plans.py): collect every matching violation, or scan the
    # incidents in date order testing each one's bits (and its violations when the bits cannot say alone).
    scan, exact = _with_bits(qs, filters, conditions)
    narrowed_by_bits = scan is not qs
    if not exact:
        scan = scan.filter(Exists(conditions.violations().filter(incident=OuterRef("pk"))))
    found = plans.shape(qs.db, violation_q, perpetrators)
    if exact:
        weight = plans.SCAN_WEIGHT_BITS
    elif narrowed_by_bits:  # the bits skip incidents that cannot match before the subquery runs
        weight = plans.SCAN_WEIGHT_BITS_AND_SUBQUERY
    else:
        weight = plans.SCAN_WEIGHT_SUBQUERY
    choice = plans.choose(
        found,
        has_violation_q=bool(violation_q),
        has_perpetrators=perpetrators is not None,
        weight=weight,
        page=PAGE_ROWS,
    )
    if choice.drive_by_perpetrator and perpetrators is not None:
        collected = Violation.objects.filter(violation_q, pk__in=perpetrators.values("violation_id"))
    else:
        collected = conditions.violations()
    collect = qs.filter(pk__in=collected.values("incident_id"))
    scan, collect = scan.filter(text), collect.filter(text)
    matches = round(found.share * found.incidents)
    return _Matching(scan if choice.scan_page else collect, collect, scan, choice.scan_counts_below, matches)


def free_text_condition(user, text: str, vendor: str) -> Q:
    """What the search box finds: the identifier, words of the title or public summary, a commune, cercle
    or region by its name, and, for users who see identities, a person by their exact name.

    A restricted record's free title names villages and people, so for a user who does not see its
    identities it is searched by its public summary only (see presenters.neutral_title)."""
    words = search.text_condition(text, vendor)
    if not user.is_authenticated:
        return words
    hidden = Q(confidentiality__in=access.READ_LOGGED) & ~access.identities_condition(user)
    summary = Q()
    for word in text.split():
        summary &= Q(public_summary__icontains=word)
    condition = words & (~hidden | (summary if summary else Q(pk__in=[])))
    # The whole text as a place name (accents and case aside): "Sasalbé" finds what the list shows there.
    # Looked up first, and left out of the query when no place has that name (most searches): an OR with
    # "… or in this place" kept both databases from using their text index, and a rare word read every
    # incident (300 k: 0.77 s on PostgreSQL, 0.96 s on SQLite).
    units = list(AdminUnit.objects.filter(name_search=fold(text)).values_list("pk", flat=True))
    if units:
        condition |= Q(commune_id__in=units) | Q(cercle_id__in=units) | Q(region_id__in=units)
    return condition | _named(user, text)


def _named(user, text: str) -> Q:
    """Incidents where a person of that exact name (accents, case and spacing aside) is a victim or a
    source, among those whose identities the user sees: through the blind index, never by substring. A
    search that finds someone is audited (with the number of people found, never the name)."""
    if not access.may_search_names(user):
        return Q(pk__in=[])
    index = Person.index_for(text)
    people = (
        list(Person.objects.filter(name_index=index).values_list("pk", flat=True)[:1000]) if index else []
    )
    if not people:
        return Q(pk__in=[])
    audit.record(Action.VIEW, user=user, object_type="name_search", people=len(people))
    victims = Violation.objects.filter(victims__person__in=people).values("incident_id")
    sources = Source.objects.filter(person__in=people).values("incident_id")
    return (Q(pk__in=victims) | Q(pk__in=sources)) & access.identities_condition(user)


ORDER = ("-start_date", "-id")


def filtered_incidents(user, filters: IncidentFilters) -> QuerySet[Incident]:
    """The incidents this user may see that match the filters, latest first, as one query (API, exports)."""
    matching = _matching(user, filters)
    counting = matching.counted(matching.matches)  # every row is wanted: a count without a cap
    return counting.in_period(filters.date_from, filters.date_to).order_by(*ORDER)


@dataclass(frozen=True)
class Listing:
    """The same incidents as `filtered_incidents`, as disjoint parts in list order: every row of a part comes
    before every row of the next, so a page reads the parts one after the other and each part's query can
    use an index range (see models.period_parts). `counted` holds the same parts written for counting, and
    `scanned` (when a filter on violations gives a choice, plans.py) written along the date-ordered scan,
    which a count capped below `scan_counts_below` reads in fewer rows."""

    parts: tuple[QuerySet[Incident], ...]
    counted: tuple[QuerySet[Incident], ...]
    scanned: tuple[QuerySet[Incident], ...] = ()
    scan_counts_below: int = 0

    def counting(self, cap: int) -> tuple[QuerySet[Incident], ...]:
        return self.scanned if self.scanned and cap < self.scan_counts_below else self.counted


# Incidents begun before a period and still going on in it are few (435 for 2022 among a million): found
# first through the partial index on multi-day incidents, they are handed on as ids. Left to the planner, the
# condition "began before, ended after" looks common (start and end dates are not independent, which it
# cannot know), and it walks every earlier incident of a region hoping to meet them soon.
FEW_ONGOING = 5_000


def incident_listing(user, filters: IncidentFilters) -> Listing:
    matching = _matching(user, filters)
    within, *ongoing = period_parts(filters.date_from, filters.date_to)
    conditions = [within]
    for condition in ongoing:
        ids = list(
            Incident.objects.filter(condition).order_by().values_list("pk", flat=True)[: FEW_ONGOING + 1]
        )
        conditions.append(Q(pk__in=ids) if len(ids) <= FEW_ONGOING else condition)
    scanning = matching.scanning
    return Listing(
        tuple(matching.reading.filter(c).order_by(*ORDER) for c in conditions),
        tuple(matching.counting.filter(c).order_by() for c in conditions),
        tuple(scanning.filter(c).order_by() for c in conditions) if scanning is not None else (),
        matching.scan_counts_below,
    )


# The list page counts only this far before it answers ("plus de 200 incidents"); the exact figure, up to
# COUNT_CAP, comes in a second request the page makes as soon as it has shown the rows. Counting a rare
# combination to 1 000 first held the rows back (PostgreSQL, Mopti 2022 + JNIM + verified: about half of the
# page's time); the reader gets the rows at once and the exact figure a moment later.
PAGE_COUNT_CAP = 200


def capped_count(listing: Listing, cap: int | None = None) -> tuple[int, bool]:
    """How many incidents, counting no further than `cap`; and whether there are more."""
    total, more, _sizes = _counts(listing, COUNT_CAP if cap is None else cap)
    return total, more


def _counts(listing: Listing, cap: int) -> tuple[int, bool, list[int | None]]:
    """The capped total, and each part's size where it is known (None: more than the cap allowed to count)."""
    sizes: list[int | None] = []
    total = 0
    for part in listing.counting(cap):
        n = part[: cap + 1 - total].count()
        total += n
        if total > cap:
            sizes.append(None)
            break
        sizes.append(n)
    return min(total, cap), total > cap, sizes


def read_page(listing: Listing, offset: int, limit: int, cap: int) -> tuple[list[Incident], int, bool]:
    """One page of rows with the capped count. The count comes first: it tells which parts the page falls in,
    so empty parts and parts before the page are never read, and a page costs no more queries on more data."""
    total, more, sizes = _counts(listing, cap)
    rows: list[Incident] = []
    for i, part in enumerate(listing.parts):
        wanted = limit - len(rows)
        if wanted <= 0:
            break
        size = sizes[i] if i < len(sizes) else None
        if size is not None and offset >= size:
            offset -= size  # the page begins after this part: skip it without reading it
            continue
        found = _page_of(part, offset, wanted)
        rows += found
        if found or not offset:
            offset = 0
        else:  # a page beyond the counted rows: learn where this part ends, then go on
            offset -= listing.counting(cap)[i][:offset].count()
    return rows, total, more


# A unit's boundary (GeoJSON, kilobytes) is for maps: a list or a record needs its name only.
UNIT_GEOMETRIES = ("region__geometry", "cercle__geometry", "commune__geometry")
# What a list row never shows (presenters.list_rows): the encrypted narrative is not even decrypted.
NOT_LISTED = ("narrative", "public_summary", "external_ids", *UNIT_GEOMETRIES)
VIOLATION_NOT_LISTED = (
    "verification_note",
    "type__description_fr",
    "type__description_en",
    "type__attributes",
)


def _page_of(qs: QuerySet[Incident], offset: int, limit: int) -> list[Incident]:
    return list(
        qs.select_related("region", "cercle", "commune", "organisation")
        .defer(*NOT_LISTED)
        .prefetch_related(
            Prefetch(
                "violations",
                queryset=Violation.objects.select_related("type").defer(*VIOLATION_NOT_LISTED).order_by("id"),
            )
        )[offset : offset + limit]
    )


SAME_EVENT_DAYS = 3


def likely_duplicates(
    user, commune: AdminUnit | None, start: dt.date | None, type_ids=(), exclude_pk: int | None = None
) -> list[Incident]:
    """Incidents this user may see in the same commune within a few days (and with an overlapping
    violation type, once the new record has one): what a monitor checks before recording a second copy
    of an event already in the registry (Primero's "search first")."""
    if commune is None or start is None:
        return []
    window = dt.timedelta(days=SAME_EVENT_DAYS)
    qs = access.visible_incidents(user).filter(
        merged_into__isnull=True, commune=commune, start_date__range=(start - window, start + window)
    )
    if type_ids:
        qs = qs.filter(Exists(Violation.objects.filter(incident=OuterRef("pk"), type_id__in=list(type_ids))))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(
        qs.select_related("region", "cercle", "commune", "organisation")
        .defer(*UNIT_GEOMETRIES)
        .prefetch_related(Prefetch("violations", queryset=Violation.objects.select_related("type")))
        .order_by("start_date", "pk")[:10]
    )
