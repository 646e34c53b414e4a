"""Issue #14's parameters: several regions at once ("Régions de Mopti et Ségou") and several organisations (an
administrator's), through the page, the API and the command line; the numbers read back out of the DOCX, XLSX
and PDF are the statistics functions' figures for the same regions and organisations, the cover says which
regions, and the fingerprint and "regenerate" keep them. Also: the report page counts again only when the
data's version moved. The handmade dataset (tests/statistics/handmade.py) is in Mopti and Gao; one incident
of the CNDH in Ségou is added here, its group of 1,500 men large enough for Babel's thousands."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

from conftest import client_for, unit
from kurukan.incidents.models import GroupVictims, VerificationStatus, Violation
from kurukan.reports import actions, content
from kurukan.reports.models import Report
from kurukan.reports.tasks import generate_report
from kurukan.statistics.counting import Filters, table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statistics"))
from handmade import HAND, _incident, _violation, build  # noqa: E402

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
MOPTI, GAO, SEGOU = "ML05", "ML07", "ML04"
FORM = {"kind": "periodic", "date_from": "2022-01-01", "date_to": "2022-12-31", "language": "fr"}


@pytest.fixture
def world(monitor, other_monitor, cndh_monitor):
    """The handmade records (DDHP, Mopti and Gao) and one verified killing of 1,500 men in Ségou (CNDH)."""
    built = build(monitor, other_monitor)
    segou = _incident(cndh_monitor, "ML040101", dt.date(2022, 8, 10))
    violation = _violation(segou, "life.summary_execution", VerificationStatus.VERIFIED, "nonstate.jnim")
    GroupVictims.objects.create(violation=violation, men=1500)
    return built


def number(text: str) -> int:
    return int(re.sub(r"[\u202f\xa0 ,]", "", text))


def _filters(*pcodes: str, organisations=(), level="documented", **more) -> Filters:
    places = tuple(unit(p) for p in pcodes)
    return Filters(
        date_from=YEAR[0],
        date_to=YEAR[1],
        places=places,
        organisations=tuple(organisations),
        level=level,
        **more,
    )


def _docx_rows(path: str, header: str) -> dict[str, list[str]]:
    for t in docx.Document(path).tables:
        rows = [[cell.text for cell in row.cells] for row in t.rows]
        if rows[0][0] == header:
            return {row[0]: row[1:] for row in rows[1:]}
    raise AssertionError(f"no table headed {header!r}")


def test_several_regions_at_once_count_what_the_statistics_count_for_them(world):
    """The statistics functions themselves: two regions are the sum of each, and not Gao."""
    both = table("victims", ["region"], _filters(MOPTI, SEGOU))
    assert both.total == HAND["everything"]["by_region_victims"][MOPTI] + 1500 == 1518
    assert {row["region"] for row in both.rows} == {MOPTI, SEGOU}
    for measure in ("incidents", "violations", "victims", "mrm"):
        apart = sum(table(measure, filters=_filters(code)).total for code in (MOPTI, SEGOU))
        assert table(measure, filters=_filters(MOPTI, SEGOU)).total == apart, measure


def test_the_page_asks_for_two_regions_and_an_organisation_and_the_docx_says_so(world, administrator, cndh):
    client = client_for(administrator)
    response = client.post(
        "/reports/", {**FORM, "file_format": "docx", "regions": [MOPTI, SEGOU], "organisations": ["cndh"]}
    )
    report = Report.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert report.regions == [SEGOU, MOPTI] and list(report.organisations.all()) == [cndh]
    generate_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == "done", report.stage
    document = docx.Document(report.path)
    cover = [p.text for p in document.paragraphs[:8]]
    assert cover[1] == "Régions de Mopti et Ségou", cover
    assert "Régions\u202f: Mopti et Ségou" in cover and "Organisation\u202f: CNDH" in cover
    counted = _filters(MOPTI, SEGOU, organisations=[cndh])
    headline = _docx_rows(report.path, "Mesure")
    assert number(headline["Victimes"][1]) == table("victims", filters=counted).total == 1500
    assert number(headline["Incidents"][1]) == table("incidents", filters=counted).total == 1
    regions = _docx_rows(report.path, "Région")
    assert set(regions) == {"Ségou", "Total"}  # the CNDH has nothing in Mopti; Gao is not asked for
    assert number(regions["Ségou"][1]) == 1500
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Régions de Mopti et Ségou" in page and "CNDH" in page

    # Regenerated: the same regions and organisation, the same fingerprint.
    client.post(f"/reports/{report.pk}/regenerate/")
    again = Report.objects.exclude(pk=report.pk).get()
    assert again.regions == report.regions and list(again.organisations.all()) == [cndh]
    generate_report.call(again.pk)
    again.refresh_from_db()
    assert again.fingerprint == report.fingerprint and again.figures == report.figures


def test_the_fingerprint_names_the_regions_even_when_their_figures_are_alike(world, coordinator):
    """The children's tables of 2022's last quarter, for Gao and for Mopti with Gao: both count zero, yet
    the fingerprints differ: a report's hash is of its figures and of what they were counted over."""
    reports = []
    for regions in ([GAO], [MOPTI, GAO]):
        report = actions.start_report(user=coordinator, kind="children", date_from=dt.date(2022, 10, 1),
                                      date_to=dt.date(2022, 12, 31), file_format="xlsx", regions=regions)  # fmt: skip
        reports.append(actions.run_report(report))
    one, two = reports
    assert one.status == two.status == "done"
    assert one.figures == two.figures and set(one.figures.values()) == {0}
    assert one.fingerprint != two.fingerprint


