"""Coordinates are checked against the place the row names: a point outside that commune (or cercle) goes to
quarantine with a message naming the row, the column and the fix; corrected in the page, the row goes in."""

from __future__ import annotations

import csv

import pytest
from import_builders import ACLED, run_import

from conftest import client_for
from kurukan.imports.models import ImportJob, QuarantinedRow
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _acled(tmp_path, **changes) -> object:
    with ACLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = {**rows[0], **changes}  # KRK0001: Djenne (Mopti), at 13.906 / -4.553
    path = tmp_path / "acled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(first)
    return path


def test_a_point_inside_the_named_commune_goes_in(ohchr, tmp_path):
    _out, summary = run_import(_acled(tmp_path), "--organisation", "ohchr", "--json")
    assert (summary["created"], summary["quarantined"]) == (1, 0)


def test_a_point_outside_the_named_commune_is_quarantined_and_corrected_in_the_page(
    ohchr, coordinator, tmp_path
):
    path = _acled(tmp_path, latitude="16.27", longitude="-0.04")  # Gao, far from Djenné
    _out, summary = run_import(path, "--organisation", "ohchr", "--json", "--user", coordinator.username)
    assert (summary["created"], summary["quarantined"]) == (0, 1)
    row = QuarantinedRow.objects.get()
    assert (row.row_number, row.field, row.value) == (2, "latitude", "16.27, -0.04")
    assert row.message_fr.startswith(
        "Ligne 2 : Colonne « latitude » : le point (16.27, -0.04) est hors de Djenné, le lieu nommé dans la "
        "ligne. Corrigez les coordonnées"
    )
    assert row.message_en.startswith('Row 2: Column "latitude": the point (16.27, -0.04) is outside Djenné')

    job = ImportJob.objects.get()
    client = client_for(coordinator)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "est hors de Djenné" in page
    still = client.post(f"/imports/{job.pk}/quarantine/{row.pk}/", {"value": "16.0"}, follow=True)
    assert "est hors de Djenné" in still.content.decode()  # still outside: stays, with the message
    client.post(f"/imports/{job.pk}/quarantine/{row.pk}/", {"value": "13.906, -4.553"})  # as in the message
    row.refresh_from_db()
    assert row.resolved_at is not None
    incident = Incident.objects.get(external_keys__key="KRK0001")
    assert (incident.latitude, incident.longitude, incident.commune.name) == (13.906, -4.553, "Djenné")
