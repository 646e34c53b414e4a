"""Exports through the page, the API and the command line: the list's rows, the right columns, nothing more
than the user may see, formula cells neutralised, every export audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for, make_incident, make_user, term
from kurukan.accounts.models import Confidentiality, IncidentShare, Role
from kurukan.audit.models import Action, AuditEvent
from kurukan.exports.rows import COLUMNS, Level
from kurukan.incidents.models import GroupVictims, IncidentStatus, Victim
from kurukan.people.models import Person

ISSUE_COLUMNS = [
    "public_id",
    "external_ids",
    "start_date",
    "end_date",
    "date_precision",
    "region_pcode",
    "cercle_pcode",
    "commune_pcode",
    "victims",
    "children",
    "perpetrator_categories",
]


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def exported(client, level: str, fmt: str = "csv", **filters) -> bytes:
    response = client.get(reverse(f"exports:{level}"), {"format": fmt, **filters})
    assert response.status_code == 200, response.content[:500]
    return body(response)


@pytest.fixture
def records(monitor, cndh_monitor):
    """Three incidents of the monitor's organisation (Mopti 2022 ×2, Ségou 2023) and one of the CNDH."""
    mopti = make_incident(monitor, title="Exécution à Bankass", group_size=3)
    GroupVictims.objects.create(violation=mopti.violations.get(), girls=2, boys=1)
    mopti.external_ids = {"kobo": "uuid:1f2e"}
    mopti.save()
    detention = make_incident(
        monitor,
        title='=HYPERLINK("http://x")',
        start_date=dt.date(2022, 7, 2),
        violation_type="liberty.arbitrary_detention",
        victim_name=("-Awa", "@Diallo"),
        actor_category="state.fdsm",
    )
    segou = make_incident(
        monitor, title="Enlèvement à Niono", commune="ML040501", start_date=dt.date(2023, 1, 5)
    )
    other = make_incident(cndh_monitor, title="Incident de la CNDH")
    return {"mopti": mopti, "detention": detention, "segou": segou, "other": other}


def test_the_incident_export_has_the_list_rows_and_the_issue_columns(monitor, records):
    rows = read_csv(exported(client_for(monitor), "incidents"))
    assert [r["public_id"] for r in rows] == [
        records["segou"].public_id,
        records["detention"].public_id,
        records["mopti"].public_id,
    ]  # the list's order, and nothing of another organisation
    for name in [*ISSUE_COLUMNS, "violation_types", "verification_statuses"]:
        assert name in rows[0]
    mopti = rows[2]
    assert mopti["region_pcode"] == "ML05" and mopti["cercle_pcode"] == "ML0503"
    assert mopti["commune_pcode"] == "ML050301"
    assert mopti["victims"] == "7"  # one named victim + a group of 3 men + 2 girls and a boy
    assert mopti["children"] == "3"
    assert json.loads(mopti["external_ids"]) == {"kobo": "uuid:1f2e"}
    assert mopti["violation_types"] == "life.summary_execution"
    assert mopti["perpetrator_categories"] == "nonstate.unidentified"


def test_filters_are_the_lists_filters(monitor, records):
    mopti = term("violation_type", "life.summary_execution")
    client = client_for(monitor)
    region = records["mopti"].region
    rows = read_csv(
        exported(client, "violations", region=region.pk, date_from="2022-01-01", date_to="2022-12-31")
    )
    assert {r["public_id"] for r in rows} == {records["mopti"].public_id, records["detention"].public_id}
    rows = read_csv(exported(client, "violations", violation_type=mopti.pk))
    assert [r["violation_type"] for r in rows] == ["life.summary_execution"] * 2
    assert {r["violation_id"] for r in rows} == {
        str(records["mopti"].violations.get().pk),
        str(records["segou"].violations.get().pk),
    }


def test_a_violation_row_counts_victims_and_children(monitor, records):
    violation = records["mopti"].violations.get()
    rows = read_csv(exported(client_for(monitor), "violations", q=records["mopti"].public_id))
    (row,) = rows
    assert row["violation_id"] == str(violation.pk)
    assert (row["victims"], row["children"]) == ("7", "3")
    assert row["verification_status"] == "reported"
    assert row["violation_category"] == "life"


