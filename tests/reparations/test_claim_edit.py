"""Correcting a claim (its details; its decision for those who decide) in the page and over the API, keeping
the previous values in its history; status moves that make no sense are refused with the reason."""

from __future__ import annotations

import html

import pytest
from claim_builders import file_claim, victim_of

from conftest import client_for, field_errors, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.reparations.models import ClaimStatus


@pytest.fixture
def incident(monitor):
    return make_incident(monitor)


def text(response) -> str:
    return html.unescape(response.content.decode())


def edit_data(claim, **overrides) -> dict:
    data = {
        "relationship": claim.relationship,
        "claimant_name": claim.claimant_name,
        "harm": claim.harm,
        "measures_requested": claim.measures_requested,
        "amount_requested": claim.amount_requested or "",
        "filed_on": claim.filed_on.isoformat(),
    }
    return {**data, **overrides}


def test_a_monitor_corrects_the_details_and_the_history_keeps_the_old_values(monitor, incident):
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation])
    client = client_for(monitor)
    url = f"/reparations/{claim.reference}/edit/"
    form = text(client.get(url))
    assert 'name="harm"' in form and 'name="amount_granted"' not in form  # the decision is not theirs
    response = client.post(url, edit_data(claim, amount_requested="2000000", harm="Perte du logement."))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.amount_requested == 2_000_000 and claim.harm == "Perte du logement."
    old = claim.history.order_by("history_date")
    assert old.first().amount_requested == 1_500_000 and old.last().amount_requested == 2_000_000
    event = AuditEvent.objects.filter(object_id=claim.reference, details__event="details").get()
    assert event.details["fields"] == ["amount_requested", "harm"]
    assert "logement" not in str(event.details)  # the harm described never reaches the log


def test_errors_show_on_their_field(monitor, incident):
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation])
    client = client_for(monitor)
    url = f"/reparations/{claim.reference}/edit/"
    heir = client.post(url, edit_data(claim, relationship="child", claimant_name=""))
    assert heir.status_code == 422
    assert field_errors(heir.content, "claimant_name") == [
        "Indiquez le nom de l'ayant droit qui dépose la demande."
    ]
    none = client.post(url, edit_data(claim, measures_requested=[]))
    assert field_errors(none.content, "measures_requested") == ["Cochez au moins une mesure demandée."]


def test_a_coordinator_corrects_the_decision_but_not_below_what_was_paid(coordinator, incident):
    person, violation = victim_of(incident)
    claim = file_claim(coordinator, person, [violation], status=ClaimStatus.PAID, paid=800_000)
    client = client_for(coordinator)
    url = f"/reparations/{claim.reference}/edit/"
    data = edit_data(claim, measures_granted=["compensation", "rehabilitation"], deciding_body="Commission ad hoc",
                     decided_on="2024-03-01", amount_granted="500000")  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "inférieur au total déjà payé" in " ".join(field_errors(refused.content, "amount_granted"))
    ok = client.post(url, {**data, "amount_granted": "900000"})
    assert ok.status_code == 302
    claim.refresh_from_db()
    assert claim.amount_granted == 900_000 and claim.measures_granted == ["compensation", "rehabilitation"]


def test_status_moves_that_make_no_sense_are_refused_on_screen(coordinator, incident):
    person, violation = victim_of(incident)
    paid = file_claim(coordinator, person, [violation], status=ClaimStatus.PAID)
    client = client_for(coordinator)
    back = client.post(
        f"/reparations/{paid.reference}/status/", {"status": "under_review", "changed_on": "2024-05-01"}
    )
    assert back.status_code == 422
    assert field_errors(back.content, "status") == ["Cette demande est payée : son statut ne change plus."]
    other = make_incident(coordinator, victim_name=("Oumou", "Diallo"))
    other_person, other_violation = victim_of(other)
    fresh = file_claim(coordinator, other_person, [other_violation], status=ClaimStatus.UNDER_REVIEW)
    again = client.post(
        f"/reparations/{fresh.reference}/status/", {"status": "registered", "changed_on": "2024-05-01"}
    )
    assert "n'est enregistrée qu'une fois" in " ".join(field_errors(again.content, "status"))
    fresh.refresh_from_db()
    assert fresh.status == ClaimStatus.UNDER_REVIEW


def test_the_api_corrects_a_claim_with_the_same_rules(monitor, coordinator, incident, analyst):
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation])
    url = f"/api/reparations/claims/{claim.reference}"
    client = client_for(monitor)
    ok = client.patch(url, {"amount_requested": 1_750_000}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["amount_requested"] == "1\u202f750\u202f000\u00a0F\u202fCFA"
    decision = {"amount_granted": 1_000_000, "deciding_body": "Commission ad hoc"}
    assert client.patch(url, decision, content_type="application/json").status_code == 403
    decided = client_for(coordinator).patch(url, decision, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["amount_granted_xof"] == 1_000_000
    empty = client.patch(url, {"harm": None}, content_type="application/json")
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "harm"
    assert client_for(analyst).patch(url, {"harm": "x"}, content_type="application/json").status_code == 404
    claim.refresh_from_db()
    assert claim.history.count() >= 3
