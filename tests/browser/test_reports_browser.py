"""Issue #14's "done when", as a new user in French: ask for the periodic report for 2023 on the demo data,
watch the job, read that the data is unchanged, download the file and find the report's numbers in it.

The PDF is asked for when WeasyPrint is installed; on a server without it the form says so on the format
field, and the same walk-through asks for the DOCX."""

from __future__ import annotations

import subprocess
import sys

import docx
import pytest
from playwright.sync_api import expect

from kurukan.reports.documents import missing_renderer

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
    file_format = "pdf"
    if missing_renderer("pdf"):
        expect(page.locator("p.error")).to_contain_text("WeasyPrint n'est pas installé")
        page.select_option("#id_file_format", "docx")
        page.click("form button.primary")
        file_format = "docx"
    page.wait_for_url("**/reports/*/")
    expect(page.get_by_text("Terminé")).to_be_visible(timeout=90_000)  # polled, then the page reloads
    expect(page.get_by_role("status").filter(has_text="Données inchangées depuis ce rapport")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kurukan-periodic-20230101-20231231-")
    assert download.suggested_filename.endswith(f".{file_format}")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    if file_format == "docx":
        document = docx.Document(str(target))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Rapport périodique sur la situation des droits humains au Mali" in text
        assert "du 1 janvier 2023 au 31 décembre 2023" in text
        headline = document.tables[0]
        assert [c.text for c in headline.rows[0].cells][:3] == ["Mesure", "Période précédente", "Période"]
    else:
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Rapport périodique" in text
    # The refused PDF form answers 422 (the browser logs that status); nothing else may go wrong.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
