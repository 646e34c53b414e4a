"""Registering, deciding and paying a claim through the pages, and the single-compensation refusal."""

from __future__ import annotations

import pytest
from claim_builders import duplicate_report, file_claim, victim_of

from conftest import client_for, english_client_for, field_errors, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.reparations.models import Claim, ClaimStatus
from kurukan.reparations.queries import claims_for_person


@pytest.fixture
def incident(monitor):
    return make_incident(monitor)


def claim_data(violation, **overrides) -> dict:
    data = {
        "violations": [violation.pk],
        "relationship": "spouse",
        "claimant_name": "Fatoumata Maïga",
        "harm": "Perte du soutien de famille.",
        "measures_requested": ["compensation", "rehabilitation"],
        "amount_requested": "1500000",
        "filed_on": "2024-01-10",
    }
    return {**data, **overrides}


def test_a_monitor_finds_the_victim_by_name_and_registers_a_claim(monitor, incident):
    person, violation = victim_of(incident)
    client = client_for(monitor)
    found = client.get("/reparations/new/", {"name": "Amadou  Maïga"}).content.decode()
    assert person.public_id in found
    response = client.post(f"/reparations/new/?person={person.public_id}", claim_data(violation))
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reparations/{claim.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert "Fatoumata Maïga" in page and "1\u202f500\u202f000" in page and "Enregistrée" in page
    assert list(claim.violations.all()) == [violation]
    assert claim.organisation == monitor.organisation and claim.status_changes.get().status == "registered"
    event = AuditEvent.objects.get(object_id=claim.reference, action="create")
    assert "Maïga" not in str(event.details) and "Fatoumata" not in str(event.details)


def test_an_heir_needs_a_name_and_the_form_says_so(monitor, incident):
    person, violation = victim_of(incident)
    response = client_for(monitor).post(
        f"/reparations/new/?person={person.public_id}", claim_data(violation, claimant_name="")
    )
    assert response.status_code == 422
    assert field_errors(response.content, "claimant_name") == [
        "Indiquez le nom de l'ayant droit qui dépose la demande."
    ]
    assert not Claim.objects.exists()


def test_a_second_claim_for_the_same_violation_is_refused_naming_the_first(monitor, coordinator, incident):
    person, violation = victim_of(incident)
    first = file_claim(coordinator, person, [violation], status=ClaimStatus.PAID)
    response = client_for(monitor).post(f"/reparations/new/?person={person.public_id}", claim_data(violation))
    assert response.status_code == 422
    [message] = field_errors(response.content, "violations")
    assert first.reference in message and "Payée" in message and "deux fois" in message
    assert Claim.objects.count() == 1


def test_a_claim_on_the_duplicate_record_for_the_merged_violation_is_refused(monitor, coordinator, incident):
    person, violation = victim_of(incident)
    first = file_claim(coordinator, person, [violation])
    twin_person, twin_violation = duplicate_report(incident, coordinator)
    client = client_for(monitor)
    found = client.get("/reparations/new/", {"name": "Amadou Maïga"}).content.decode()
    assert twin_person.public_id in found and f"doublon fusionné dans {person.public_id}" in found
    response = client.post(
        f"/reparations/new/?person={twin_person.public_id}", claim_data(twin_violation, relationship="self",
                                                                        claimant_name="")
    )  # fmt: skip
    assert response.status_code == 422
    assert first.reference in field_errors(response.content, "violations")[0]
    # The person file sees the claim from either record.
    assert list(claims_for_person(monitor, twin_person)) == [first]


def test_a_claim_found_not_eligible_no_longer_blocks_a_new_one(monitor, coordinator, incident):
    person, violation = victim_of(incident)
    refused = file_claim(coordinator, person, [violation], status=ClaimStatus.NOT_ELIGIBLE)
    response = client_for(monitor).post(f"/reparations/new/?person={person.public_id}", claim_data(violation))
    assert response.status_code == 302
    # Reopening the refused one would now pay twice: refused, naming the new claim.
    newer = Claim.objects.exclude(pk=refused.pk).get()
    reopen = client_for(coordinator).post(
        f"/reparations/{refused.reference}/status/", {"status": "under_review", "changed_on": "2024-05-01"}
    )
    assert reopen.status_code == 422 and newer.reference in reopen.content.decode()


def test_a_coordinator_decides_pays_and_the_claim_becomes_paid(coordinator, incident):
    person, violation = victim_of(incident)
    claim = file_claim(coordinator, person, [violation])
    client = client_for(coordinator)
    refused = client.post(
        f"/reparations/{claim.reference}/status/", {"status": "granted", "changed_on": "2024-03-01"}
    )
    assert refused.status_code == 422
    assert field_errors(refused.content, "deciding_body") == ["Indiquez l'organe qui a pris la décision."]
    client.post(
        f"/reparations/{claim.reference}/status/",
        {"status": "granted", "changed_on": "2024-03-01", "deciding_body": "Commission ad hoc",
         "decided_on": "2024-03-01", "amount_granted": "800000", "measures_granted": ["compensation"]},
    )  # fmt: skip
    too_much = client.post(
        f"/reparations/{claim.reference}/payments/", {"paid_on": "2024-04-01", "amount": "900000"}
    )
    assert "il reste 800" in field_errors(too_much.content, "amount")[0]
    client.post(f"/reparations/{claim.reference}/payments/", {"paid_on": "2024-04-01", "amount": "300000"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.GRANTED
    response = client.post(
        f"/reparations/{claim.reference}/payments/", {"paid_on": "2024-05-02", "amount": "500000"},
        headers={"HX-Request": "true", "HX-Target": "decision"},
    )  # fmt: skip
    assert (
        response.status_code == 200 and 'id="claim-status" class="status">Payée<' in response.content.decode()
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.paid_total == 800_000
    assert [s.status for s in claim.status_changes.all()] == ["registered", "granted", "paid"]
    assert claim.history.count() >= 3
    events = AuditEvent.objects.filter(object_id=claim.reference).values_list("details", flat=True)
    assert sum(1 for d in events if d.get("event") == "payment") == 2
    assert sum(1 for d in events if d.get("event") == "status") == 2


def test_a_monitor_registers_but_does_not_decide(monitor, incident):
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation])
    page = client_for(monitor).get(f"/reparations/{claim.reference}/").content.decode()
    assert "status-form" not in page
    response = client_for(monitor).post(
        f"/reparations/{claim.reference}/status/", {"status": "eligible", "changed_on": "2024-03-01"}
    )
    assert response.status_code == 403


def test_amounts_are_written_for_each_language(monitor, incident):
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation], amount_requested=2_500_000)
    french = client_for(monitor).get(f"/reparations/{claim.reference}/").content.decode()
    english = english_client_for(monitor).get(f"/reparations/{claim.reference}/").content.decode()
    assert "2\u202f500\u202f000\u00a0F\u202fCFA" in french
    assert "F\u202fCFA2,500,000" in english and "Reparation claim" in english


