"""A partner's spreadsheet in its own layout: mapped once in the page to the template's columns, saved for
the organisation, and the next file with the same columns imports without asking."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import client_for, make_user
from kurukan.imports.models import ColumnMapping, ImportJob, QuarantinedRow
from kurukan.imports.tasks import import_file
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db

HEADER = [
    "Réf. partenaire",
    "Date de l'incident",
    "Région",
    "Cercle",
    "Type",
    "Nombre de victimes",
    "Remarque",
]


def partner_file(rows: list[list[str]], header=HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("partenaire.csv", buffer.getvalue().encode("utf-8"))


def upload(client, file):
    return client.post("/imports/", {"file": file, "confidentiality": "restricted"})


MAPPED = {
    "name": "Tableau du partenaire",
    "col_0": "incident_id",
    "col_1": "start_date",
    "col_2": "region",
    "col_3": "cercle",
    "col_4": "violation_type",
    "col_5": "victims",
    "col_6": "",
}


def test_a_partner_layout_is_mapped_once_then_recognised(coordinator, cndh):
    client = client_for(coordinator)
    first = partner_file([
        ["P-1", "16/02/2023", "Mopti", "Djenné", "life.killing_civilians", "3", "vu par deux témoins"],
        ["P-2", "2023-03-01", "Mopti", "Bandiagara", "massacre", "1", ""],
    ])  # fmt: skip
    response = upload(client, first)
    assert response.status_code == 302 and response["Location"] == "/imports/mapping/"
    page = client.get("/imports/mapping/").content.decode()
    assert "Date de l&#x27;incident" in page and "Nombre de victimes" in page
    assert '<option value="region" selected>' in page  # "Région" guessed

    incomplete = client.post("/imports/mapping/", {**MAPPED, "col_1": ""})
    assert incomplete.status_code == 422
    assert (
        "Faites correspondre une colonne à chacune des colonnes obligatoires : start_date."
        in incomplete.content.decode()
    )
    twice = client.post("/imports/mapping/", {**MAPPED, "col_6": "region"})
    assert (
        "Une colonne du modèle ne peut recevoir qu&#x27;une colonne du fichier : region."
        in twice.content.decode()
    )

    done = client.post("/imports/mapping/", MAPPED)
    job = ImportJob.objects.get()
    assert done["Location"] == f"/imports/{job.pk}/" and job.mapping.name == "Tableau du partenaire"
    import_file.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created, job.quarantined) == ("done", 1, 1)
    rejected = QuarantinedRow.objects.get(job=job)
    # The message names the column as written in the partner's file; the cell is found by the template's.
    assert "Colonne « Type » : « massacre » n'est pas une valeur connue" in rejected.message_fr
    assert "violation_type" not in rejected.message_fr and rejected.field == "violation_type"
    incident = Incident.objects.get(external_keys__key="P-1")
    assert (str(incident.start_date), incident.cercle.name, incident.victim_count) == (
        "2023-02-16",
        "Djenné",
        3,
    )

    # The next file with the same columns (any order) is imported through the saved mapping, no page asked.
    reordered = [HEADER[i] for i in (1, 0, 2, 3, 4, 5, 6)]
    again = upload(
        client,
        partner_file([["2023-05-02", "P-3", "Ségou", "Niono", "liberty.abduction", "2", ""]], reordered),
    )
    second = ImportJob.objects.latest("pk")
    assert again["Location"] == f"/imports/{second.pk}/" and second.mapping_id == job.mapping_id
    import_file.call(second.pk)
    assert Incident.objects.get(external_keys__key="P-3").cercle.name == "Niono"
    assert ColumnMapping.objects.count() == 1

    # Forgotten from the job's page: the same columns ask again.
    page = client.get(f"/imports/{second.pk}/").content.decode()
    assert "Tableau du partenaire" in page and "Oublier cette correspondance" in page
    forgotten = client.post(f"/imports/mapping/{job.mapping_id}/forget/", follow=True).content.decode()
    assert "Correspondance oubliée : le prochain fichier avec ces colonnes demandera" in forgotten
    assert not ColumnMapping.objects.exists()
    assert (
        upload(
            client, partner_file([["P-4", "2023-01-01", "Mopti", "Koro", "life.killing_civilians", "1", ""]])
        )["Location"]
        == "/imports/mapping/"
    )

    # Another organisation's mapping is its own.
    other = client_for(make_user("coord-cndh", "coordinator", cndh))
    assert (
        upload(
            other, partner_file([["P-9", "2023-01-01", "Mopti", "Koro", "life.killing_civilians", "1", ""]])
        )["Location"]
        == "/imports/mapping/"
    )


def test_without_a_pending_file_the_mapping_page_sends_back_to_the_upload(coordinator, monitor):
    response = client_for(coordinator).get("/imports/mapping/", follow=True)
    assert "Aucun fichier en attente de correspondance : importez-le de nouveau." in response.content.decode()
    assert client_for(monitor).get("/imports/mapping/").status_code == 403


def test_the_upload_form_detects_the_format_unless_one_is_chosen(coordinator):
    """A browser posts the select's first option: it must be "detect", or every file is read as a template
    (and a partner's layout never reaches the mapping page)."""
    page = client_for(coordinator).get("/imports/").content.decode()
    select = page[page.index('<select name="format"') :]
    first = select[select.index("<option") : select.index("</option>")]
    assert 'value=""' in first and "Détecter d&#x27;après les colonnes" in first