def test_the_api_takes_regions_and_refuses_organisations_from_a_coordinator(world, coordinator):
    client = client_for(coordinator)
    response = client.post("/api/reports", {"kind": "periodic", "date_from": "2022-01-01",
                                            "date_to": "2022-12-31", "file_format": "xlsx",
                                            "regions": [MOPTI, SEGOU]}, content_type="application/json")  # fmt: skip
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["parameters"]["regions"] == [SEGOU, MOPTI] and body["parameters"]["organisations"] == []
    generate_report.call(body["id"])
    report = Report.objects.get(pk=body["id"])
    book = openpyxl.load_workbook(report.path)
    assert book["Rapport"]["A2"].value == "Régions de Mopti et Ségou"
    headline = {row[0]: row[1:] for row in book["headline"].iter_rows(min_row=3, values_only=True)}
    seen = Filters(date_from=YEAR[0], date_to=YEAR[1], places=(unit(MOPTI), unit(SEGOU)))
    from kurukan.statistics.counting import Scope

    assert headline["Victimes"][1] == table("victims", filters=seen, scope=Scope.for_user(coordinator)).total
    assert client.get(f"/api/reports/{body['id']}").json()["data_changed"] is False

    refused = client.post(
        "/api/reports", {**FORM, "organisations": ["cndh"]}, content_type="application/json"
    )
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert (
        error["field"] == "organisations"
        and "Seul un administrateur choisit les organisations" in error["message"]
    )
    unknown = client.post("/api/reports", {**FORM, "regions": ["ML99"]}, content_type="application/json")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "regions"
    assert "Région inconnue « ML99 »" in unknown.json()["errors"][0]["message"]
    bulletin = client.post("/api/reports", {**FORM, "kind": "bulletin", "regions": [MOPTI]},
                           content_type="application/json")  # fmt: skip
    assert bulletin.status_code == 422 and "tout le Mali" in bulletin.json()["errors"][0]["message"]
    assert Report.objects.count() == 1


def test_the_command_line_takes_region_and_organisation_again_and_again(world, cndh, ohchr, tmp_path):
    out = io.StringIO()
    call_command("report", "periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "pdf",
                 "--region", "ML05", "--region", "ml04", "--organisation", "cndh", "--organisation", ohchr.code,
                 "--output", str(tmp_path / "r.pdf"), stdout=out)  # fmt: skip
    path = Path(out.getvalue().split()[0])
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    flat = " ".join(text.stdout.replace("\u202f", " ").split())
    assert "Régions de Mopti et Ségou" in flat.split("Table des matières")[0]  # on the cover
    counted = _filters(MOPTI, SEGOU, organisations=[cndh, ohchr])
    victims = table("victims", filters=counted).total
    assert victims == 1518
    assert f"Victimes 0 {victims:,}".replace(",", " ") in flat  # "1 518", Babel's French grouping
    regions = table("victims", ["region"], counted)
    assert f"Mopti 0 {regions.value(region=MOPTI)}" in flat and "Gao 0" not in flat
    report = Report.objects.get()
    assert report.regions == [SEGOU, MOPTI] and report.organisation_codes() == sorted(["cndh", ohchr.code])

    def refused(*args: str) -> str:
        with pytest.raises(CommandError) as error:
            call_command("report", "periodic", "--from", "2022-01-01", "--to", "2022-12-31", *args)
        return str(error.value)

    assert "région inconnue « ML99 » (option --region)" in refused("--region", "ML99")
    assert "organisation inconnue « nobody » (option --organisation)" in refused("--organisation", "nobody")
    assert "réservé aux administrateurs" in refused(
        "--organisation", "cndh", "--user", world["a"].created_by.username
    )
    with pytest.raises(CommandError, match="tout le Mali"):
        call_command("report", "bulletin", "--from", "2022-01-01", "--to", "2022-12-31", "--region", "ML05")
    assert Report.objects.count() == 1


def test_the_page_says_unchanged_without_counting_again_until_the_data_moves(world, coordinator, monkeypatch):
    """The report page asks for a few index look-ups (the data's version), not a recount, while nothing was
    written; a new verified violation moves the version: counted once, "changed", and remembered."""
    client = client_for(coordinator)
    client.post("/reports/", {**FORM, "file_format": "xlsx", "verified": "on", "regions": [MOPTI]})
    report = Report.objects.get()
    generate_report.call(report.pk)
    counts = []
    real = content.figures_only
    monkeypatch.setattr(content, "figures_only", lambda *a, **k: counts.append(1) or real(*a, **k))
    for _ in range(3):
        page = client.get(f"/reports/{report.pk}/").content.decode()
        assert "Données inchangées depuis ce rapport" in page
        client.get(f"/reports/{report.pk}/download/")  # audited: a look at the report, not new data
    assert counts == []

    from conftest import make_incident

    incident = make_incident(coordinator, start_date=dt.date(2022, 9, 1))  # in Mopti
    Violation.objects.filter(incident=incident).update(verification_status=VerificationStatus.VERIFIED)
    for _ in range(2):
        page = client.get(f"/reports/{report.pk}/").content.decode()
        assert "Les données ont changé depuis ce rapport" in page
    assert counts == [1]  # counted once; the second view read the answer kept for that version

    # A write elsewhere (Gao, outside the report's region) moves the version: counted, and unchanged.
    make_incident(coordinator, commune="ML070101", start_date=dt.date(2022, 9, 2))
    report.refresh_from_db()
    report.fingerprint = actions.fingerprint(content.figures_only(actions.parameters_of(report),
                                                                  actions.scope_of(report)), report)  # fmt: skip
    Report.objects.filter(pk=report.pk).update(fingerprint=report.fingerprint)
    counts.clear()
    assert "Données inchangées depuis ce rapport" in client.get(f"/reports/{report.pk}/").content.decode()
    assert counts == [1]