def test_cells_that_look_like_formulas_are_neutralised_in_csv_and_xlsx(monitor, records):
    client = client_for(monitor)
    public_id = records["detention"].public_id
    (row,) = read_csv(exported(client, "incidents", q=public_id))
    assert row["title"] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(io.BytesIO(exported(client, "incidents", "xlsx", q=public_id))).active
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert title.value == '\'=HYPERLINK("http://x")' and title.data_type == "s"
    reason = "Dossier transmis au pôle judiciaire spécialisé"
    response = client.post(reverse("exports:victims"), {"format": "csv", "reason": reason, "q": public_id})
    (victim,) = read_csv(body(response))
    assert (victim["given_name"], victim["family_name"]) == ("'-Awa", "'@Diallo")
    # Numbers stay numbers: a date or a count is no formula.
    assert victim["age_at_time"] == "34"


def test_every_format_reads_back(monitor, records):
    client = client_for(monitor)
    hxl = list(csv.reader(io.StringIO(exported(client, "violations", "hxl").decode("utf-8-sig"))))
    assert hxl[0][:3] == ["public_id", "external_ids", "title"]
    assert hxl[1][0] == "#event+id" and "#adm1+code" in hxl[1] and "#affected+children+num" in hxl[1]
    assert len(hxl) == 2 + 3
    data = json.loads(exported(client, "violations", "json"))
    assert [set(d) for d in data] == [{c.name for c in COLUMNS[Level.VIOLATIONS]}] * 3
    geo = json.loads(exported(client, "incidents", "geojson"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 3
    point = geo["features"][0]["geometry"]
    assert (
        point["type"] == "Point" and -13 < point["coordinates"][0] < 5 and 10 < point["coordinates"][1] < 25
    )
    sheet = load_workbook(io.BytesIO(exported(client, "violations", "xlsx")), read_only=True).active
    values = list(sheet.values)
    assert list(values[0]) == [c.name for c in COLUMNS[Level.VIOLATIONS]]
    assert len(values) == 4
    assert values[1][values[0].index("start_date")].date() == dt.date(2023, 1, 5)


def test_an_empty_export_has_its_header(focal_point, records):
    rows = exported(client_for(focal_point), "incidents").decode("utf-8-sig").splitlines()
    assert rows == [",".join(c.name for c in COLUMNS[Level.INCIDENTS])]


def test_an_analyst_gets_no_exact_place_of_a_restricted_record_and_no_victims_export(analyst, monitor):
    incident = make_incident(monitor, confidentiality=Confidentiality.RESTRICTED)
    incident.settlement = (
        incident.commune.settlements.first() if hasattr(incident.commune, "settlements") else None
    )
    incident.latitude, incident.longitude = 14.1, -3.6
    incident.save()
    client = client_for(analyst)
    (row,) = read_csv(exported(client, "violations"))
    assert row["latitude"] == row["longitude"] == row["settlement"] == row["settlement_pcode"] == ""
    assert row["commune_pcode"] == "ML050301"
    assert client.get(reverse("exports:victims")).status_code == 403
    assert client.get(reverse("api:export_victims"), {"reason": "x" * 20}).status_code == 403
    (mine,) = read_csv(exported(client_for(monitor), "violations"))
    assert (mine["latitude"], mine["longitude"]) == ("14.1", "-3.6")


def test_victims_of_a_record_shared_without_identities_are_unnamed(monitor, cndh_monitor, coordinator):
    incident = make_incident(monitor, victim_name=("Aminata", "Traoré"))
    IncidentShare.objects.create(
        incident=incident, organisation=cndh_monitor.organisation, granted_by=coordinator
    )
    response = client_for(cndh_monitor).post(
        reverse("exports:victims"), {"format": "csv", "reason": "Vérification croisée des listes"}
    )
    (row,) = read_csv(body(response))
    assert row["public_id"] == incident.public_id
    assert row["given_name"] == row["family_name"] == row["person_id"] == ""
    assert (
        "Aminata"
        not in body(client_for(cndh_monitor).get(reverse("exports:incidents"), {"format": "json"})).decode()
    )


def test_the_victims_export_asks_for_the_reason_on_screen(monitor, records):
    client = client_for(monitor)
    page = client.get(reverse("exports:victims"), {"region": records["mopti"].region.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="reason"' in html and f'name="region" value="{records["mopti"].region.pk}"' in html
    refused = client.post(reverse("exports:victims"), {"format": "xlsx", "reason": "test"})
    assert refused.status_code == 200 and "Content-Disposition" not in refused
    assert "indiquez pourquoi vous en avez besoin" in refused.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_every_export_is_audited_with_filters_and_row_count(monitor, records):
    client = client_for(monitor)
    exported(client, "violations", "xlsx", date_from="2022-01-01", date_to="2022-12-31")
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.user == monitor
    assert event.details["rows"] == 2 and event.details["complete"] is True
    assert event.details["filters"] == {"date_from": "2022-01-01", "date_to": "2022-12-31"}
    assert (event.details["level"], event.details["format"]) == ("violations", "xlsx")
    reason = "Liste demandée par l'Expert indépendant"
    client.post(reverse("exports:victims"), {"format": "csv", "reason": reason, "q": "Maïga"}).getvalue()
    event = AuditEvent.objects.filter(action=Action.EXPORT).order_by("-sequence").first()
    assert event.details["reason"] == reason
    assert "Maïga" not in json.dumps(
        event.details, ensure_ascii=False
    )  # a searched name stays out of the log
    assert event.details["filters"] == {"text_search": True}


def test_bad_filters_are_shown_not_ignored(monitor, records):
    response = client_for(monitor).get(
        reverse("exports:incidents"), {"format": "csv", "date_from": "2023-01-01", "date_to": "2022-01-01"}
    )
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert "La fin de la période précède son début." in response.content.decode()


def test_the_list_page_offers_the_exports_with_its_filters(monitor, analyst, records):
    region = records["mopti"].region.pk
    html = client_for(monitor).get(reverse("incidents:list"), {"region": region}).content.decode()
    assert f"/exports/incidents/?format=xlsx&amp;region={region}" in html
    assert "/exports/victims/" in html
    html = client_for(analyst).get(reverse("incidents:list"), {"region": region}).content.decode()
    assert f"/exports/violations/?format=csv&amp;region={region}" in html
    assert "/exports/victims/" not in html


def test_the_api_exports_with_codes(monitor, records):
    client = client_for(monitor)
    response = client.get(
        reverse("api:export_violations"),
        {"format": "csv", "region": "ML05", "violation_type": "liberty.arbitrary_detention"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kurukan-violations-')
    (row,) = read_csv(body(response))
    assert row["public_id"] == records["detention"].public_id
    bad = client.get(reverse("api:export_incidents"), {"violation_type": "no.such"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "violation_type"
    refused = client.get(reverse("api:export_victims"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    named = client.get(
        reverse("api:export_victims"), {"reason": "Transmission au pôle judiciaire", "format": "json"}
    )
    assert {v["family_name"] for v in json.loads(body(named))} == {"Maïga", "@Diallo"}


# --- command line -------------------------------------------------------------------------------------------


def test_the_command_exports_as_an_administrator_by_default(records, tmp_path, capsys):
    target = tmp_path / "violations.xlsx"
    call_command(
        "export",
        "violations",
        "--format",
        "xlsx",
        "--from",
        "2022-01-01",
        "--to",
        "2022-12-31",
        "--region",
        "ML05",
        "--output",
        str(target),
    )
    sheet = load_workbook(target, read_only=True).active
    rows = list(sheet.values)
    ids = {r[rows[0].index("public_id")] for r in rows[1:]}
    # Both organisations' Mopti 2022 records: the administrator sees everything.
    assert ids == {records["mopti"].public_id, records["detention"].public_id, records["other"].public_id}
    assert "violations : 3 lignes exportées (xlsx)" in capsys.readouterr().err
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert event.user is None and event.details["via"] == "command line, administrator"
    assert event.details["filters"]["place"] == "ML05"


def test_the_command_exports_as_a_user(monitor, records, tmp_path):
    target = tmp_path / "mine.csv"
    call_command("export", "incidents", "--user", monitor.username, "--verified", "--output", str(target))
    assert read_csv(target.read_bytes()) == []
    violation = records["segou"].violations.get()
    violation.verification_status = "verified"
    violation.save()
    call_command(
        "export",
        "incidents",
        "--user",
        monitor.username,
        "--verified",
        "--type",
        "life.summary_execution",
        "--output",
        str(target),
    )
    assert [r["public_id"] for r in read_csv(target.read_bytes())] == [records["segou"].public_id]
    assert AuditEvent.objects.filter(action=Action.EXPORT, user=monitor).count() == 2


def test_the_command_refuses_with_a_message_that_names_the_fix(monitor, analyst, records, tmp_path):
    target = tmp_path / "x.csv"
    with pytest.raises(CommandError, match="--region ML99"):
        call_command("export", "incidents", "--region", "ML99", "--output", str(target))
    with pytest.raises(CommandError, match="violation_type"):
        call_command("export", "incidents", "--type", "nothing", "--output", str(target))
    with pytest.raises(CommandError, match="--reason"):
        call_command("export", "victims", "--user", monitor.username, "--output", str(target))
    with pytest.raises(CommandError, match="ne peut pas exporter les victimes"):
        call_command(
            "export", "victims", "--user", analyst.username, "--reason", "x" * 20, "--output", str(target)
        )
    with pytest.raises(CommandError, match="--to"):
        call_command(
            "export", "incidents", "--from", "2023-01-01", "--to", "2022-01-01", "--output", str(target)
        )
    assert not target.exists()


def test_victims_export_from_the_command_line(monitor, records, tmp_path):
    target = tmp_path / "victims.json"
    call_command(
        "export",
        "victims",
        "--format",
        "json",
        "--user",
        monitor.username,
        "--reason",
        "Liste transmise au pôle judiciaire",
        "--output",
        str(target),
    )
    names = sorted((v["given_name"], v["family_name"]) for v in json.loads(target.read_text()))
    assert names == [("-Awa", "@Diallo"), ("Amadou", "Maïga"), ("Amadou", "Maïga")]


def test_the_rows_are_read_in_a_fixed_number_of_queries_per_chunk(monitor):
    """Twice the rows, the same queries: nothing is fetched row by row (the bound is loose, the growth nil)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(monitor)
    counts = []
    for batch in range(2):
        for i in range(12):
            make_incident(monitor, title=f"Incident {batch}-{i}", group_size=i)
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(exported(client, "violations"))
        assert len(rows) == 12 * (batch + 1)
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 40, counts


def test_a_coordinator_sees_children_counted_from_ages(coordinator, monitor):
    incident = make_incident(monitor, victim_name=None)
    violation = incident.violations.get()
    for age in (9, 17, 18, None):
        person = Person.objects.create(organisation=monitor.organisation, sex="female")
        Victim.objects.create(violation=violation, person=person, age_at_time=age)
    (row,) = read_csv(exported(client_for(coordinator), "violations"))
    assert (row["victims"], row["children"]) == ("4", "2")


def test_a_viewer_without_organisation_exports_nothing(db, records):
    viewer = make_user("lecteur", Role.VIEWER, None)
    assert read_csv(exported(client_for(viewer), "violations")) == []
    assert records["mopti"].status == IncidentStatus.SUBMITTED


def test_the_reason_is_asked_in_english_for_an_english_user(monitor, records):
    from conftest import english_client_for

    response = english_client_for(monitor).post(reverse("exports:victims"), {"format": "csv", "reason": ""})
    html = response.content.decode()
    assert "Why do you need the names?" in html
    assert "say why you need them (at least 10 characters" in html


def test_the_count_columns_agree_with_the_statistics(monitor, records):
    """One definition of each figure: the export's victims and children by region are the statistics'."""
    from kurukan.statistics.counting import Filters, Scope, table

    rows = read_csv(exported(client_for(monitor), "violations"))
    for measure, column in (("victims", "victims"), ("victims", "children")):
        exported_by_region: dict[str, int] = {}
        for row in rows:
            exported_by_region[row["region_pcode"]] = exported_by_region.get(row["region_pcode"], 0) + int(
                row[column]
            )
        figures = table(
            measure,
            by=["region"],
            filters=Filters(level="reported", children_only=column == "children"),
            scope=Scope.for_user(monitor),
        )
        assert {r["region"]: r["value"] for r in figures.rows} == {
            k: v for k, v in exported_by_region.items() if v
        }
