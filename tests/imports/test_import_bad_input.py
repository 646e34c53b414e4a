"""The bad input of issue #9, each through the command line: a clear message naming row, field and fix."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management.base import CommandError
from import_builders import TEMPLATE_HEADER, run_import, template_row, write_csv

from kurukan.imports.models import ImportJob, QuarantinedRow
from kurukan.incidents.models import Incident

pytestmark = pytest.mark.django_db


def _last(out: str) -> str:
    return out.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("latin-1", ","), ("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ";")],
)
def test_encodings_and_separators_people_send_are_read(ohchr, tmp_path, encoding, separator):
    path = write_csv(
        tmp_path / "t.csv",
        [template_row("E1", title="Exécution à Ségou", region="Ségou", cercle="Niono")],
        separator=separator,
        encoding=encoding,
    )
    out, _ = run_import(path, "--organisation", "ohchr")
    assert _last(out) == "created 1, updated 0, unchanged 0, quarantined 0, skipped 0"
    incident = Incident.objects.get()
    assert incident.title == "Exécution à Ségou" and incident.cercle.name == "Niono"


def test_dates_in_the_forms_people_write_them(ohchr, tmp_path):
    forms = ["2023-02-16", "16/02/2023", "16 février 2023", "16 February 2023", "44973"]
    rows = [template_row(f"D{i}", start_date=value) for i, value in enumerate(forms)]
    out, _ = run_import(write_csv(tmp_path / "d.csv", rows), "--organisation", "ohchr")
    assert _last(out).startswith("created 5,")
    assert set(Incident.objects.values_list("start_date", flat=True)) == {
        __import__("datetime").date(2023, 2, 16)
    }


def test_an_empty_file_and_a_header_only_file_say_so(ohchr, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Le fichier est vide"):
        run_import(empty, "--organisation", "ohchr")
    header_only = write_csv(tmp_path / "header.csv", [])
    with pytest.raises(CommandError, match="ne contient que la ligne d'en-tête"):
        run_import(header_only, "--organisation", "ohchr")


def test_unknown_values_and_ragged_rows_go_to_quarantine_naming_row_field_and_fix(ohchr, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [template_row("U1", violation_type="massacre"), template_row("U2")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("U3,Trop court,2022-05-10\n")
        handle.write("U4,Trop long,2022-05-10,Mopti,Djenné,,life.killing_civilians,,,,,,,,2,extra\n")
    out, summary = run_import(path, "--organisation", "ohchr", "--json")

    assert summary["created"] == 1 and summary["quarantined"] == 3
    rows = {q.row_number: q for q in QuarantinedRow.objects.all()}
    assert rows[2].field == "violation_type"
    assert rows[2].message_fr.startswith(
        "Ligne 2 : Colonne « violation_type » : « massacre » n'est pas une valeur"
    )
    assert rows[2].message_en.startswith('Row 2: Column "violation_type": "massacre" is not a known value')
    assert "3 cellules mais l'en-tête 15 colonnes" in rows[4].message_fr
    assert "16 cellules" in rows[5].message_fr
    assert json.loads(rows[5].values)["(16)"] == "extra"  # nothing of the row is lost


def test_the_quarantine_is_encrypted_at_rest(ohchr, tmp_path):
    from django.db import connection

    path = write_csv(
        tmp_path / "q.csv", [template_row("Q1", victim_given_name="Aminata", cercle="Nullepart")]
    )
    run_import(path, "--organisation", "ohchr")
    with connection.cursor() as cursor:
        cursor.execute("SELECT values, message_fr FROM imports_quarantinedrow".replace("values", '"values"'))
        stored = " ".join(cursor.fetchone())
    assert "Aminata" not in stored and "Nullepart" not in stored


def test_duplicated_rows_inside_one_file_make_one_incident(ohchr, tmp_path):
    row = template_row("DUP")
    other = template_row("SOLO", cercle="Bandiagara")
    out, summary = run_import(
        write_csv(tmp_path / "dup.csv", [row, other, row]), "--organisation", "ohchr", "--json"
    )
    assert (summary["created"], summary["unchanged"]) == (2, 1)
    assert Incident.objects.count() == 2


def test_rows_without_an_id_are_found_again_by_their_content(ohchr, tmp_path):
    rows = [template_row(""), template_row("", cercle="Bandiagara")]
    path = write_csv(tmp_path / "noid.csv", rows)
    run_import(path, "--organisation", "ohchr")
    out, _ = run_import(path, "--organisation", "ohchr")
    assert _last(out) == "created 0, updated 0, unchanged 2, quarantined 0, skipped 0"


def test_formula_injection_is_stored_as_text(ohchr, tmp_path):
    formula = '=HYPERLINK("http://evil.example","clic")'
    run_import(write_csv(tmp_path / "f.csv", [template_row("F1", title=formula)]), "--organisation", "ohchr")
    assert Incident.objects.get().title == formula


def _xlsx(rows: list[dict]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(TEMPLATE_HEADER)
    for row in rows:
        sheet.append([row.get(name, "") for name in TEMPLATE_HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_template_imports_and_a_truncated_one_is_refused(ohchr, tmp_path):
    content = _xlsx([template_row("X1"), template_row("X2", start_date="16 février 2023")])
    good = tmp_path / "good.xlsx"
    good.write_bytes(content)
    out, _ = run_import(good, "--organisation", "ohchr")
    assert _last(out).startswith("created 2,")

    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(content[: len(content) // 2])
    with pytest.raises(CommandError, match="incomplet ou endommagé"):
        run_import(truncated, "--organisation", "ohchr")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(ohchr, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB packed
                part.write(block)
    with pytest.raises(CommandError, match="bombe zip"):
        run_import(bomb, "--organisation", "ohchr")
    assert not ImportJob.objects.exists() or ImportJob.objects.get().status == "failed"


@pytest.mark.slow
def test_a_200_mb_file_is_copied_and_read_streamed_never_whole(tmp_path, settings):
    import tracemalloc

    from kurukan.imports.actions import copy_file
    from kurukan.imports.reading import open_table

    settings.DATA_DIR = tmp_path / "data"
    row = ",".join(template_row("S", title="x" * 150).get(c, "") for c in TEMPLATE_HEADER) + "\n"
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(TEMPLATE_HEADER) + "\n")
        for _ in range(200 * 1024 * 1024 // len(row) + 1):
            handle.write(row)
    assert path.stat().st_size > 200 * 1024 * 1024

    tracemalloc.start()
    copy = copy_file(path)
    sheet = open_table(copy)
    rows = sum(1 for _row in sheet.rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert rows == 200 * 1024 * 1024 // len(row) + 1
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB held while reading a 200 MB file"
