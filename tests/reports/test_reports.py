"""Issue #14: reports whose every number is the statistics functions' figure, read back out of the files;
regenerated on unchanged data they say "unchanged", after one more verified violation "changed"; the public
bulletin hides what the public page hides and names nobody; each report only for those who may see what it
counts. The handmade dataset (tests/statistics/handmade.py) has its figures counted by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import sys
from pathlib import Path

import docx
import numpy
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from conftest import client_for, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.incidents.models import VerificationStatus, Violation
from kurukan.reports import actions, documents
from kurukan.reports.models import Report
from kurukan.reports.tasks import generate_report
from kurukan.statistics.counting import Filters, table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statistics"))
from handmade import HAND, build  # noqa: E402

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
FILTERS = Filters(date_from=YEAR[0], date_to=YEAR[1])


def number(text: str) -> int:
    """A number as Babel wrote it (French groups thousands with a narrow no-break space)."""
    return int(text.replace("\u202f", "").replace("\xa0", "").replace(",", "").replace(" ", ""))


def _cli(*args: str) -> tuple[Path, str]:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    path, sha256 = out.getvalue().split()
    return Path(path), sha256


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


def _rows(tables: list[list[list[str]]], header: str) -> dict[str, list[str]]:
    """The table whose first header cell is `header`: {row label: the other cells}."""
    for rows in tables:
        if rows[0][0] == header:
            return {row[0]: row[1:] for row in rows[1:]}
    raise AssertionError(f"no table headed {header!r}")


@pytest.fixture
def handmade(monitor, other_monitor):
    return build(monitor, other_monitor)


def test_every_number_in_the_docx_is_the_statistics_figure(handmade, tmp_path):
    path, sha256 = _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "docx",
                        "--output", str(tmp_path / "r.docx"))  # fmt: skip
    assert path == tmp_path / "r.docx" and len(sha256) == 64
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    tables = _docx_tables(path)
    headline = _rows(tables, "Mesure")
    for measure, label in (("incidents", "Incidents"), ("violations", "Violations et atteintes"),
                           ("victims", "Victimes")):  # fmt: skip
        figure = table(measure, filters=FILTERS).total
        assert figure == HAND["everything"]["documented"][measure]
        assert number(headline[label][1]) == figure
    assert number(headline["Victimes enfants"][1]) == table("victims", filters=Filters(
        date_from=YEAR[0], date_to=YEAR[1], children_only=True)).total  # fmt: skip
    regions = _rows(tables, "Région")
    assert number(regions["Mopti"][1]) == table("victims", ["region"], FILTERS).value(region="ML05") == 18
    assert number(regions["Gao"][1]) == HAND["everything"]["by_region_victims"]["ML07"]
    assert number(regions["Total"][1]) == table("victims", filters=FILTERS).total
    ages = _rows(tables, "Âge")
    by_sex = table("victims", ["child", "sex"], FILTERS)
    assert number(ages["Enfants"][0]) == by_sex.value(child="child", sex="female")
    assert number(ages["Enfants"][1]) == by_sex.value(child="child", sex="male")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Rapport périodique" in text and "Annexe méthodologique" in text
    assert "Table des matières" in text
    assert "Amadou" not in text and "Maïga" not in text


def test_the_docx_carries_the_charts_and_the_map_as_pictures(handmade, tmp_path):
    """Word cannot draw SVG: CairoSVG rasterises the statistics charts and the map into PNG pictures."""
    path, _sha = _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "docx",
                      "--output", str(tmp_path / "r.docx"))  # fmt: skip
    document = docx.Document(str(path))
    shapes = document.inline_shapes
    # By violation category and by region (bars), the map, the monthly trend (a line).
    assert len(shapes) == 4
    pictures = []
    for shape in shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG")
        pictures.append(numpy.asarray(Image.open(io.BytesIO(blob)).convert("RGB"), dtype=numpy.int16))
    assert [p.shape[1] for p in pictures] == [1400] * 4
    assert [round(s.width.cm) for s in shapes] == [16, 16, 13, 16]  # the map 13 cm wide, as in the PDF

    def share(picture, colour, tolerance=12) -> float:
        return float((numpy.abs(picture - numpy.array(colour)) <= tolerance).all(axis=2).mean())

    bars, _regions, choropleth, trend = pictures
    assert share(bars, (0x00, 0x72, 0xB2)) > 0.05  # the blue bars cover a good part of the picture
    assert share(choropleth, (0xF2, 0xF0, 0xEA), 4) > 0.2  # regions without victims, in the map's beige
    assert share(choropleth, (0xFC, 0xAE, 0x91), 6) > 0.01  # Mopti's 18 victims, in the second class
    assert share(trend, (255, 255, 255), 0) < 0.99  # drawn on, not an empty white picture


def test_every_number_in_the_xlsx_is_the_statistics_figure(handmade, tmp_path):
    path, _sha = _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "xlsx",
                      "--verified", "--output", str(tmp_path / "r.xlsx"))  # fmt: skip
    book = openpyxl.load_workbook(path)
    verified = Filters(date_from=YEAR[0], date_to=YEAR[1], level="verified")
    headline = {row[0]: row[1:] for row in book["headline"].iter_rows(min_row=3, values_only=True)}
    assert headline["Victimes"][1] == table("victims", filters=verified).total == 18
    assert headline["Violations et atteintes"][1] == table("violations", filters=verified).total == 3
    regions = {row[0]: row[1:] for row in book["victims.region"].iter_rows(min_row=3, values_only=True)}
    assert regions["Mopti"][1] == table("victims", ["region"], verified).value(region="ML05")
    months = {row[0]: row[1] for row in book["violations.month"].iter_rows(min_row=3, values_only=True)}
    by_month = table("violations", ["month"], verified)
    assert months["mars 2022"] == by_month.value(month="2022-03") == 1
    assert months["Total"] == by_month.total


def test_the_children_tables_count_as_the_mrm_by_quarter_verified_and_reported_apart(handmade, tmp_path):
    path, _sha = _cli("children", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "xlsx",
                      "--lang", "en", "--output", str(tmp_path / "c.xlsx"))  # fmt: skip
    book = openpyxl.load_workbook(path)
    verified = Filters(
        date_from=YEAR[0], date_to=YEAR[1], level="verified", grave_only=True, children_only=True
    )
    reported = Filters(
        date_from=YEAR[0], date_to=YEAR[1], level="reported", grave_only=True, children_only=True
    )
    sheet = list(book["mrm.verified.quarter"].iter_rows(values_only=True))
    assert sheet[1] == ("Grave violation", "Q1 2022", "Q2 2022", "Q3 2022", "Q4 2022", "Total")
    rows = {row[0]: row[1:] for row in sheet[2:]}
    counted = table("mrm", ["grave_violation", "quarter"], verified)
    assert rows["Killing and maiming"][0] == counted.value(
        grave_violation="killing_maiming", quarter="2022-Q1"
    )
    assert rows["Attacks on schools and hospitals"][2] == 1  # one attack, counted by incident (E)
    assert rows["Total"][-1] == counted.total
    reported_rows = {
        row[0]: row[1:] for row in list(book["mrm.reported.quarter"].iter_rows(values_only=True))[2:]
    }
    assert (
        reported_rows["Recruitment and use of children"][1]
        == table("mrm", ["grave_violation", "quarter"], reported).value(
            grave_violation="recruitment_use", quarter="2022-Q2"
        )
        == 5
    )  # the unverified C: 5 children


def test_a_server_without_weasyprint_or_cairosvg_says_so_before_starting(coordinator, monkeypatch):
    """The PDF itself is tested in test_reports_pdf.py; here the libraries are hidden, as on a server where
    they are not installed: the form and the command line refuse with a message naming the formats that work."""
    from django.utils import translation

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    # In French whatever language an earlier test of this worker left active.
    with translation.override("fr"), pytest.raises(CommandError, match="WeasyPrint n'est pas installé"):
        _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "pdf")
    form = {"kind": "periodic", "date_from": "2022-01-01", "date_to": "2022-12-31", "language": "fr"}
    response = client_for(coordinator).post("/reports/", {**form, "file_format": "pdf"})
    assert response.status_code == 422 and "Choisissez DOCX ou XLSX" in response.content.decode()
    monkeypatch.setitem(sys.modules, "cairosvg", None)
    response = client_for(coordinator).post("/reports/", {**form, "file_format": "docx"})
    assert response.status_code == 422 and "Choisissez PDF ou XLSX" in response.content.decode()
    assert not Report.objects.exists()


def test_french_typography_puts_narrow_no_break_spaces_where_french_wants_them():
    assert (
        documents.french("Période : « vérifié » ; oui !")
        == "Période\u202f: «\u202fvérifié\u202f»\u202f; oui\u202f!"
    )
    assert documents.french("10:30") == "10:30"


def test_regenerated_on_unchanged_data_it_says_unchanged_and_after_one_more_verified_violation_changed(
    handmade, coordinator
):
    client = client_for(coordinator)
    response = client.post("/reports/", {"kind": "periodic", "date_from": "2022-01-01", "date_to": "2022-12-31",
                                         "language": "fr", "file_format": "docx", "verified": "on"})  # fmt: skip
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert "En attente" in client.get(f"/reports/{report.pk}/").content.decode()
    generate_report.call(report.pk)  # what the worker does
    assert client.get(f"/reports/{report.pk}/progress/")["HX-Refresh"] == "true"
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Terminé" in page and "Données inchangées depuis ce rapport" in page

    client.post(f"/reports/{report.pk}/regenerate/")
    again = Report.objects.exclude(pk=report.pk).get()
    generate_report.call(again.pk)
    again.refresh_from_db()
    report.refresh_from_db()
    assert again.regenerated_from == report and again.fingerprint == report.fingerprint
    assert again.figures == report.figures

    incident = make_incident(coordinator, start_date=dt.date(2022, 9, 1))
    Violation.objects.filter(incident=incident).update(verification_status=VerificationStatus.VERIFIED)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Les données ont changé depuis ce rapport" in page

    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    events = AuditEvent.objects.filter(object_type="reports.report").values_list("details__event", flat=True)
    assert {"report_requested", "report_generated", "report_downloaded"} <= set(events)


def test_a_report_is_hidden_from_those_who_cannot_see_every_record_it_counts(handmade, monitor, analyst,
                                                                             cndh_monitor):  # fmt: skip
    # The monitor wrote everything but D, strictly confidential and another monitor's: the report counts D.
    report = actions.start_report(user=None, kind="periodic", date_from=YEAR[0], date_to=YEAR[1],
                                  file_format="xlsx", everything=True)  # fmt: skip
    actions.run_report(report)
    assert client_for(monitor).get(f"/reports/{report.pk}/").status_code == 404
    assert client_for(analyst).get(f"/reports/{report.pk}/download/").status_code == 404
    assert client_for(cndh_monitor).get(f"/api/reports/{report.pk}").status_code == 404
    # The analyst's own report counts only what the analyst sees: theirs to read, not the other org's.
    own = actions.start_report(
        user=analyst, kind="periodic", date_from=YEAR[0], date_to=YEAR[1], file_format="xlsx"
    )
    actions.run_report(own)
    assert client_for(analyst).get(f"/reports/{own.pk}/").status_code == 200
    assert client_for(cndh_monitor).get(f"/reports/{own.pk}/").status_code == 404
    assert own.figures["headline.victims.total"] == HAND["analyst"]["documented"]["victims"]


def test_the_public_bulletin_hides_small_cells_names_nobody_and_is_public_once_published(
    handmade, coordinator, client
):
    report = actions.start_report(user=coordinator, kind="bulletin", date_from=YEAR[0], date_to=YEAR[1],
                                  file_format="docx")  # fmt: skip
    actions.run_report(report)
    report.refresh_from_db()
    text = "\n".join(
        [p.text for p in docx.Document(report.path).paragraphs]
        + [c.text for t in docx.Document(report.path).tables for r in t.rows for c in r.cells]
    )
    assert "Amadou" not in text and "Maïga" not in text
    # Gao's 5 children are under the sensitive threshold (10): the cell says so, never the number.
    regions = _rows(_docx_tables(Path(report.path)), "Région")
    assert not regions["Gao"][0].isdigit()
    assert all(
        value == "" or not str(value).isdigit() or int(value) >= 5 for value in report.figures.values()
    )
    assert client.get(f"/reports/{report.pk}/").status_code == 302  # not published: sign in first
    client_for(coordinator).post(f"/reports/{report.pk}/publish/")
    assert client.get(f"/reports/{report.pk}/download/").status_code == 200


def test_the_api_asks_for_a_report_follows_it_and_downloads_it(handmade, coordinator):
    client = client_for(coordinator)
    response = client.post("/api/reports", {"kind": "children", "date_from": "2022-01-01",
                                            "date_to": "2022-12-31", "file_format": "xlsx"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]
    generate_report.call(report_id)
    detail = client.get(f"/api/reports/{report_id}").json()
    assert detail["status"] == "done" and detail["data_changed"] is False and len(detail["sha256"]) == 64
    assert client.get(f"/api/reports/{report_id}/file").status_code == 200
    bad = client.post("/api/reports", {"kind": "periodic", "date_from": "2022-12-31", "date_to": "2022-01-01"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "date_to"


def test_bad_input_on_the_page_and_the_command_line_says_what_to_fix(coordinator):
    response = client_for(coordinator).post("/reports/", {"kind": "periodic", "date_from": "2023-12-31",
                                                          "date_to": "2023-01-01", "file_format": "pdf",
                                                          "language": "fr"})  # fmt: skip
    assert response.status_code == 422
    assert "La fin de la période précède son début" in response.content.decode()
    with pytest.raises(CommandError, match="date invalide « 2023-13-01 »"):
        _cli("periodic", "--from", "2023-13-01", "--to", "2023-12-31")
    with pytest.raises(CommandError, match="utilisateur inconnu"):
        _cli(
            "bulletin", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "xlsx", "--user", "personne"
        )


def test_pdftoppm_and_pdftotext_are_in_the_system_dependencies():
    script = (Path(__file__).parents[2] / "scripts" / "system-deps").read_text()
    assert "poppler-utils" in script
    assert shutil.which("pdftotext") is not None


def test_an_administrator_counts_one_organisation_and_bambara_letters_survive(handmade, administrator, cndh):
    """The organisation parameter is the administrator's; its name in Bambara letters reaches the file."""
    cndh.short_name = "Kɔmisiyɔn ŋɛɲɛ"
    cndh.save()
    client = client_for(administrator)
    response = client.post("/reports/", {"kind": "periodic", "date_from": "2022-01-01", "date_to": "2022-12-31",
                                         "language": "fr", "file_format": "docx",
                                         "organisations": cndh.code})  # fmt: skip
    report = Report.objects.get()
    assert response.status_code == 302 and list(report.organisations.all()) == [cndh]
    generate_report.call(report.pk)
    report.refresh_from_db()
    text = "\n".join(p.text for p in docx.Document(report.path).paragraphs)
    assert "Kɔmisiyɔn ŋɛɲɛ" in text
    headline = _rows(_docx_tables(Path(report.path)), "Mesure")
    counted = table("victims", filters=Filters(date_from=YEAR[0], date_to=YEAR[1], organisation=cndh)).total
    assert counted == 0 and number(headline["Victimes"][1]) == 0  # the handmade records are the DDHP's
    assert "organisation" not in client_for(handmade["a"].created_by).get("/reports/").content.decode()


