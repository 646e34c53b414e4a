"""The claims API: the same rule, refusal and messages as the pages."""

from __future__ import annotations

import json

import pytest
from claim_builders import duplicate_report, file_claim, victim_of

from conftest import client_for, make_incident
from kurukan.reparations.models import Claim, ClaimStatus


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def incident(monitor):
    return make_incident(monitor)


def body(who, violation, **overrides) -> dict:
    return {
        "person": who.public_id,
        "violations": [violation.pk],
        "harm": "Maison détruite.",
        "measures_requested": ["restitution"],
        "amount_requested": 400000,
        "filed_on": "2024-02-01",
        **overrides,
    }


def test_register_decide_and_pay_through_the_api(coordinator, incident):
    person, violation = victim_of(incident)
    client = client_for(coordinator)
    created = post(client, "/api/reparations/claims", body(person, violation))
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    assert (
        created.json()["status_code"] == "registered"
        and created.json()["violations"][0]["id"] == violation.pk
    )
    refused = post(
        client,
        f"/api/reparations/claims/{reference}/status",
        {"status": "granted", "changed_on": "2024-03-01"},
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"deciding_body", "decided_on"}
    granted = post(
        client, f"/api/reparations/claims/{reference}/status",
        {"status": "granted", "changed_on": "2024-03-01", "deciding_body": "Commission ad hoc",
         "decided_on": "2024-03-01", "amount_granted": 400000, "measures_granted": ["restitution"]},
    )  # fmt: skip
    assert granted.status_code == 200 and granted.json()["amount_granted_xof"] == 400000
    paid = post(
        client, f"/api/reparations/claims/{reference}/payments", {"paid_on": "2024-04-01", "amount": 400000}
    )
    assert paid.status_code == 201
    assert paid.json()["status_code"] == "paid" and paid.json()["paid"] == "400\u202f000\u00a0F\u202fCFA"
    assert [s["code"] for s in paid.json()["history"]] == ["registered", "granted", "paid"]


def test_a_second_claim_is_a_422_naming_the_first_also_on_the_duplicate_record(
    monitor, coordinator, incident
):
    person, violation = victim_of(incident)
    first = file_claim(coordinator, person, [violation], status=ClaimStatus.PAID)
    twin_person, twin_violation = duplicate_report(incident, coordinator)
    client = client_for(monitor)
    for who, what in ((person, violation), (twin_person, twin_violation)):
        response = post(client, "/api/reparations/claims", body(who, what))
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "violations" and first.reference in error["message"]
    assert Claim.objects.count() == 1


def test_bad_input_names_the_field(monitor, incident, cndh_monitor):
    person, violation = victim_of(incident)
    client = client_for(monitor)
    heir = post(client, "/api/reparations/claims", body(person, violation, relationship="child"))
    assert [e["field"] for e in heir.json()["errors"]] == ["claimant_name"]
    unknown = post(client, "/api/reparations/claims", body(person, violation, person="P-ZZZZ-ZZZZ"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "person"
    # Another organisation's monitor cannot file for a victim whose identity they do not see.
    other = post(client_for(cndh_monitor), "/api/reparations/claims", body(person, violation))
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "person"
    stranger = make_incident(monitor, victim_name=("Oumou", "Diallo"))
    _, other_violation = victim_of(stranger)
    wrong = post(client, "/api/reparations/claims", body(person, other_violation))
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "violations"


def test_figures_over_the_api(monitor, coordinator, analyst, incident):
    person, violation = victim_of(incident)
    file_claim(coordinator, person, [violation], status=ClaimStatus.PAID)
    for user in (monitor, analyst):
        figures = client_for(user).get("/api/reparations/figures?by=sex").json()
        assert figures["total"] == {"registered": 1, "eligible": 1, "paid": 1}
        assert figures["rows"] == [{"sex": "male", "region": None, "violation_type": None,
                                    "registered": 1, "eligible": 1, "paid": 1}]  # fmt: skip
