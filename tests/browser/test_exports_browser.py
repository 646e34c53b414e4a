"""Exporting from the incident list as a user does: filter, open the export menu, download, open the file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser


def test_export_the_list_filtered_to_mopti_2022_as_xlsx(demo_server, page, tmp_path):
    login(page, demo_server, "monitor")
    page.select_option("#id_region", label="Mopti")
    page.fill("#id_date_from", "2022-01-01")
    page.fill("#id_date_to", "2022-12-31")
    page.click("form.filters button.primary")
    expect(page).to_have_url(re.compile(r"region=\d+"))
    shown = set(page.locator("table.incidents td[data-label='Identifiant']").all_inner_texts())
    count = int(re.sub(r"\D", "", page.locator("#incident-count").inner_text()))
    assert shown, "the demo data has incidents in Mopti in 2022"

    page.click("text=Exporter ces incidents")
    with page.expect_download() as download_info:
        page.locator("details.exports li").first.get_by_role("link", name="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("kurukan-incidents-")
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    sheet = load_workbook(target, read_only=True).active
    header, *rows = list(sheet.values)
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert len(records) == count  # every incident of the list, not a page of it
    assert shown <= {r["public_id"] for r in records}
    assert {r["region_pcode"] for r in records} == {"ML05"}
    for record in records:
        start = record["start_date"].date()
        end = record["end_date"].date() if record["end_date"] else start
        assert start <= dt.date(2022, 12, 31) and end >= dt.date(2022, 1, 1)
        assert isinstance(record["victims"], int) and isinstance(record["children"], int)
    assert page.console_errors == []


def test_the_victims_export_asks_for_a_reason_on_screen(demo_server, page):
    login(page, demo_server, "monitor")
    page.click("text=Exporter ces incidents")
    page.click("text=Choisir le format et indiquer le motif")
    page.fill("#id_reason", "non")
    page.click("text=Télécharger")
    expect(page.locator("p.error")).to_contain_text("indiquez pourquoi vous en avez besoin")
    page.fill("#id_reason", "Liste transmise au pôle judiciaire spécialisé")
    page.select_option("#id_format", "csv")
    with page.expect_download() as download_info:
        page.click("text=Télécharger")
    assert download_info.value.suggested_filename.endswith(".csv")
    assert page.console_errors == []