def test_the_methods_annex_gives_the_estimate_an_analyst_published(handmade, analyst, tmp_path):
    from django.utils import timezone

    from kurukan.estimates.models import EstimateRun

    EstimateRun.objects.create(
        parameters={"method": "loglinear", "criterion": "bic", "date_from": "2022-01-01", "date_to": "2022-12-31"},
        result={"strata": [], "total": {"documented": 120, "estimate": 310, "ci_low": 200, "ci_high": 500}},
        status="done", published=True, published_at=timezone.now(), requested_by=analyst,
    )  # fmt: skip
    path, _sha = _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "docx",
                      "--output", str(tmp_path / "r.docx"))  # fmt: skip
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Estimation publiée le" in text
    assert "120 victimes documentées, 310 (200–500) victimes estimées en tout" in text.replace("\u202f", " ")


def test_the_report_page_speaks_english_when_asked(coordinator):
    from conftest import english_client_for

    page = english_client_for(coordinator).get("/reports/").content.decode()
    assert "Produce the report" in page and "Periodic situation report" in page and "No report yet." in page


def test_the_periodic_report_follows_violations_to_court_and_reparation(handmade, monitor, tmp_path):
    """With a case and a claim on record, the periodic report gains the judicial follow-up and reparations
    sections, whose numbers are the justice page's (statistics.impunity) and the reparation figures'."""
    from conftest import term
    from kurukan.justice import actions as justice
    from kurukan.justice.models import JudicialCase, Stage
    from kurukan.reparations import actions as reparations
    from kurukan.reparations.models import Claim
    from kurukan.statistics.counting import EVERYTHING
    from kurukan.statistics.impunity import impunity
    from kurukan.statistics.reparations import claim_table

    violation = (
        Violation.objects.filter(
            verification_status=VerificationStatus.VERIFIED,
            incident__start_date__range=YEAR,
            incident__organisation=monitor.organisation,
            victims__isnull=False,
        )
        .distinct()
        .first()
    )
    case = JudicialCase(title="Affaire", jurisdiction=term("jurisdiction", "ordinary"))
    justice.open_case(case, [violation], monitor)
    justice.add_stage(case, Stage(kind="judgment", on=dt.date(2023, 3, 1), outcome="conviction"), monitor)
    person = violation.victims.first().person
    claim = Claim(
        person=person, harm="Préjudice", filed_on=dt.date(2023, 4, 1), measures_requested=["compensation"]
    )
    reparations.register_claim(claim, [violation], monitor)

    path, _sha = _cli("periodic", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "docx",
                      "--output", str(tmp_path / "r.docx"))  # fmt: skip
    tables = _docx_tables(path)
    court = _rows(tables, "Type de violation")
    figures = impunity(
        "violation_type", Filters(date_from=YEAR[0], date_to=YEAR[1], level="verified"), EVERYTHING
    )
    assert figures.total.judgment == 1
    assert [number(cell) for cell in court["Total"]] == [
        figures.total.verified, figures.total.no_case, figures.total.investigation, figures.total.trial, 1,
    ]  # fmt: skip
    paid = _rows(tables, "Région de la violation")
    claims = claim_table(["region"], Filters(date_from=YEAR[0], date_to=YEAR[1], level="reported"))
    assert [number(cell) for cell in paid["Total"]] == [
        claims.total["registered"],
        claims.total["eligible"],
        0,
    ]
    assert claims.total["registered"] == 1
