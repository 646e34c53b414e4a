"""ACLED in: every row accounted for, each violation placed to at least its cercle, re-import creates nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from import_builders import ACLED, run_import

from kurukan.imports.models import ExternalId, ImportJob
from kurukan.incidents.models import Incident, Violation

pytestmark = pytest.mark.django_db


def test_an_acled_file_imports_with_every_row_accounted_for_and_placed(ohchr):
    out, summary = run_import(ACLED, "--organisation", "ohchr", "--json")

    # 10 rows: a battle, a peaceful protest and a base established are not violations or abuses
    assert {k: summary[k] for k in ("created", "updated", "unchanged", "quarantined", "skipped")} == {
        "created": 7, "updated": 0, "unchanged": 0, "quarantined": 0, "skipped": 3,
    }  # fmt: skip
    job = ImportJob.objects.get(pk=summary["job"])
    assert job.skipped_reasons == {"acled_battle": 1, "acled_protest": 1, "acled_strategic": 1}
    incidents = Incident.objects.filter(external_keys__source="acled")
    assert incidents.count() == 7
    assert not incidents.filter(cercle__isnull=True).exists()
    by_key = {
        e.key: e.incident for e in ExternalId.objects.select_related("incident__cercle", "incident__region")
    }
    assert by_key["KRK0001"].cercle.name == "Djenné"  # "Djenne" in the file
    assert by_key["KRK0002"].cercle.name == "Niafunké"
    assert by_key["KRK0003"].cercle.name == "Diré"
    assert by_key["KRK0004"].cercle.pcode == "ML0704"  # admin1 Ménaka (2016) → the Ménaka cercle of Gao
    assert by_key["KRK0005"].cercle.pcode == "ML0601"  # admin1 Taoudénit, location Ber → Tombouctou cercle
    assert by_key["KRK0001"].confidentiality == "restricted"  # the default at import


def test_acled_rows_map_to_violation_types_perpetrators_and_victims_killed(ohchr):
    run_import(ACLED, "--organisation", "ohchr")

    def violation(key):
        return Violation.objects.select_related("type").get(incident__external_keys__key=key)

    attack = violation("KRK0004")
    assert attack.type.code == "life.killing_civilians"
    group = attack.groups.get()
    assert group.unknown == 12 and group.status_after.code == "killed"
    assert attack.perpetrators.get().actor.code == "eigs"
    assert violation("KRK0002").type.code == "liberty.enforced_disappearance"  # the army: a State actor
    assert violation("KRK0005").type.code == "liberty.abduction"  # JNIM: an abuse
    assert violation("KRK0009").type.code == "life.indiscriminate_attack"
    assert violation("KRK0003").perpetrators.get().category.code == "nonstate.unidentified"
    incident = Incident.objects.get(external_keys__key="KRK0005")
    assert incident.date_precision == "month" and incident.geo_precision == 3
    assert incident.narrative.startswith("A trader was abducted")


def test_re_importing_the_same_acled_file_creates_nothing(ohchr):
    run_import(ACLED, "--organisation", "ohchr")
    out, _ = run_import(ACLED, "--organisation", "ohchr")

    assert out.strip().splitlines()[-1] == "created 0, updated 0, unchanged 7, quarantined 0, skipped 3"
    assert Incident.objects.count() == 7


def test_an_edited_acled_row_updates_its_incident_and_keeps_the_previous_version(ohchr, tmp_path):
    run_import(ACLED, "--organisation", "ohchr")
    edited = tmp_path / "acled_edited.csv"
    edited.write_text(ACLED.read_text(encoding="utf-8").replace(",Villagers killed near Anderamboukane.,12,",
                                                                ",Villagers killed near Anderamboukane.,14,"),
                      encoding="utf-8")  # fmt: skip

    out, _ = run_import(edited, "--organisation", "ohchr")

    assert out.strip().splitlines()[-1] == "created 0, updated 1, unchanged 6, quarantined 0, skipped 3"
    incident = Incident.objects.get(external_keys__key="KRK0004")
    assert incident.victim_count == 14
    assert incident.history.count() == 2  # the version from the first import is kept
    assert Violation.history.filter(incident_id=incident.pk, history_type="-").count() == 1


def test_the_same_file_in_another_organisation_is_its_own_set_of_records(ohchr, cndh):
    run_import(ACLED, "--organisation", "ohchr")
    out, _ = run_import(ACLED, "--organisation", "cndh")
    assert out.strip().splitlines()[-1].startswith("created 7,")


def test_organisations_are_added_and_listed_and_an_import_needs_one(db, capsys):
    with pytest.raises(CommandError, match="kurukan organisations add amdh"):
        run_import(ACLED, "--organisation", "amdh")
    call_command("organisations", "add", "amdh", "--name", "Association malienne des droits de l'homme")
    call_command("organisations", "list")
    assert "amdh\tAssociation malienne des droits de l'homme" in capsys.readouterr().out
    with pytest.raises(CommandError, match="exists already"):
        call_command("organisations", "add", "amdh", "--name", "Doublon")


def test_a_wrong_format_is_refused_saying_what_the_file_looks_like(ohchr):
    with pytest.raises(CommandError) as refused:
        run_import(ACLED, "--organisation", "ohchr", "--format", "template")
    assert "export ACLED" in str(refused.value) and "ACLED export" in str(refused.value)
    assert not ImportJob.objects.exists()
