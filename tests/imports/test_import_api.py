"""The import API: upload a file to a job, follow it, read its quarantine; errors as JSON with their field."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from import_builders import ACLED, template_row, write_csv

from conftest import client_for
from kurukan.imports.models import ImportJob
from kurukan.imports.tasks import import_file

pytestmark = pytest.mark.django_db


def test_upload_follow_and_read_the_quarantine(coordinator, tmp_path):
    path = write_csv(tmp_path / "api.csv", [template_row("A1"), template_row("A2", start_date="31/02/2023")])
    client = client_for(coordinator)

    response = client.post("/api/imports", {"file": SimpleUploadedFile("api.csv", path.read_bytes())})

    assert response.status_code == 202, response.content
    job = response.json()
    assert (job["status"], job["format"], job["confidentiality"]) == ("queued", "template", "restricted")
    import_file.call(job["id"])
    done = client.get(f"/api/imports/{job['id']}").json()
    assert (done["status"], done["created"], done["quarantined"], done["rows_read"]) == ("done", 1, 1, 2)
    rows = client.get(f"/api/imports/{job['id']}/quarantine").json()
    assert rows[0]["row"] == 3 and rows[0]["field"] == "start_date"
    assert rows[0]["message"].startswith("Ligne 3 : Colonne « start_date » : « 31/02/2023 »")
    assert rows[0]["values"]["incident_id"] == "A2"


def test_bad_uploads_answer_422_naming_the_field(coordinator):
    client = client_for(coordinator)
    missing = client.post("/api/imports", {"format": "template"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "file"
    wrong = client.post(
        "/api/imports", {"file": SimpleUploadedFile("acled.csv", ACLED.read_bytes()), "format": "template"}
    )
    assert wrong.status_code == 422
    assert "export ACLED" in wrong.json()["errors"][0]["message"]
    assert not ImportJob.objects.exists()


def test_another_organisation_cannot_follow_the_job(coordinator, cndh_monitor, cndh, tmp_path):
    from conftest import make_user

    path = write_csv(tmp_path / "api.csv", [template_row("A1")])
    job = (
        client_for(coordinator)
        .post("/api/imports", {"file": SimpleUploadedFile("a.csv", path.read_bytes())})
        .json()
    )
    other = make_user("coord-cndh", "coordinator", cndh)
    assert client_for(other).get(f"/api/imports/{job['id']}").status_code == 404
    assert client_for(cndh_monitor).get(f"/api/imports/{job['id']}/quarantine").status_code == 403
