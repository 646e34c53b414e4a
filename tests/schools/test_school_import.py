"""Importing education-cluster lists with `kurukan schools import`: idempotent, appends to histories, keeps
bad rows aside with their row, column and fix."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kurukan.audit.models import AuditEvent
from kurukan.imports.models import ImportJob
from kurukan.schools.models import School, StatusChange
from kurukan.statistics import schools as figures

DATA = Path(__file__).parent.parent / "data" / "schools"


def run(*args) -> str:
    out = io.StringIO()
    call_command("schools", "import", *args, stdout=out)
    return out.getvalue().strip()


def test_a_list_of_fifty_schools_imports_and_counts_as_by_hand(ohchr):
    summary = run(str(DATA / "cluster_list_2024-01.csv"), "--organisation", "ohchr")
    assert summary == (
        "50 lignes lues : 50 écoles ajoutées, 0 mises à jour, 50 états ajoutés, 0 inchangées, 0 en quarantaine."
    )
    with (DATA / "cluster_list_2024-01.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_hand: dict[str, int] = {}
    for row in rows:
        if row["etat"] in {"Fermée", "Occupée"}:
            by_hand[row["commune_pcode"][:4]] = by_hand.get(row["commune_pcode"][:4], 0) + 1
    table = figures.closed_on(dt.date(2024, 1, 31), "region")
    assert {r["region"]: r["value"] for r in table.rows} == by_hand
    assert School.objects.get(code="ML05-0001").commune.pcode == "ML050113"
    assert StatusChange.objects.filter(organisation=ohchr).count() == 50
    event = AuditEvent.objects.filter(action="import").latest("sequence")
    assert event.details["event"] == "import_done" and event.details["counts"]["created"] == 50


def test_re_importing_the_same_list_changes_nothing(ohchr):
    run(str(DATA / "cluster_list_2024-01.csv"), "--organisation", "ohchr")
    again = run(str(DATA / "cluster_list_2024-01.csv"), "--organisation", "ohchr")
    assert again.startswith(
        "50 lignes lues : 0 écoles ajoutées, 0 mises à jour, 0 états ajoutés, 50 inchangées"
    )
    assert School.objects.count() == 50 and StatusChange.objects.count() == 50


def test_next_months_list_appends_a_reopening_and_a_closure(ohchr):
    run(str(DATA / "cluster_list_2024-01.csv"), "--organisation", "ohchr")
    summary = run(str(DATA / "cluster_list_2024-02.csv"), "--organisation", "ohchr")
    assert "0 écoles ajoutées" in summary and "2 états ajoutés, 48 inchangées" in summary
    assert [
        s.status.code for s in StatusChange.objects.filter(school__code="ML05-0001").order_by("starts_on")
    ] == [
        "closed",
        "reopened",
    ]
    assert School.objects.closed_on(dt.date(2024, 2, 28)).filter(code="ML07-0035").exists()
    assert not School.objects.closed_on(dt.date(2024, 2, 28)).filter(code="ML05-0001").exists()


def test_bad_rows_are_kept_aside_with_row_column_and_fix(ohchr):
    with pytest.raises(CommandError, match="4 lignes en quarantaine"):
        call_command(
            "schools", "import", str(DATA / "cluster_list_bad_rows.csv"), "--organisation", "ohchr",
            stdout=io.StringIO(), stderr=(err := io.StringIO()),
        )  # fmt: skip
    problems = err.getvalue()
    assert "Ligne 2, colonne « commune » : Aucune commune n'a le P-code ML059999." in problems
    assert "Ligne 3, colonne « date_etat » : date absente ou illisible" in problems
    assert "Ligne 4, colonne « etat » : « Fermé temporairement » n'est pas un état connu" in problems
    assert "Ligne 5, colonne « eleves_filles » : « cent » n'est pas un nombre entier positif." in problems
    assert School.objects.count() == 4  # the four good rows
    job = ImportJob.objects.get(format="schools")
    assert (job.rows_read, job.created, job.quarantined) == (8, 4, 4)
    kept = {row.row_number: row for row in job.quarantine.all()}
    assert sorted(kept) == [2, 3, 4, 5]
    assert kept[2].field == "commune_pcode" and kept[2].value == "ML059999"
    assert kept[5].message_en == "Row 5, column “eleves_filles”: “cent” is not a positive whole number."


def test_an_xlsx_list_imports_like_the_csv(ohchr, tmp_path):
    book = Workbook()
    sheet = book.active
    with (DATA / "cluster_list_2024-01.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    path = tmp_path / "liste.xlsx"
    book.save(path)
    assert "50 écoles ajoutées" in run(str(path), "--organisation", "ohchr")


def test_an_unknown_organisation_is_named(ohchr):
    with pytest.raises(CommandError, match="Aucune organisation n'a le code « onu »"):
        run(str(DATA / "cluster_list_2024-01.csv"), "--organisation", "onu")
