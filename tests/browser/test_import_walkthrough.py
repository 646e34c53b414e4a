"""Issue #9's "done when", as a new user in French: upload a file with two bad rows, watch the progress, see
the quarantine's French messages, correct one row in the page, import the same file again, and find no
duplicates and the new records in the incident list.

The file comes from `UPLOADS`: the Kurukan template, and a KoboToolbox CSV export of Kurukan's XLSForm
(group names in the columns, repeats flattened as `violation[1]/…`), imported without any mapping; each
says which columns its messages name.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ENVIRONMENTS, login

pytestmark = pytest.mark.browser

MARK = "Import navigateur"
KOBO_MARK = "Soumission Kobo"  # its own words: both kinds run on the same demo server, each finds its own


def template_upload(tmp_path: Path) -> tuple[Path, str, str, str, str]:
    """Five rows, two of them bad (an unknown violation type, a misspelt cercle); the bad type, and the
    columns the two messages name."""
    rows = [
        ("B1", "2022-03-05", "Mopti", "Djenné", "life.killing_civilians", "3"),
        ("B2", "16/04/2022", "Mopti", "Bandiagara", "liberty.abduction", "1"),
        ("B3", "5 mai 2022", "Mopti", "Koro", "massacre", "2"),
        ("B4", "2022-06-01", "Mopti", "Bankas", "life.killing_civilians", "4"),
        ("B5", "2022-07-09", "Mopti", "Douentza", "integrity.torture", "1"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["incident_id", "title", "start_date", "region", "cercle", "violation_type", "victims"])
    for key, date, region, cercle, vtype, victims in rows:
        writer.writerow([key, f"{MARK} {key}", date, region, cercle, vtype, victims])
    path = tmp_path / "import-navigateur.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path, "massacre", "violation_type", "cercle", MARK


def kobo_upload(tmp_path: Path) -> tuple[Path, str, str, str, str]:
    """The same five incidents as KoboToolbox exports submissions of Kurukan's XLSForm (CSV, semicolons)."""
    rows = [
        ("B1", "2022-03-05", "Mopti", "Djenné", "life.killing_civilians", "3"),
        ("B2", "2022-04-16", "Mopti", "Bandiagara", "liberty.abduction", "1"),
        ("B3", "2022-05-05", "Mopti", "Koro", "massacre", "2"),
        ("B4", "2022-06-01", "Mopti", "Bankas", "life.killing_civilians", "4"),
        ("B5", "2022-07-09", "Mopti", "Douentza", "integrity.torture", "1"),
    ]
    header = [
        "start", "end", "incident/title", "incident/start_date", "incident/region", "incident/cercle",
        "violation[1]/violation_type", "violation[1]/group/unknown", "_id", "_uuid", "_submission_time", "_index",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for n, (key, date, region, cercle, vtype, victims) in enumerate(rows, start=1):
        writer.writerow([
            f"{date}T08:00:00.000+00:00", f"{date}T08:20:00.000+00:00", f"{KOBO_MARK} {key}", date, region, cercle,
            vtype, victims, str(100 + n), f"b0b0b0b0-0000-4000-8000-{n:012d}", f"{date}T09:00:00", str(n),
        ])  # fmt: skip
    path = tmp_path / "kurukan_incident_-_all_versions_-_False_-_2022-07-10.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path, "massacre", "violation[1]/violation_type", "incident/cercle", KOBO_MARK


UPLOADS = {"template": template_upload, "kobo": kobo_upload}


@pytest.fixture
def worker(demo_server):
    process = subprocess.Popen(
        [sys.executable, "-m", "kurukan", "db_worker", "--interval", "0.5"],
        env=ENVIRONMENTS[demo_server],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def upload(page, base_url: str, path: Path) -> None:
    page.goto(f"{base_url}/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("form button.primary")
    page.wait_for_url("**/imports/*/", timeout=180_000)  # the shared test machine can be slow


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_upload_watch_correct_reimport_and_find_the_records(demo_server, page, tmp_path, kind, request):
    path, bad_type, type_column, cercle_column, mark = UPLOADS[kind](tmp_path)
    login(page, demo_server, "verificateur")
    upload(page, demo_server, path)

    # No worker yet: after a few seconds the page says so, and how to start one.
    expect(page.get_by_text("Aucun worker n'a encore pris cette tâche")).to_be_visible(timeout=15_000)
    expect(page.locator("code", has_text="kurukan db_worker")).to_be_visible()
    request.getfixturevalue("worker")
    expect(page.get_by_text("Terminé")).to_be_visible(timeout=180_000)  # polled, then the page reloads

    summary = page.locator("table.summary")
    expect(summary).to_contain_text("5 lignes lues")
    expect(summary.locator("tr", has_text="en quarantaine")).to_contain_text("2")
    messages = page.locator(".quarantine .error")
    expect(messages).to_have_count(2)
    expect(messages.nth(0)).to_contain_text(f"Ligne 4 : Colonne « {type_column} » : « {bad_type} »")
    expect(messages.nth(0)).to_contain_text("Choisissez l'une des valeurs")
    expect(messages.nth(1)).to_contain_text(
        f"Ligne 5 : Colonne « {cercle_column} » : « Bankas » ne correspond à aucun lieu"
    )

    # Correct the violation type in the page (htmx): the row goes in at once.
    row = page.locator(".qrow").nth(0)
    row.locator("input[name=value]").fill("life.summary_execution")
    row.get_by_role("button", name="Corriger et importer la ligne").click()
    expect(page.get_by_text("Ligne 4 corrigée : elle est enregistrée.")).to_be_visible()

    # The same file again: nothing is duplicated.
    upload(page, demo_server, path)
    expect(page.get_by_text("Terminé")).to_be_visible(timeout=180_000)
    expect(page.locator("table.summary tr", has_text="créées")).to_contain_text("0")
    expect(page.locator("table.summary tr", has_text="inchangées")).to_contain_text("3")

    # The incident list shows the imported records, once each.
    page.goto(f"{demo_server}/incidents/?q={mark.replace(' ', '+')}")
    titles = page.locator("table.incidents td a").all_inner_texts()
    found = sorted(t for t in titles if t.startswith(mark))
    assert found == [f"{mark} B1", f"{mark} B2", f"{mark} B3", f"{mark} B5"], titles
    assert page.console_errors == []
