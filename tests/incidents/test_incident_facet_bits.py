"""The list's bit filters (facets.py) find exactly what the subqueries find, for every kind of filter."""

from __future__ import annotations

import itertools

import pytest

from conftest import make_incident, term
from kurukan.accounts.models import Role
from kurukan.incidents import actions, plans, queries
from kurukan.incidents.models import Perpetrator, VerificationStatus, Violation

TYPES = ["life.summary_execution", "liberty.abduction", "sexual.rape"]
CATEGORIES = ["nonstate.jnim", "state.fdsm", "nonstate.unidentified"]


@pytest.fixture
def varied(monitor, coordinator):
    for n, (vtype, category) in enumerate(itertools.product(TYPES, CATEGORIES)):
        incident = make_incident(monitor, violation_type=vtype, actor_category=category, title=f"I{n}")
        if n % 2:
            violation = Violation.objects.create(
                incident=incident, type=term("violation_type", "integrity.torture")
            )
            Perpetrator.objects.create(
                violation=violation, category=term("perpetrator_category", "state.fdsm")
            )
            actions.refresh_counts(incident)
        if n % 3 == 0:
            actions.verify_violation(
                incident.violations.order_by("id").first(),
                coordinator,
                VerificationStatus.VERIFIED,
                term("standard_of_proof", "reasonable_grounds"),
                "",
            )
    return monitor


FILTERS = [
    {"violation_type": ("violation_type", "liberty.abduction")},
    {"violation_type": ("violation_type", "life")},  # a group covers its children
    {"perpetrator_category": ("perpetrator_category", "state")},
    {"perpetrator_category": ("perpetrator_category", "nonstate.jnim")},
    {"verification_status": VerificationStatus.VERIFIED},
    {"verification_status": VerificationStatus.REPORTED},
    {
        "violation_type": ("violation_type", "sexual.rape"),
        "perpetrator_category": ("perpetrator_category", "state.fdsm"),
    },
    {"violation_type": ("violation_type", "life"), "verification_status": VerificationStatus.VERIFIED},
]


def _filters(spec: dict) -> queries.IncidentFilters:
    values = {k: term(*v) if isinstance(v, tuple) else v for k, v in spec.items()}
    return queries.IncidentFilters(**values)


def _force(monkeypatch, *, scan_page: bool, scan_counts: bool, by_perpetrator: bool = False) -> None:
    """Make the list take one plan whatever the data's shape (plans.choose decides it otherwise)."""
    choice = plans.Choice(by_perpetrator, scan_page, 10**9 if scan_counts else 0)
    monkeypatch.setattr(plans, "choose", lambda *args, **kwargs: choice)


@pytest.mark.parametrize("by_perpetrator", [False, True])
@pytest.mark.parametrize("spec", FILTERS)
def test_bits_and_subqueries_agree(varied, spec, by_perpetrator, monkeypatch):
    filters = _filters(spec)
    _force(monkeypatch, scan_page=False, scan_counts=False, by_perpetrator=by_perpetrator)
    by_subquery = set(queries.filtered_incidents(varied, filters).values_list("title", flat=True))
    _force(monkeypatch, scan_page=True, scan_counts=True)
    by_bits = set(queries.filtered_incidents(varied, filters).values_list("title", flat=True))
    assert by_bits == by_subquery
    assert by_subquery, "each filter matches something in this set"


@pytest.mark.parametrize("scan_page,scan_counts", [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize("spec", FILTERS)
def test_a_page_read_through_bits_is_the_counted_list(varied, spec, scan_page, scan_counts, monkeypatch):
    """A page may be read along the date index with the bits and counted from the violations' side, or the
    other way round: every mix must give the same incidents in the same order, on every page."""
    filters = _filters(spec)
    _force(monkeypatch, scan_page=False, scan_counts=False)
    expected = list(queries.filtered_incidents(varied, filters).values_list("title", flat=True))
    _force(monkeypatch, scan_page=scan_page, scan_counts=scan_counts)
    listing = queries.incident_listing(varied, filters)
    seen = []
    for offset in range(0, len(expected) + 2, 2):
        rows, total, _more = queries.read_page(listing, offset, 2, 1000)
        assert total == len(expected)
        seen += [row.title for row in rows]
    assert seen == expected


def test_bits_follow_changes_to_violations(monitor, coordinator, monkeypatch):
    _force(monkeypatch, scan_page=True, scan_counts=True)
    incident = make_incident(monitor, violation_type="life.summary_execution")
    rape = queries.IncidentFilters(violation_type=term("violation_type", "sexual.rape"))
    assert not queries.filtered_incidents(monitor, rape).exists()
    violation = actions.add_violation(
        incident, monitor, Violation(type=term("violation_type", "sexual.rape")), []
    )
    assert queries.filtered_incidents(monitor, rape).exists()
    actions.remove_violation(violation, monitor)
    assert not queries.filtered_incidents(monitor, rape).exists()
    assert coordinator.role == Role.COORDINATOR


def test_the_loader_writes_the_bits_the_violations_give(db, monkeypatch):
    """Bulk-loaded incidents carry their bits from the start (no backfill pass), the same as recomputed."""
    from kurukan.incidents import facets
    from kurukan.incidents.models import Incident
    from kurukan.incidents.synthetic_loader import load_synthetic

    monkeypatch.setattr(facets, "backfill", lambda **kwargs: 0)  # what the loader wrote, nothing after
    load_synthetic(60, seed=5, batch_size=25)
    stored = {
        pk: (t, p, v)
        for pk, t, p, v in Incident.objects.values_list(
            "pk", "type_bits", "perpetrator_bits", "verification_bits"
        )
    }
    assert len(stored) > 60 and any(bits[1] for bits in stored.values())
    assert stored == facets._compute(list(stored))
