"""One team's estimate: the lists are kinds of sources (issue #16, item 8), counted by hand.

Every incident belongs to the analyst's own organisation; a victim is on the list of each kind of source
their incident has. 45 victims in the same overlaps as the organisations' test (estimate_builders).
"""

from __future__ import annotations

import datetime as dt

import pytest
from estimate_builders import IMMEDIATE, form_data

from conftest import assert_no_stack_trace, client_for, field_errors, term, unit
from kurukan.estimates.models import EstimateRun
from kurukan.incidents.models import Incident, IncidentStatus, Source, Victim, Violation
from kurukan.people.models import Person

pytestmark = pytest.mark.django_db

KINDS = ("media", "ngo", "witness")
BY_KIND = {
    frozenset({"witness"}): 12,
    frozenset({"media"}): 10,
    frozenset({"ngo"}): 9,
    frozenset({"witness", "media"}): 5,
    frozenset({"witness", "ngo"}): 4,
    frozenset({"media", "ngo"}): 3,
    frozenset({"witness", "media", "ngo"}): 2,
}


@pytest.fixture
def one_team(monitor, settings):
    """One incident per pattern of kinds, with one source of each kind and its victims."""
    settings.TASKS = IMMEDIATE
    place = unit("ML050301")
    for i, (kinds, n) in enumerate(BY_KIND.items()):
        incident = Incident.objects.create(
            title=f"Incident {i}",
            start_date=dt.date(2022, 3, 1 + i),
            commune=place,
            cercle=place.parent,
            region=place.region,
            status=IncidentStatus.SUBMITTED,
            organisation=monitor.organisation,
            created_by=monitor,
        )
        for kind in sorted(kinds):
            Source.objects.create(incident=incident, kind=term("source_kind", kind), language="fr")
        violation = Violation.objects.create(
            incident=incident, type=term("violation_type", "life.summary_execution")
        )
        for _ in range(n):
            person = Person.objects.create(organisation=monitor.organisation, created_by=monitor)
            Victim.objects.create(violation=violation, person=person)
    # A source of a kind not chosen adds no list, and an incident with only such sources is not read.
    other = Incident.objects.get(title="Incident 0")
    Source.objects.create(incident=other, kind=term("source_kind", "relative"), language="fr")


def _kinds(*codes: str) -> list[str]:
    return [str(term("source_kind", code).pk) for code in codes]


def test_a_single_team_estimates_from_its_kinds_of_sources(one_team, analyst):
    response = client_for(analyst).post(
        "/estimates/",
        form_data(lists_by="source_kinds", organisations=[], source_kinds=_kinds(*KINDS)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = EstimateRun.objects.get()
    assert run.status == "done", run.error
    assert run.result["lists"] == list(KINDS)
    table = {frozenset(k for k in KINDS if row[k]): row["count"] for row in run.result["strata"][0]["table"]}
    assert table == BY_KIND
    assert run.result["strata"][0]["on_each_list"] == {"witness": 23, "media": 20, "ngo": 18}
    page = client_for(analyst).get(f"/estimates/{run.pk}/").content.decode()
    assert "Sources : Témoin" in page and "Sources : Médias" in page


def test_fewer_than_three_kinds_is_refused_on_the_kinds_field(one_team, analyst):
    response = client_for(analyst).post(
        "/estimates/",
        form_data(lists_by="source_kinds", organisations=[], source_kinds=_kinds("media", "ngo")),
    )
    assert response.status_code == 422
    assert_no_stack_trace(response)
    errors = field_errors(response.content, "source_kinds")
    assert errors and errors[0].startswith("Choisissez au moins trois listes")
    assert not EstimateRun.objects.exists()


def test_the_page_explains_which_lists_suit_what(analyst):
    page = client_for(analyst).get("/estimates/").content.decode()
    assert "des types de sources" in page
    assert "quand une seule équipe documente" in page
