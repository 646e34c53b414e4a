"""Files in the shapes people send, written by the tests (never real ACLED rows), and a command-line runner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.core.management import call_command

DATA = Path(__file__).parent / "data"
ACLED = DATA / "acled_mali_synthetic.csv"  # our own rows in ACLED's 31-column export shape

TEMPLATE_HEADER = [
    "incident_id", "title", "start_date", "region", "cercle", "commune", "violation_type",
    "verification_status", "perpetrator_categories", "victim_given_name", "victim_family_name", "victim_sex",
    "victim_age", "victim_status", "victims",
]  # fmt: skip


def template_row(incident_id: str = "T1", **values) -> dict:
    row = {
        "incident_id": incident_id,
        "title": f"Incident {incident_id}",
        "start_date": "2022-05-10",
        "region": "Mopti",
        "cercle": "Djenné",
        "violation_type": "life.killing_civilians",
        "verification_status": "reported",
        "victims": "2",
    }
    row.update(values)
    return row


def write_csv(path: Path, rows: list[dict], *, header=None, separator=",", encoding="utf-8") -> Path:
    header = header or TEMPLATE_HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=separator, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run_import(*args: str) -> tuple[str, dict | None]:
    """`kurukan import …` as a user runs it: (stdout, the --json object when asked)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *[str(a) for a in args], stdout=out, stderr=err)
    text = out.getvalue()
    return text, json.loads(text.strip().splitlines()[-1]) if "--json" in args else None
