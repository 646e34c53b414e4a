"""HXL-tagged files: the hashtag row below human header rows, attributes in any order, victims from #affected."""

from __future__ import annotations

import io

import openpyxl
import pytest
from import_builders import run_import

from kurukan.imports.models import ImportJob
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db

ROWS = [
    ["Rapport mensuel", "", "", "", "", "", "", ""],
    ["Identifiant", "Date", "Région", "Cercle", "Type", "Femmes", "Hommes", "Filles"],
    ["#event +id", "#date+occurred", "#adm1+name", "#adm2", "#event+type+code", "#affected+f+adults",
     "#affected+adults+m", "#affected+f+children"],
    ["H1", "16 février 2023", "Mopti", "Djenne", "life.killing_civilians", "1", "2", "1"],
    ["H2", "2023-03-01", "Segou", "Niono", "massacre", "", "1", ""],
]  # fmt: skip


def test_an_hxl_csv_with_header_rows_above_the_hashtags_imports(ohchr, tmp_path):
    path = tmp_path / "hxl.csv"
    path.write_text("\n".join(",".join(row) for row in ROWS) + "\n", encoding="utf-8")

    out, summary = run_import(path, "--organisation", "ohchr", "--json")

    assert ImportJob.objects.get().format == "hxl"  # detected from the hashtag row
    assert (summary["created"], summary["quarantined"]) == (1, 1)
    incident = Incident.objects.get()
    assert incident.cercle.name == "Djenné" and incident.victim_count == 4
    assert incident.external_ids == {"hxl": "H1"}
    message = ImportJob.objects.get().quarantine.get().message_fr
    assert message.startswith("Ligne 5 : Colonne « violation_type » : « massacre »")
    _, again = run_import(path, "--organisation", "ohchr", "--json")
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_an_hxl_xlsx_imports_too(ohchr, tmp_path):
    book = openpyxl.Workbook()
    for row in ROWS[:4]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "hxl.xlsx"
    path.write_bytes(buffer.getvalue())
    out, _ = run_import(path, "--organisation", "ohchr", "--format", "hxl")
    assert out.strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, quarantined 0, skipped 0"
