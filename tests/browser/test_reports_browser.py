"""Issue #14's "done when", as a new user in French: ask for the periodic report for 2023 on the demo data as
a PDF, watch the job, read that the data is unchanged, download the PDF and find the report's numbers in it
(pdftotext), on A4 pages with the DejaVu font."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import ENVIRONMENTS, login

pytestmark = pytest.mark.browser


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


def test_generate_the_periodic_report_for_2023_in_french_and_download_it(demo_server, page, tmp_path, worker):
    login(page, demo_server, "verificateur")
    page.click("header nav >> text=Rapports")
    expect(page.get_by_role("heading", name="Rapports", exact=True)).to_be_visible()
    page.select_option("#id_kind", "periodic")
    page.fill("#id_date_from", "2023-01-01")
    page.fill("#id_date_to", "2023-12-31")
    page.select_option("#id_language", "fr")
    page.select_option("#id_file_format", "pdf")
    page.click("form button.primary")
    page.wait_for_url("**/reports/*/")
    expect(page.get_by_text("Terminé")).to_be_visible(timeout=90_000)  # polled, then the page reloads
    expect(page.get_by_role("status").filter(has_text="Données inchangées depuis ce rapport")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kurukan-periodic-20230101-20231231-")
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    raw = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    )
    grouped = re.sub(r"(?<=\d)[\u202f\xa0](?=\d{3})", "", raw.stdout)  # Babel's French thousands
    text = " ".join(grouped.replace("\u202f", " ").split())
    assert "Rapport périodique sur la situation des droits humains au Mali" in text
    assert "du 1 janvier 2023 au 31 décembre 2023" in text and "Table des matières" in text

    # The key figures are what the statistics count for the same user (the demo's own database), for 2023 and
    # for the period before it, 2022, which the report compares it with.
    def victims(year: int) -> int:
        counted = subprocess.run(
            [sys.executable, "-m", "kurukan", "statistics", "--measure", "victims", "--json",
             "--from", f"{year}-01-01", "--to", f"{year}-12-31", "--user", "verificateur"],
            env=ENVIRONMENTS[demo_server], capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return json.loads(counted)["total"]

    before, now = victims(2022), victims(2023)
    assert before > 0 and re.search(rf"\bVictimes {before} {now} [+−-]?\d+", text), (before, now)
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts
    assert page.console_errors == []


def test_two_regions_on_the_form_and_a_bulletin_refused_for_them_on_screen(demo_server, page):
    """Regions are tick boxes: two of them name the report "Régions de Mopti et Ségou"; the public bulletin,
    which is all of Mali, refuses them with a message next to the field."""
    login(page, demo_server, "verificateur")
    page.goto(f"{demo_server}/reports/")
    page.select_option("#id_kind", "bulletin")
    page.fill("#id_date_from", "2023-01-01")
    page.fill("#id_date_to", "2023-12-31")
    page.select_option("#id_file_format", "xlsx")
    page.get_by_label("Mopti", exact=True).check()
    page.get_by_label("Ségou", exact=True).check()
    page.click("form button.primary")
    error = page.locator(".field.has-error .error")
    expect(error).to_contain_text("Le bulletin public donne les chiffres publics de tout le Mali")
    expect(page.get_by_label("Mopti", exact=True)).to_be_checked()  # the choice is kept, to be unticked

    page.select_option("#id_kind", "periodic")
    page.click("form button.primary")
    page.wait_for_url("**/reports/*/")
    expect(page.locator("dl.facts")).to_contain_text("Régions de Mopti et Ségou")
    assert [e for e in page.console_errors if "status of 422" not in e] == []  # the refused form's answer
