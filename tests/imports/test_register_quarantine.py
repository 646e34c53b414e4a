"""Registers (schools lists, recommendation tables) through the intake machinery: their rejected rows wait in
the job's quarantine and are corrected in the quarantine page, by those who may import that register only."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import client_for, make_user
from kurukan.accounts.models import Role
from kurukan.audit.models import AuditEvent
from kurukan.imports.models import ImportJob
from kurukan.imports.tasks import import_file
from kurukan.recommendations import parsing
from kurukan.recommendations.models import Recommendation
from kurukan.schools.models import School, StatusChange

pytestmark = pytest.mark.django_db
SCHOOLS = Path(__file__).parent.parent / "data" / "schools"
UPR = Path(parsing.__file__).parent / "data" / "mali_upr_recommendations_cycle1_2008_cycle2_2013.csv"


def _schools_job(monitor) -> ImportJob:
    client = client_for(monitor)
    upload = SimpleUploadedFile("liste.csv", (SCHOOLS / "cluster_list_bad_rows.csv").read_bytes())
    response = client.post("/schools/import/", {"file": upload})
    job = ImportJob.objects.get(format="schools")
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    return job


def test_a_monitor_corrects_a_schools_row_in_the_quarantine_page(monitor):
    job = _schools_job(monitor)
    client = client_for(monitor)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Terminé" in page and "8 lignes lues" in page
    assert "Ligne 5, colonne « eleves_filles » : « cent » n&#x27;est pas un nombre entier positif." in page
    row = job.quarantine.get(row_number=5)
    still = client.post(
        f"/imports/{job.pk}/quarantine/{row.pk}/", {"value": "cent dix"}, HTTP_HX_REQUEST="true"
    )
    assert (
        still.status_code == 422
        and "« cent dix » n&#x27;est pas un nombre entier positif" in still.content.decode()
    )
    fixed = client.post(f"/imports/{job.pk}/quarantine/{row.pk}/", {"value": "110"}, follow=True)
    assert "Ligne 5 corrigée : elle est enregistrée." in fixed.content.decode()
    job.refresh_from_db()
    assert (job.created, job.quarantined) == (5, 3)
    row.refresh_from_db()
    school = School.objects.get(code=csv_code(5))
    assert school.pupils_girls == 110 and row.resolved_by == monitor
    assert AuditEvent.objects.filter(action="import", details__event="quarantine_corrected").exists()


def csv_code(row_number: int) -> str:
    with (SCHOOLS / "cluster_list_bad_rows.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))[row_number - 1][0]


def test_a_row_that_contradicts_a_schools_history_waits_in_quarantine_whole(monitor, tmp_path):
    header, first = (SCHOOLS / "cluster_list_2024-01.csv").read_text(encoding="utf-8").splitlines()[:2]
    again = (
        first.replace(",Fermée,", ",Rouverte,")
        .replace("Menace directe", "")
        .replace("Mandio,", "Mandio-Centre,", 1)
    )
    path = tmp_path / "liste.csv"
    path.write_text(f"{header}\n{first}\n{first.replace('ML05-0001', 'ML05-7777')}\n", encoding="utf-8")
    from kurukan.schools.intake import import_schools

    import_schools(path, user=monitor)
    # the same day, now said reopened, with a new name: neither the name nor the status go in
    path.write_text(f"{header}\n{again}\n", encoding="utf-8")
    job = import_schools(path, user=monitor)
    assert (job.quarantined, job.updated) == (1, 0)
    row = job.quarantine.get()
    assert row.field == "date_etat" and "l'entrée n°" in row.message_fr and "entry no." in row.message_en
    assert School.objects.get(code="ML05-0001").name == "École fondamentale second cycle de Mandio"
    assert StatusChange.objects.filter(school__code="ML05-0001").count() == 1
    # corrected to a later date, the whole row goes in: the reopening and the new name
    client_for(monitor).post(f"/imports/{job.pk}/quarantine/{row.pk}/", {"value": "2023-10-02"})
    assert School.objects.get(code="ML05-0001").name == "École fondamentale second cycle de Mandio-Centre"
    assert StatusChange.objects.filter(school__code="ML05-0001").count() == 2
    job.refresh_from_db()
    assert (job.updated, job.quarantined) == (1, 0)


def test_a_recommendations_table_keeps_its_bad_rows_in_a_job_of_no_organisation(coordinator, tmp_path):
    rows = list(csv.reader(UPR.open(encoding="utf-8")))
    rows[2][7] = ""  # blank text
    rows[3][10] = "peut-être"  # unknown response
    path = tmp_path / "upr.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    client = client_for(coordinator)
    response = client.post(
        "/recommendations/import/",
        {"kind": "table", "file": SimpleUploadedFile("upr.csv", path.read_bytes())},
    )
    job = ImportJob.objects.get(format="recommendations")
    assert job.organisation is None and (job.created, job.quarantined) == (191, 2)
    assert f"/imports/{job.pk}/" in response.content.decode()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Ligne 3, colonne « recommendation_text » : vide." in page
    assert "Ligne 4, colonne « response » : réponse « peut-être » inconnue." in page
    blank = job.quarantine.get(row_number=3)
    fixed = client.post(
        f"/imports/{job.pk}/quarantine/{blank.pk}/",
        {"value": "Ratify the Optional Protocol to the Convention against Torture (Denmark);"},
        HTTP_HX_REQUEST="true",
    )
    assert fixed.status_code == 200 and "corrigée" in fixed.content.decode()
    assert Recommendation.objects.count() == 192
    job.refresh_from_db()
    assert (job.created, job.quarantined, job.rows_read) == (192, 1, 193)


def test_register_jobs_are_read_by_those_who_import_that_register(
    monitor, coordinator, ohchr, cndh, focal_point
):
    schools = _schools_job(monitor)
    recommendations = ImportJob.objects.create(organisation=None, format="recommendations", filename="u.csv")
    incidents = ImportJob.objects.create(organisation=ohchr, format="template", filename="t.csv")
    other_monitor = make_user("autre-moniteur", Role.MONITOR, cndh)
    other_coordinator = make_user("autre-coordinateur", Role.COORDINATOR, cndh)
    expected = {
        (monitor, schools): 200,
        (monitor, recommendations): 403,  # a monitor does not manage recommendations
        (monitor, incidents): 403,  # nor import incidents
        (coordinator, schools): 200,
        (coordinator, recommendations): 200,
        (other_monitor, schools): 403,
        (other_coordinator, schools): 404,  # another organisation's list
        (other_coordinator, recommendations): 200,  # no organisation's: every manager's
        (focal_point, recommendations): 403,
        (focal_point, schools): 403,
    }
    for (user, job), status in expected.items():
        assert client_for(user).get(f"/imports/{job.pk}/").status_code == status, (user.username, job.format)


def test_an_interrupted_schools_job_resumes_through_the_worker_task(monitor, tmp_path):
    from kurukan.imports.actions import copy_file
    from kurukan.schools import intake

    job = intake.start_job(
        copy_file(SCHOOLS / "cluster_list_2024-01.csv"), "l.csv", monitor.organisation, monitor
    )
    assert import_file.call(job.pk) == "done"
    job.refresh_from_db()
    assert (job.rows_read, job.created) == (50, 50) and job.stage.startswith("50 lignes lues")


def test_the_import_pages_list_their_recent_jobs_to_come_back_to_the_quarantine(monitor, coordinator):
    job = _schools_job(monitor)
    page = client_for(monitor).get("/schools/import/").content.decode()
    assert f'href="/imports/{job.pk}/"' in page and "liste.csv" in page
    assert (
        f'href="/imports/{job.pk}/"'
        not in client_for(coordinator).get("/recommendations/import/").content.decode()
    )
