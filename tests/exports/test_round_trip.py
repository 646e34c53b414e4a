"""A round trip: the violation export, imported as a template file, gives the same counts by region and type."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from conftest import make_incident
from kurukan.incidents.models import GroupVictims
from kurukan.statistics.counting import Filters, Scope, table


@pytest.mark.slow  # an export, then a whole import job
def test_exported_violations_import_back_with_equal_counts(monitor, cndh, tmp_path):
    make_incident(monitor, title="Exécution à Bankass", group_size=2)
    detention = make_incident(monitor, commune="ML040501", violation_type="liberty.arbitrary_detention")
    GroupVictims.objects.create(violation=detention.violations.get(), women=3)
    make_incident(
        monitor, title="Enlèvement", violation_type="liberty.abduction", victim_name=None, group_size=5
    )
    exported = tmp_path / "violations.csv"
    call_command("export", "violations", "--output", str(exported))

    out = io.StringIO()
    call_command(
        "import", str(exported), "--format", "template", "--organisation", cndh.code, "--json", stdout=out
    )
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (summary["created"], summary["quarantined"]) == (3, 0)

    for measure in ("violations", "victims"):
        counts = {}
        for organisation in (monitor.organisation, cndh):
            figures = table(
                measure,
                by=["region", "violation_type"],
                filters=Filters(level="reported", organisation=organisation),
                scope=Scope.everything(),
            )
            counts[organisation.code] = {(r["region"], r["violation_type"]): r["value"] for r in figures.rows}
        assert counts[monitor.organisation.code] == counts[cndh.code], measure
