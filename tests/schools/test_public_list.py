"""The public list: no login, closed schools on a date with counts, map and downloads; nothing personal,
nothing from a restricted violation, not even its existence."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from school_builders import add_status, make_school

from conftest import make_incident
from kurukan.accounts.models import Confidentiality

D = dt.date


@pytest.fixture
def closed_school(monitor):
    school = make_school("MO-77", name="École de Sokoura")
    add_status(
        school,
        monitor,
        "closed",
        D(2022, 1, 10),
        reason="direct_threat",
        source="Appel de M. Touré au 76 00 00 00",
    )
    add_status(school, monitor, "occupied", D(2023, 2, 1), reason="occupation")
    incident = make_incident(
        monitor,
        title="Attaque de l'école de Sokoura par des hommes armés",
        confidentiality=Confidentiality.RESTRICTED,
        violation_type="protected.attack_school",
        narrative="Le directeur Oumar Kassogué a été menacé.",
    )
    violation = incident.violations.get()
    violation.school = school
    violation.save()
    make_school("GA-9", name="École ouverte de Gao", commune="ML070101")
    return school, incident


SECRETS = ("Maïga", "Amadou", "Kassogué", "Touré", "76 00 00 00", "Attaque de l'école de Sokoura", "Récit")


def test_anyone_sees_the_closed_schools_with_since_when_and_why(closed_school):
    school, incident = closed_school
    response = Client().get(reverse("schools:public"), {"on": "2023-06-30"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "École de Sokoura" in body and "Bankass" in body and "10/01/2022" in body
    assert "Occupation par des forces ou groupes armés" in body
    assert "École ouverte de Gao" not in body
    assert 'id="closed-total">1<' in body
    assert 'fill="#b3261e"' in body  # the map shows the school
    assert incident.public_id not in body
    for secret in SECRETS:
        assert secret not in body, secret


def test_before_the_closure_the_list_is_empty(closed_school):
    body = Client().get(reverse("schools:public"), {"on": "2021-12-31"}).content.decode()
    assert "École de Sokoura" not in body and 'id="closed-total">0<' in body


def test_a_date_in_the_future_is_refused_on_screen(closed_school):
    response = Client().get(reverse("schools:public"), {"on": "2999-01-01"})
    assert response.status_code == 422
    assert "Cette date est dans le futur" in response.content.decode()


def test_the_csv_download_reads_back_with_the_same_rows(closed_school):
    school, incident = closed_school
    response = Client().get(reverse("schools:public_csv"), {"on": "2023-06-30"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["Code de l'école"] == "MO-77" and row["Fermée depuis le"] == "2022-01-10"
    assert (
        row["Motif"] == "Occupation par des forces ou groupes armés" and row["Élèves privés d'école"] == "260"
    )
    for secret in (*SECRETS, incident.public_id):
        assert secret not in text


def test_the_xlsx_download_reads_back(closed_school):
    response = Client().get(reverse("schools:public_xlsx"), {"on": "2023-06-30"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Code de l'école"
    assert values[1][0] == "MO-77" and values[1][1] == "École de Sokoura"
    flat = " ".join(str(v) for row in values for v in row)
    for secret in SECRETS:
        assert secret not in flat


def test_the_public_list_is_in_english_when_chosen(closed_school):
    client = Client()
    client.cookies["django_language"] = "en"
    body = client.get(reverse("schools:public"), {"on": "2023-06-30"}).content.decode()
    assert "Occupation by armed forces or groups" in body and "Closed schools" in body


def test_the_public_api_gives_the_same_list_and_counts(closed_school):
    response = Client().get("/api/schools/closed", {"on": "2023-06-30", "by": "cercle"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["total"] == 1 and payload["rows"][0]["cercle"] == "ML0503"
    assert [s["code"] for s in payload["schools"]] == ["MO-77"]
    for secret in SECRETS:
        assert secret not in response.content.decode()