def test_the_list_filters_by_status_and_region_and_explains_a_bad_filter(monitor, coordinator):
    mopti = make_incident(monitor)
    segou = make_incident(monitor, commune="ML040101", victim_name=("Awa", "Coulibaly"))
    paid = file_claim(coordinator, *_one(mopti), status=ClaimStatus.PAID)
    waiting = file_claim(coordinator, *_one(segou))
    client = client_for(monitor)
    by_status = client.get("/reparations/", {"status": "paid"}).content.decode()
    assert paid.reference in by_status and waiting.reference not in by_status
    region = segou.region.pk
    by_region = client.get("/reparations/", {"region": region}).content.decode()
    assert waiting.reference in by_region and paid.reference not in by_region
    bad = client.get("/reparations/", {"status": "lost"})
    assert bad.status_code == 422 and field_errors(bad.content, "status")


def _one(incident):
    person, violation = victim_of(incident)
    return person, [violation]


def test_the_list_costs_the_same_queries_for_two_claims_or_six(
    monitor, coordinator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_list() -> int:
        client = client_for(monitor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reparations/").status_code == 200
        return len(captured)

    for n in range(2):
        file_claim(
            coordinator,
            *_one(make_incident(monitor, victim_name=("Awa", f"Traoré {n}"))),
            status=ClaimStatus.PAID,
        )
    two = queries_for_list()
    for n in range(4):
        file_claim(
            coordinator,
            *_one(make_incident(monitor, victim_name=("Sali", f"Keïta {n}"))),
            status=ClaimStatus.PAID,
        )
    assert queries_for_list() == two


def test_the_refusal_and_the_figures_in_english(monitor, coordinator, incident):
    person, violation = victim_of(incident)
    first = file_claim(coordinator, person, [violation], status=ClaimStatus.PAID)
    client = english_client_for(monitor)
    response = client.post(f"/reparations/new/?person={person.public_id}", claim_data(violation))
    [message] = field_errors(response.content, "violations")
    assert message.startswith(f'Claim refused: claim {first.reference} (status "Paid"')
    figures = client.get("/reparations/figures/?by=sex").content.decode()
    assert "Victims registered" in figures and "Men and boys" in figures
