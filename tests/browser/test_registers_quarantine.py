"""A schools list with bad rows, in French, as a monitor meets it: the import's page names each refused row
with its column and fix, a row is corrected in the quarantine page (htmx), and the school enters the
register; then a wrong status entry is corrected from the school's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser

BAD = Path(__file__).parent.parent / "data" / "schools" / "cluster_list_bad_rows.csv"


def test_a_bad_row_is_corrected_in_the_quarantine_and_an_entry_corrected_on_the_school_page(
    demo_server, page, tmp_path
):
    # Codes of their own: the walk-through of test_schools.py imports the same schools on the same server.
    own = tmp_path / "liste-avec-erreurs.csv"
    own.write_text(BAD.read_text(encoding="utf-8").replace("\nML05-", "\nQT05-"), encoding="utf-8")
    login(page, demo_server, "monitor")
    page.goto(f"{demo_server}/schools/import/")
    page.set_input_files("#id_file", str(own))
    page.click("form.card button.primary")
    page.wait_for_url("**/imports/*/")
    expect(page.locator("#import-status .stage")).to_contain_text("4 en quarantaine.")
    row = page.locator("li.qrow", has_text="Ligne 5, colonne « eleves_filles »")
    expect(row).to_contain_text("« cent » n'est pas un nombre entier positif.")

    row.locator("input[name=value]").fill("110")
    with page.expect_response(lambda response: response.request.method == "POST"):
        row.locator("button").click()
    expect(page.locator("li.qrow p.success")).to_have_text("Ligne 5 corrigée : elle est enregistrée.")

    code = "QT05-9004"
    page.goto(f"{demo_server}/schools/?q={code}")
    expect(page.locator("body")).to_contain_text(code)
    page.goto(f"{demo_server}/schools/{code}/")
    page.click("text=Corriger cette entrée")
    page.fill("#id_starts_on", "2019-03-02")  # still closed on the dates test_schools.py counts
    page.fill("#id_correction_reason", "date mal saisie")
    page.click("form.card button.primary")
    expect(page.locator(".messages")).to_contain_text("corrigée ; sa version précédente est gardée.")
    expect(page.locator("ol.timeline")).to_contain_text("02/03/2019")
    assert page.console_errors == []
