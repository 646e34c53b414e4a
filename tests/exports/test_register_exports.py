"""Exports of the registers (judicial cases, interventions, reparation claims) through the lists' machinery:
the list's rows for this user, formula cells neutralised, claims (which name victims) only with a reason,
every export audited with its filters and row count — by the page, the API and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for, make_incident, make_user, term
from kurukan.accounts.models import Confidentiality, Role
from kurukan.audit.models import Action, AuditEvent
from kurukan.incidents.models import VerificationStatus
from kurukan.justice import actions as justice
from kurukan.justice.models import Intervention, JudicialCase, Stage
from kurukan.recommendations.models import Institution
from kurukan.reparations import actions as reparations
from kurukan.reparations.models import Claim, Payment

REASON = "Rapprochement des paiements de la commission"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def verified(user, **kwargs):
    incident = make_incident(user, **kwargs)
    violation = incident.violations.get()
    violation.verification_status = VerificationStatus.VERIFIED
    violation.save()
    return violation


@pytest.fixture
def registers(monitor, coordinator, cndh_monitor):
    internal = verified(monitor)
    restricted = verified(
        monitor, confidentiality=Confidentiality.RESTRICTED, victim_name=("Oumou", "Diallo")
    )
    judged = justice.open_case(
        JudicialCase(title='=HYPERLINK("http://x")', jurisdiction=term("jurisdiction", "ordinary")),
        [internal], monitor,
    )  # fmt: skip
    for kind, on, outcome in (("complaint", "2022-04-01", ""), ("judgment", "2023-05-02", "conviction")):
        justice.add_stage(judged, Stage(kind=kind, on=dt.date.fromisoformat(on), outcome=outcome), monitor)
    secret = justice.open_case(
        JudicialCase(title="Affaire restreinte", jurisdiction=term("jurisdiction", "military")),
        [restricted], monitor,
    )  # fmt: skip
    theirs = justice.open_case(
        JudicialCase(title="Affaire de la CNDH", jurisdiction=term("jurisdiction", "ordinary")),
        [verified(cndh_monitor)], cndh_monitor,
    )  # fmt: skip
    office = Institution.objects.create(code="procureur", name_fr="Procureur de la République")
    late = justice.record_intervention(
        Intervention(kind="letter", institution=office, sent_on=dt.date(2024, 1, 5), request="Enquêter",
                     deadline=dt.date(2024, 2, 5)),
        [internal], [], monitor,
    )  # fmt: skip
    person = internal.victims.get().person
    claim = reparations.register_claim(
        Claim(person=person, harm="Perte du soutien de famille.", measures_requested=["compensation"],
              amount_requested=1_500_000, filed_on=dt.date(2024, 1, 10)),
        [internal], monitor,
    )  # fmt: skip
    reparations.change_status(
        claim, coordinator, status="granted", changed_on=dt.date(2024, 3, 1), deciding_body="Commission ad hoc",
        decided_on=dt.date(2024, 3, 1), amount_granted=1_000_000, measures_granted=["compensation"],
    )  # fmt: skip
    reparations.record_payment(claim, coordinator, Payment(paid_on=dt.date(2024, 4, 2), amount=400_000))
    return {"judged": judged, "secret": secret, "theirs": theirs, "late": late, "claim": claim}


@pytest.fixture
def viewer(ohchr):
    return make_user("awa.viewer", Role.VIEWER, ohchr)


def test_the_cases_export_has_the_list_rows_with_stages_and_neutralised_formulas(monitor, viewer, registers):
    response = client_for(monitor).get(reverse("exports:cases"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = {r["case_id"]: r for r in read_csv(body(response))}
    assert set(rows) == {registers["judged"].public_id, registers["secret"].public_id}
    judged = rows[registers["judged"].public_id]
    assert judged["title"] == '\'=HYPERLINK("http://x")'
    assert (judged["current_stage"], judged["first_act_on"], judged["judgment_on"], judged["outcome"]) == (
        "judgment", "2022-04-01", "2023-05-02", "conviction",
    )  # fmt: skip
    assert judged["region_pcodes"] == "ML05" and judged["violation_types"] == "life.summary_execution"
    # A viewer sees neither the restricted case nor another organisation's.
    seen = read_csv(body(client_for(viewer).get(reverse("exports:cases"), {"format": "csv"})))
    assert [r["case_id"] for r in seen] == [registers["judged"].public_id]


def test_the_cases_export_repeats_the_list_filters_and_is_audited(monitor, registers):
    client = client_for(monitor)
    sheet = load_workbook(
        io.BytesIO(body(client.get(reverse("exports:cases"), {"format": "xlsx", "stage": "judgment"}))),
        read_only=True,
    ).active
    values = list(sheet.values)
    assert len(values) == 2 and values[1][0] == registers["judged"].public_id
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.details["level"] == "cases" and event.details["rows"] == 1
    assert event.details["filters"] == {"stage": "judgment"} and event.details["complete"] is True
    bad = client.get(reverse("exports:cases"), {"format": "csv", "stage": "lunar"})
    assert bad.status_code == 200 and '<p class="error"' in bad.content.decode()  # shown, not ignored


def test_the_interventions_export_says_which_are_overdue(monitor, registers):
    rows = json.loads(
        body(client_for(monitor).get(reverse("exports:interventions"), {"format": "json", "overdue": "1"}))
    )
    assert [r["intervention_id"] for r in rows] == [registers["late"].public_id]
    assert rows[0]["overdue"] is True and rows[0]["days_late"] > 0 and rows[0]["institution"] == "procureur"
    assert "request" not in rows[0]  # what was asked may name people: not exported


def test_the_claims_export_names_victims_only_with_a_reason(monitor, analyst, registers):
    client = client_for(monitor)
    form = client.get(reverse("exports:claims"))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    refused = client.post(reverse("exports:claims"), {"format": "csv", "reason": "test"})
    assert "indiquez pourquoi vous en avez besoin" in html.unescape(refused.content.decode())
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    response = client.post(reverse("exports:claims"), {"format": "csv", "reason": REASON})
    [row] = read_csv(body(response))
    assert row["reference"] == registers["claim"].reference
    assert (row["given_name"], row["family_name"]) == ("Amadou", "Maïga")
    assert (row["amount_granted_xof"], row["amount_paid_xof"], row["status"]) == (
        "1000000",
        "400000",
        "granted",
    )
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.details["reason"] == REASON and event.details["rows"] == 1
    assert client_for(analyst).get(reverse("exports:claims")).status_code == 403
    assert client_for(analyst).get(reverse("api:export_claims"), {"reason": REASON}).status_code == 403


def test_the_lists_offer_the_exports_with_their_filters(monitor, registers):
    client = client_for(monitor)
    cases = client.get(reverse("justice:case_list"), {"jurisdiction": "ordinary"}).content.decode()
    assert f"{reverse('exports:cases')}?format=csv&amp;jurisdiction=ordinary" in cases
    interventions = client.get(reverse("justice:intervention_list"), {"overdue": "1"}).content.decode()
    assert f"{reverse('exports:interventions')}?format=xlsx&amp;overdue=1" in interventions
    claims = client.get(reverse("reparations:list")).content.decode()
    assert reverse("exports:claims") in claims


def test_the_api_exports_the_registers(monitor, registers):
    client = client_for(monitor)
    cases = client.get(reverse("api:export_cases"), {"format": "json", "jurisdiction": "military"})
    assert [r["case_id"] for r in json.loads(body(cases))] == [registers["secret"].public_id]
    no_reason = client.get(reverse("api:export_claims"))
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    named = client.get(reverse("api:export_claims"), {"reason": REASON, "format": "json", "region": "ML05"})
    assert [r["person_id"] for r in json.loads(body(named))] == [registers["claim"].person.public_id]
    assert AuditEvent.objects.filter(action=Action.EXPORT, details__via="api").count() == 2


def test_the_command_exports_the_registers(monitor, registers, tmp_path, capsys):
    target = tmp_path / "cases.csv"
    call_command("export", "cases", "--output", str(target))  # the administrator: every organisation
    assert {r["case_id"] for r in read_csv(target.read_bytes())} == {
        registers["judged"].public_id, registers["secret"].public_id, registers["theirs"].public_id,
    }  # fmt: skip
    call_command("export", "interventions", "--user", monitor.username, "--overdue", "--output", str(target))
    assert [r["intervention_id"] for r in read_csv(target.read_bytes())] == [registers["late"].public_id]
    with pytest.raises(CommandError, match="--reason"):
        call_command("export", "claims", "--user", monitor.username, "--output", str(target))
    call_command("export", "claims", "--user", monitor.username, "--reason", REASON, "--output", str(target))
    assert read_csv(target.read_bytes())[0]["family_name"] == "Maïga"
    with pytest.raises(CommandError, match="--from"):
        call_command("export", "cases", "--from", "2022-01-01", "--output", str(target))
    with pytest.raises(CommandError, match="--status lost"):
        call_command("export", "claims", "--status", "lost", "--reason", REASON, "--output", str(target))
