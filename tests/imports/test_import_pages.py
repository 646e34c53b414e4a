"""The import pages as a coordinator uses them: upload, progress, quarantine corrected in the page or in a file."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from import_builders import ACLED, template_row, write_csv

from conftest import client_for, english_client_for, field_errors
from kurukan.imports.models import ImportJob
from kurukan.imports.tasks import import_file
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _upload(client, path, **fields):
    data = {
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        "confidentiality": "restricted",
        **fields,
    }
    return client.post("/imports/", data)


def _file(tmp_path, name="fiche.csv"):
    rows = [
        template_row("P1", victim_given_name="Aminata", victim_family_name="Diallo", victim_sex="F"),
        template_row("P2", violation_type="massacre"),
        template_row("P3", cercle="Bankas"),  # misspelt: the page proposes places
        template_row("P4", cercle="Bandiagara"),
    ]
    return write_csv(tmp_path / name, rows)


def test_upload_watch_progress_and_read_the_summary_and_the_quarantine(coordinator, tmp_path):
    client = client_for(coordinator)
    response = _upload(client, _file(tmp_path))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.status, job.organisation, job.confidentiality) == (
        "queued",
        coordinator.organisation,
        "restricted",
    )

    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "En attente" in page and 'hx-trigger="every 2s"' in page
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=1))
    assert "kurukan db_worker" in client.get(f"/imports/{job.pk}/progress/").content.decode()

    import_file.call(job.pk)  # what the worker does

    polled = client.get(f"/imports/{job.pk}/progress/")
    assert polled["HX-Refresh"] == "true"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Terminé" in page and "4 lignes lues" in page
    assert "Ligne 3 : Colonne « violation_type » : « massacre » n&#x27;est pas une valeur connue" in page
    assert "Bankas" in page and "Bankass" in page  # the place candidates to pick from
    assert Incident.objects.filter(organisation=coordinator.organisation).count() == 2


def test_a_cell_corrected_in_the_page_goes_in_with_or_without_javascript(coordinator, tmp_path):
    client = client_for(coordinator)
    _upload(client, _file(tmp_path))
    job = ImportJob.objects.get()
    import_file.call(job.pk)
    wrong_type = job.quarantine.get(field="violation_type")
    wrong_place = job.quarantine.get(field="cercle")

    # with htmx: a value still wrong says so in the row, then a right one goes in
    still = client.post(
        f"/imports/{job.pk}/quarantine/{wrong_type.pk}/", {"value": "tuerie"}, HTTP_HX_REQUEST="true"
    )
    assert (
        still.status_code == 422 and "« tuerie » n&#x27;est pas une valeur connue" in still.content.decode()
    )
    fixed = client.post(
        f"/imports/{job.pk}/quarantine/{wrong_type.pk}/",
        {"value": "life.summary_execution"},
        HTTP_HX_REQUEST="true",
    )
    assert fixed.status_code == 200 and "corrigée : elle est enregistrée" in fixed.content.decode()

    # without JavaScript: the form posts and the page comes back
    bankass = next(c["pcode"] for c in wrong_place.candidates if c["name"].startswith("Bankass"))
    response = client.post(f"/imports/{job.pk}/quarantine/{wrong_place.pk}/", {"pcode": bankass}, follow=True)
    assert "Ligne 4 corrigée : elle est enregistrée." in response.content.decode()

    job.refresh_from_db()
    assert (job.created, job.quarantined) == (4, 0)
    assert Incident.objects.filter(cercle__pcode=bankass).count() == 1


def test_rejected_rows_download_with_their_error_and_upload_again_once_fixed(coordinator, tmp_path):
    client = client_for(coordinator)
    _upload(client, _file(tmp_path))
    job = ImportJob.objects.get()
    import_file.call(job.pk)

    response = client.get(f"/imports/{job.pk}/rejected.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["kurukan_row"] for r in rows] == ["3", "4"]
    assert rows[0]["kurukan_error"].startswith("Ligne 3 : Colonne « violation_type »")
    rows[0]["violation_type"] = "life.summary_execution"
    rows[1]["cercle"] = "Bankass"
    fixed = tmp_path / "rejets-corriges.csv"
    with fixed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    _upload(client, fixed)
    again = ImportJob.objects.latest("pk")
    import_file.call(again.pk)
    again.refresh_from_db()
    assert again.summary_line == "created 2, updated 0, unchanged 0, quarantined 0, skipped 0"
    assert Incident.objects.count() == 4


def test_a_file_of_another_format_than_chosen_is_refused_on_its_field(coordinator):
    response = _upload(client_for(coordinator), ACLED, format="template")
    assert response.status_code == 422
    assert any("export ACLED" in e for e in field_errors(response.content, "file"))
    assert not ImportJob.objects.exists()


def test_the_page_speaks_english_when_asked(coordinator, tmp_path):
    client = client_for(coordinator)
    _upload(client, _file(tmp_path))
    job = ImportJob.objects.get()
    import_file.call(job.pk)
    page = english_client_for(coordinator).get(f"/imports/{job.pk}/").content.decode()
    assert 'Row 3: Column "violation_type": "massacre" is not a known value' in page.replace("&quot;", '"')


def test_the_template_downloads_with_its_fields_and_allowed_values(coordinator):
    response = client_for(coordinator).get("/imports/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["modele", "champs", "valeurs"]
    header = next(book["modele"].iter_rows(values_only=True))
    assert {"incident_id", "start_date", "violation_type", "region_pcode"} <= set(header)
    values = {(r[0], r[1]) for r in book["valeurs"].iter_rows(min_row=2, values_only=True)}
    assert ("violation_type", "life.summary_execution") in values
    assert ("cercle", "ML0505") in values  # Djenné
    csv_header = client_for(coordinator).get("/imports/template.csv").content.decode("utf-8-sig")
    assert csv_header.startswith("incident_id,title,start_date")


def test_imports_are_for_coordinators_of_the_organisation(monitor, cndh_monitor, coordinator, tmp_path):
    _upload(client_for(coordinator), _file(tmp_path))
    job = ImportJob.objects.get()
    assert client_for(monitor).get("/imports/").status_code == 403
    assert client_for(monitor).get(f"/imports/{job.pk}/").status_code == 403
    assert client_for(cndh_monitor).get(f"/imports/{job.pk}/rejected.csv").status_code == 403
