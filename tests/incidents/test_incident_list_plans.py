"""The list chooses how to find incidents by their violations from the data's shape (incidents/plans.py).

The choice only changes speed: the other tests of the list (test_incident_facet_bits.py forces each plan)
check that both plans give the same rows. Here: the choice follows the figures, worked out by hand.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from conftest import client_for, make_incident, term
from kurukan.incidents import plans, queries
from kurukan.incidents.models import Perpetrator, Violation


def _shape(incidents: int, matching: int, violations: int | None = None) -> plans.Shape:
    violations = violations or incidents * 3 // 2
    return plans.Shape(incidents, violations, matching, matching, matching)


def _choose(found: plans.Shape, weight: float = plans.SCAN_WEIGHT_BITS) -> plans.Choice:
    return plans.choose(found, has_violation_q=False, has_perpetrators=True, weight=weight, page=25)


def test_the_same_number_of_matches_is_common_in_a_small_registry_and_rare_in_a_large_one():
    # 2,000 matches among 10,000 incidents: one in five, a page of 25 after ≈ 125 rows of the date scan,
    # against 2,000 rows to collect; among a million: one in 500, ≈ 12,500 rows of scan for a page.
    small, large = _choose(_shape(10_000, 2_000)), _choose(_shape(1_000_000, 2_000))
    assert small.scan_page and not large.scan_page
    # Counting: the scan reads 5 rows per incident kept, so it counts cheaper up to 2,000 ÷ 5 = 400.
    assert small.scan_counts_below == 400
    assert large.scan_counts_below == 4  # 2,000 ÷ 500


def test_the_perpetrator_filter_at_73_thousand_incidents_reads_its_page_along_the_dates():
    # Issue #18: 26,213 JNIM perpetrators among 73,496 incidents (≈ 110 k violations) were collected and
    # sorted whole for a page of 25 (under a fixed threshold of 50,000): 147–166 ms p95. About a third of the
    # incidents match, so the scan finds a page within ≈ 70 rows and counts to 200 within ≈ 600.
    choice = _choose(_shape(73_496, 26_213, violations=110_000), plans.SCAN_WEIGHT_BITS_AND_SUBQUERY)
    assert choice.scan_page
    assert choice.scan_counts_below > queries.PAGE_COUNT_CAP
    assert choice.scan_counts_below < queries.COUNT_CAP  # the exact count (to 10,000) collects instead


def test_the_collecting_side_is_the_rarer_condition():
    found = plans.Shape(1_000_000, 1_500_000, matching=900, by_violation=600_000, by_perpetrator=3_000)
    choice = plans.choose(found, has_violation_q=True, has_perpetrators=True, weight=1.5, page=25)
    assert choice.drive_by_perpetrator
    assert not choice.scan_page  # 900 matches among a million: collecting 3,000 perpetrators is cheaper


def test_the_sample_spreads_over_every_part_of_the_table():
    condition = plans._sample_condition(16_000)
    ranges = [child[1] for child in condition.children]
    assert len(ranges) == plans.SAMPLE_RANGES
    assert sum(high - low + 1 for low, high in ranges) == plans.SAMPLE
    assert ranges[0][0] >= 1 and ranges[-1][1] <= 16_000
    assert ranges[-1][0] > 14_000  # the latest records are sampled too
    assert plans._sample_condition(plans.SAMPLE) == Q()  # a small table is read whole


def test_the_shape_counts_a_small_table_exactly(monitor):
    for n in range(10):
        category = "nonstate.jnim" if n < 4 else "state.fdsm"
        make_incident(monitor, title=f"I{n}", actor_category=category)
    jnim = Perpetrator.objects.filter(category=term("perpetrator_category", "nonstate.jnim"))
    found = plans.shape("default", Q(), jnim)
    top = Violation.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert found.matching == 4 * top / Violation.objects.count()  # every violation is in the "sample"
    assert found.share == min(1.0, found.matching / found.incidents)


def _titles(client, query: dict) -> list[str]:
    response = client.get(reverse("incidents:list"), query)
    assert response.status_code == 200
    return [row["title"] for row in response.context["rows"]]


def test_the_list_takes_the_plan_the_shape_calls_for_and_shows_the_same_rows(monitor):
    """A perpetrator on almost every incident is read along the dates with the bits; a type on one incident
    is collected from the violations. Each page shows what the filter means, whichever plan ran."""
    for n in range(30):
        make_incident(
            monitor,
            title=f"I{n:02}",
            actor_category="nonstate.jnim" if n else "state.fdsm",
            violation_type="liberty.abduction" if n == 7 else "life.summary_execution",
        )
    jnim = term("perpetrator_category", "nonstate.jnim")
    abduction = term("violation_type", "liberty.abduction")
    common = queries.incident_listing(monitor, queries.IncidentFilters(perpetrator_category=jnim))
    rare = queries.incident_listing(monitor, queries.IncidentFilters(violation_type=abduction))
    common_where, rare_where = (str(x.parts[0].query).split(" WHERE ", 1)[1] for x in (common, rare))
    assert "perpetrator_bits" in common_where and "incidents_violation" not in common_where
    assert "type_bits" not in rare_where and "incidents_violation" in rare_where

    client = client_for(monitor)
    by_perpetrator = _titles(client, {"perpetrator_category": jnim.pk})
    assert len(by_perpetrator) == 25 and "I00" not in by_perpetrator
    assert _titles(client, {"violation_type": abduction.pk}) == ["I07"]
