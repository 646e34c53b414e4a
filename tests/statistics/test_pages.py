"""The statistics pages, downloads and API as a reader uses them."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from handmade import BANKASS, HAND, _incident, _violation, build
from openpyxl import load_workbook

from conftest import client_for
from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import GroupVictims, VerificationStatus


@pytest.fixture
def records(monitor, other_monitor):
    return build(monitor, other_monitor)


def _csv_rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_bar_leads_to_the_incidents_it_counts(records, administrator):
    client = client_for(administrator)
    page = client.get("/statistics/").content.decode()
    # The type × region table: the cell "Gao × grave violations against children" links to the list.
    links = re.findall(r'<td class="num"><a href="([^"]+)">1</a></td>', page)
    assert links
    gao = [html.unescape(link) for link in links if "violation_type=" in link]
    listed = [client.get(link).content.decode() for link in gao]
    assert any(records["c"].public_id in text and records["a"].public_id not in text for text in listed)


def test_the_verified_switch_changes_every_figure(records, administrator):
    page = client_for(administrator).get("/statistics/", {"level": "verified"}).content.decode()
    figures = dict(
        (what, int(re.sub(r"\D", "", figure)))
        for figure, what in re.findall(
            r'<span class="figure">([^<]+)</span> <span class="what">([^<]+)</span>', page
        )
    )
    assert figures["Victimes"] == HAND["everything"]["verified"]["victims"]
    assert figures["Incidents"] == HAND["everything"]["verified"]["incidents"]


def test_a_period_ending_before_it_starts_is_said_beside_the_field(records, analyst):
    response = client_for(analyst).get("/statistics/", {"date_from": "2022-05-01", "date_to": "2022-01-01"})
    assert response.status_code == 200  # a GET page: the error is said on it (a 4xx is a console error)
    page = response.content.decode()
    assert re.search(r'date_to.*?<p class="error"[^>]*>La fin de la période précède son début', page, re.S)


def test_the_xlsx_download_reads_back_with_the_same_figures(records, administrator):
    response = client_for(administrator).get("/statistics/download/sex_age.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("age_group", "age_group_label", "sex", "sex_label", "victims")
    children = sum(r[4] for r in rows[1:-1] if r[0] == "child")
    assert children == HAND["everything"]["children"]
    assert rows[-1][-1] == HAND["everything"]["documented"]["victims"]


def test_the_children_view_counts_as_the_mrm(records, administrator):
    client = client_for(administrator)
    assert client.get("/statistics/children/").status_code == 200
    verified = _csv_rows(client, "/statistics/download/grave_verified.csv")
    cells = {(r[0], r[2]): int(r[4]) for r in verified[1:-1]}
    # A: Awa (12) and two girls, by victim; E: one attack on a school, by incident. C is not verified.
    assert cells == {("2022-Q1", "killing_maiming"): 3, ("2022-Q3", "attacks_schools_hospitals"): 1}
    reported = _csv_rows(client, "/statistics/download/grave_reported.csv")
    assert {(r[0], r[2]): int(r[4]) for r in reported[1:-1]} == {**cells, ("2022-Q2", "recruitment_use"): 5}
    by_sex = _csv_rows(client, "/statistics/download/grave_sex.csv")
    assert {(r[0], r[2]): int(r[4]) for r in by_sex[1:-1]} == {
        ("killing_maiming", "female"): 3,
        ("attacks_schools_hospitals", ""): 1,  # counted by incident: no sex
    }


def _two_sided_binomial(k: int, n: int, p: float) -> float:
    """The exact test by hand: the probability of every outcome no likelier than the one observed."""
    probabilities = [math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    observed = probabilities[k]
    return min(1.0, sum(q for q in probabilities if q <= observed * (1 + 1e-7)))


def test_the_comparison_says_what_the_numbers_show(records, administrator):
    query = {"a_from": "2022-01-01", "a_to": "2022-04-30", "b_from": "2022-05-01", "b_to": "2022-08-31"}
    page = (
        client_for(administrator)
        .get("/statistics/compare/", {**query, "measure": "victims"})
        .content.decode()
    )
    sentence = html.unescape(re.search(r'<p class="sentence">(.*?)</p>', page).group(1))
    # A (7 victims) in the first period; C, D and E (5 + 1 + 10) in the second; 120 and 123 days.
    p = _two_sided_binomial(16, 23, 123 / 243)
    assert sentence.startswith("Les victimes de violations documentées sont passées de 7 à 16 (+129")
    shown = f"{round(p, 3)}".replace(".", ",")
    assert f"p = {shown}" in sentence
    assert ("reste dans ce que le hasard seul produit" in sentence) == (p >= 0.05)


def test_the_comparison_in_english(records, administrator):
    client = client_for(administrator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    query = {"a_from": "2022-01-01", "a_to": "2022-04-30", "b_from": "2022-05-01", "b_to": "2022-08-31"}
    data = client.get("/api/statistics/compare", {**query, "measure": "violations"}).json()
    assert data["a"] == "1" and data["b"] == "3"
    assert "went from 1 to 3" in data["sentence"]


def test_the_api_names_the_field_of_a_bad_code(records, analyst):
    response = client_for(analyst).get("/api/statistics/table", {"violation_type": "no.such", "by": "sex"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "violation_type"
    response = client_for(analyst).get("/api/statistics/table", {"measure": "incidents", "by": "sex"})
    assert response.status_code == 422
    assert "décrit les victimes" in response.json()["errors"][0]["message"]


def test_the_api_rows_carry_codes_and_labels(records, analyst):
    data = client_for(analyst).get("/api/statistics/table", {"measure": "victims", "by": "region"}).json()
    assert {"region": "ML07", "region_label": "Gao", "value": 5} in data["rows"]
    assert data["total"] == HAND["analyst"]["documented"]["victims"]


def test_a_focal_point_sees_a_dashboard_of_nothing(records, focal_point):
    response = client_for(focal_point).get("/statistics/")
    assert response.status_code == 200
    assert "Aucune donnée pour ces filtres." in response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/statistics/").status_code == 200
    return len(captured)


def test_the_dashboard_costs_the_same_queries_on_more_data(records, monitor, administrator):
    client = client_for(administrator)
    _queries(client)  # the first page reads the choice lists a process keeps (vocabularies/choices.py)
    before = _queries(client)
    for i in range(15):
        incident = _incident(monitor, BANKASS, dt.date(2022, 1 + i % 12, 5))
        violation = _violation(
            incident, "life.summary_execution", VerificationStatus.VERIFIED, "nonstate.eigs"
        )
        GroupVictims.objects.create(violation=violation, women=i + 1)
        refresh_counts(incident)  # as the form actions end (writes the victims aggregate's rows)
    assert _queries(client) == before


def test_a_commune_picked_in_the_filters_narrows_every_figure(records, administrator):
    from conftest import unit

    bankass = unit(BANKASS)
    page = client_for(administrator).get("/statistics/", {"place": f"unit:{bankass.pk}"}).content.decode()
    figures = dict(
        (what, int(re.sub(r"\D", "", figure)))
        for figure, what in re.findall(
            r'<span class="figure">([^<]+)</span> <span class="what">([^<]+)</span>', page
        )
    )
    assert figures["Victimes"] == 7 + 1 + 10  # A, D and E; C and H are in Gao
    assert f'value="unit:{bankass.pk}" checked' in page
