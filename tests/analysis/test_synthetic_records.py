"""Flat records for linkage and benchmarks, and the command line that writes them."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from kurukan.analysis.synthetic import SyntheticConfig, incident_records, people_records
from kurukan.analysis.synthetic.__main__ import main

PEOPLE_KEYS = [
    "record_id", "person_id", "report_id", "event_id", "source_org", "given_name", "family_name", "sex",
    "age", "age_estimated", "birth_year", "incident_date", "date_precision", "admin1_pcode", "admin2_pcode",
    "admin3_pcode", "settlement_pcode", "latitude", "longitude", "violation_type", "status_after",
]  # fmt: skip
INCIDENT_KEYS = [
    "report_id", "event_id", "source_org", "start_date", "end_date", "date_precision", "admin1_pcode",
    "admin2_pcode", "admin3_pcode", "settlement_pcode", "latitude", "longitude", "violation_types",
    "perpetrator_categories", "n_victims", "title",
]  # fmt: skip


def test_people_records_have_exactly_the_agreed_keys():
    rows = list(people_records(SyntheticConfig(n_events=100, seed=5)))
    assert rows and all(list(row) == PEOPLE_KEYS for row in rows)
    assert all(len(row["incident_date"]) == 10 for row in rows)


def test_incident_records_have_exactly_the_agreed_keys():
    rows = list(incident_records(SyntheticConfig(n_events=100, seed=5)))
    assert rows and all(list(row) == INCIDENT_KEYS for row in rows)
    assert all(row["violation_types"] and row["n_victims"] >= 0 for row in rows)


def test_the_cli_writes_people_and_incidents_csv(tmp_path, capsys):
    people = tmp_path / "people.csv"
    assert main(["people", "--events", "80", "--seed", "3", "--out", str(people)]) == 0
    with people.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0]) == PEOPLE_KEYS
    assert rows == [{k: "" if v is None else str(v) for k, v in r.items()} for r in people_records(
        SyntheticConfig(n_events=80, seed=3))]  # fmt: skip
    assert "people rows" in capsys.readouterr().err
    incidents = tmp_path / "incidents.csv"
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "kurukan.analysis.synthetic",
            "incidents",
            "--events",
            "40",
            "--out",
            str(incidents),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with incidents.open(encoding="utf-8") as f:
        assert next(csv.reader(f)) == INCIDENT_KEYS


def test_the_cli_rejects_an_unknown_source(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["people", "--events", "5", "--sources", "bbc", "--out", str(tmp_path / "x.csv")])
    assert exc.value.code == 2
    assert "sources" in capsys.readouterr().err


def test_the_linkage_mappings_name_real_roles_and_real_columns():
    from kurukan.analysis.linkage import INCIDENT_ROLES, PERSON_ROLES
    from kurukan.analysis.synthetic import INCIDENT_LINKAGE_COLUMNS, PEOPLE_LINKAGE_COLUMNS

    assert set(PEOPLE_LINKAGE_COLUMNS) <= set(PERSON_ROLES)
    assert set(PEOPLE_LINKAGE_COLUMNS.values()) <= set(PEOPLE_KEYS) - {"person_id", "event_id"}
    assert set(INCIDENT_LINKAGE_COLUMNS) <= set(INCIDENT_ROLES)
    assert set(INCIDENT_LINKAGE_COLUMNS.values()) <= set(INCIDENT_KEYS) - {"event_id"}
