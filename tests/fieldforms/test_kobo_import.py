"""KoboToolbox exports of Kurukan's XLSForm import without any mapping: XLSX with repeat sheets, and CSV
(semicolons, the HXL row, group names, repeats flattened); bad submissions quarantined in French; re-import
creates nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from kurukan.imports.models import QuarantinedRow
from kurukan.incidents.models import Incident, Victim

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test runs a whole import job

MAIN = [
    "start", "end", "incident/title", "incident/start_date", "incident/date_precision", "incident/end_date",
    "incident/region", "incident/cercle", "incident/commune", "incident/settlement", "incident/location",
    "incident/public_summary", "incident/narrative", "source", "_id", "_uuid", "_submission_time", "_index",
]  # fmt: skip
SUBMISSION_COLUMNS = ["_submission__id", "_submission__uuid"]
VIOLATION = [
    "violation_type",
    "methods",
    "group/women",
    "group/men",
    "group/girls",
    "group/boys",
    "group/unknown",
]
VICTIM = ["given_name", "family_name", "sex", "age", "age_estimated", "status_after", "categories"]
PERPETRATOR = ["perpetrator_category", "actor"]


def submission(index: int, **values) -> dict:
    row = {
        "incident/title": f"Attaque {index}",
        "incident/start_date": "2022-05-10",
        "incident/date_precision": "day",
        "incident/region": "ML05",
        "incident/cercle": "ML0503",
        "incident/commune": "ML050301",
        "incident/location": "14.08 -3.50 0 5",
        "incident/narrative": "Récit protégé.",
        "_id": str(1000 + index),
        "_uuid": f"0b0e6a52-0000-4000-8000-{index:012d}",
        "_index": str(index),
    }
    row.update(values)
    return row


def kobo_xlsx(path, submissions, violations, victims, perpetrators):
    """The layout KoboToolbox's XLSX export uses: a main sheet and one sheet per repeat group."""
    book = Workbook()
    book.active.title = "Kurukan — incident"
    book.active.append(MAIN)
    for row in submissions:
        book.active.append([row.get(c, "") for c in MAIN])
    for title, columns, rows in (
        ("violation", VIOLATION, violations),
        ("victim", VICTIM, victims),
        ("perpetrator", PERPETRATOR, perpetrators),
    ):
        sheet = book.create_sheet(title)
        header = [*columns, "_index", "_parent_table_name", "_parent_index", *SUBMISSION_COLUMNS]
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(c, "") for c in header])
    book.save(path)
    return path


def run(path, *extra) -> dict:
    out = io.StringIO()
    call_command("import", str(path), "--organisation", "ohchr", "--json", *extra, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.fixture
def export(tmp_path):
    """Five submissions; the 3rd gives an age of 150, the 5th a violation type the vocabulary lacks."""
    submissions = [submission(i) for i in range(1, 6)]
    violations = [
        {"violation_type": "life.summary_execution", "_index": "1", "_parent_table_name": "Kurukan — incident", "_parent_index": "1"},
        {"violation_type": "protected.looting_destruction", "group/men": "4", "group/girls": "1", "_index": "2", "_parent_table_name": "Kurukan — incident", "_parent_index": "1"},
        {"violation_type": "liberty.arbitrary_detention", "_index": "3", "_parent_table_name": "Kurukan — incident", "_parent_index": "2"},
        {"violation_type": "life.summary_execution", "_index": "4", "_parent_table_name": "Kurukan — incident", "_parent_index": "3"},
        {"violation_type": "liberty.abduction", "_index": "5", "_parent_table_name": "Kurukan — incident", "_parent_index": "4"},
        {"violation_type": "life.nothing_like_this", "_index": "6", "_parent_table_name": "Kurukan — incident", "_parent_index": "5"},
    ]  # fmt: skip
    victims = [
        {"given_name": "Aminata", "family_name": "Traoré", "sex": "female", "age": "30", "_index": "1", "_parent_table_name": "violation", "_parent_index": "1"},
        {"given_name": "Moussa", "family_name": "Diallo", "sex": "male", "age": "12", "_index": "2", "_parent_table_name": "violation", "_parent_index": "1"},
        {"given_name": "Hawa", "family_name": "Cissé", "sex": "female", "age": "150", "_index": "3", "_parent_table_name": "violation", "_parent_index": "4"},
    ]  # fmt: skip
    perpetrators = [
        {"perpetrator_category": "nonstate.unidentified", "_index": "1", "_parent_table_name": "violation", "_parent_index": "1"},
        {"perpetrator_category": "state.fdsm", "actor": "fama", "_index": "2", "_parent_table_name": "violation", "_parent_index": "3"},
    ]  # fmt: skip
    return kobo_xlsx(tmp_path / "kobo.xlsx", submissions, violations, victims, perpetrators)


def test_a_kobo_xlsx_export_imports_without_mapping(ohchr, export):
    summary = run(export)  # the format is detected from the columns
    assert {k: summary[k] for k in ("created", "updated", "unchanged", "quarantined", "skipped")} == {
        "created": 3, "updated": 0, "unchanged": 0, "quarantined": 2, "skipped": 0,
    }  # fmt: skip
    first = Incident.objects.get(external_keys__key="0b0e6a52-0000-4000-8000-000000000001")
    assert first.commune.pcode == "ML050301" and first.latitude == pytest.approx(14.08)
    assert sorted(first.violations.values_list("type__code", flat=True)) == [
        "life.summary_execution",
        "protected.looting_destruction",
    ]
    execution = first.violations.get(type__code="life.summary_execution")
    assert sorted(v.person.given_name for v in Victim.objects.filter(violation=execution)) == [
        "Aminata",
        "Moussa",
    ]
    assert execution.perpetrators.get().category.code == "nonstate.unidentified"
    looting = first.violations.get(type__code="protected.looting_destruction")
    assert (looting.groups.get().men, looting.groups.get().girls) == (4, 1)
    second = Incident.objects.get(external_keys__key="0b0e6a52-0000-4000-8000-000000000002")
    assert second.violations.get().perpetrators.get().actor.code == "fama"


def test_bad_submissions_are_quarantined_with_french_messages_naming_the_cell(ohchr, export):
    run(export)
    messages = {q.row_number: (q.field, q.message_fr) for q in QuarantinedRow.objects.all()}
    assert set(messages) == {4, 6}  # the spreadsheet rows of submissions 3 and 5
    field, message = messages[4]
    assert field == "violation[1]/victim[1]/age"
    assert "150" in message and "âge de 0 à 120 ans" in message
    english = QuarantinedRow.objects.get(row_number=4).message_en
    assert "is not a possible age; write an age from 0 to 120" in english
    field, message = messages[6]
    assert field == "violation[1]/violation_type"
    assert "life.nothing_like_this" in message and "n'est pas une valeur connue" in message


def test_re_importing_the_same_export_creates_nothing(ohchr, export):
    run(export)
    count = Incident.objects.count()
    again = run(export, "--format", "kobo")
    assert again["created"] == 0 and again["unchanged"] == 3
    assert Incident.objects.count() == count


def test_a_kobo_csv_with_semicolons_and_the_hxl_row_imports(ohchr, tmp_path):
    header = [
        "incident/title", "incident/start_date", "incident/region", "incident/cercle",
        "violation[1]/violation_type", "violation[1]/victim[1]/given_name", "violation[1]/victim[1]/age",
        "violation[1]/perpetrator[1]/perpetrator_category", "violation[2]/violation_type", "_uuid", "_index",
    ]  # fmt: skip
    hxl = ["#event+name", "#date+start", "#adm1+code", "#adm2+code", "", "", "", "", "", "", ""]
    rows = [
        ["Enlèvements", "16/02/2023", "Mopti", "Djenné", "liberty.abduction", "Oumar", "41", "nonstate.jnim", "protected.looting_destruction", "u-1", "1"],
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows([header, hxl, *rows])
    path = tmp_path / "kobo.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    summary = run(path, "--format", "kobo")
    assert summary["created"] == 1 and summary["quarantined"] == 0
    incident = Incident.objects.get(external_keys__key="u-1")
    assert incident.cercle.name == "Djenné" and str(incident.start_date) == "2023-02-16"
    assert sorted(incident.violations.values_list("type__code", flat=True)) == [
        "liberty.abduction",
        "protected.looting_destruction",
    ]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def test_an_odk_central_zip_with_repeat_files_imports_without_mapping(ohchr, tmp_path):
    import zipfile

    main = [
        ["SubmissionDate", "incident-title", "incident-start_date", "incident-region", "incident-cercle",
         "incident-commune", "meta-instanceID", "KEY", "SubmitterID", "ReviewState", "FormVersion"],
        ["2023-03-01T10:00:00.000Z", "Exécutions à Ogossagou", "2023-02-14", "ML05", "ML0503", "ML050301",
         "uuid:aa11", "uuid:aa11", "5", "", "202612071200"],
        ["2023-03-01T10:05:00.000Z", "Sans violation", "2023-02-15", "ML05", "ML0503", "", "uuid:bb22",
         "uuid:bb22", "5", "", "202612071200"],
    ]  # fmt: skip
    violations = [
        ["violation_type", "group-men", "PARENT_KEY", "KEY"],
        ["life.summary_execution", "3", "uuid:aa11", "uuid:aa11/violation[1]"],
    ]
    victims = [
        ["given_name", "family_name", "sex", "age", "PARENT_KEY", "KEY"],
        ["Aminata", "Traoré", "female", "30", "uuid:aa11/violation[1]", "uuid:aa11/violation[1]/victim[1]"],
    ]
    path = tmp_path / "kurukan_incident.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("kurukan_incident.csv", _csv(main))
        archive.writestr("kurukan_incident-violation.csv", _csv(violations))
        archive.writestr("kurukan_incident-violation-victim.csv", _csv(victims))
    summary = run(path, "--format", "odk")
    assert (summary["created"], summary["quarantined"]) == (1, 1)
    incident = Incident.objects.get(external_keys__key="uuid:aa11", external_keys__source="odk")
    violation = incident.violations.get()
    assert violation.type.code == "life.summary_execution" and violation.groups.get().men == 3
    assert Victim.objects.get(violation=violation).person.family_name == "Traoré"
    assert QuarantinedRow.objects.get().field == "violation[1]/violation_type"  # the submission without any
    again = run(path, "--format", "odk")
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_kobo_submission_json_with_nested_repeats_imports(ohchr, tmp_path):
    page = {
        "count": 1,
        "next": None,
        "results": [
            {
                "_uuid": "c0ffee00-0000-4000-8000-000000000001",
                "incident/title": "Détentions à Sévaré",
                "incident/start_date": "2024-01-09",
                "incident/region": "ML05",
                "incident/cercle": "ML0501",
                "violation": [
                    {
                        "violation/violation_type": "liberty.arbitrary_detention",
                        "violation/victim": [
                            {"violation/victim/given_name": "Issa", "violation/victim/age": "17"},
                            {"violation/victim/given_name": "Ali", "violation/victim/age": "22"},
                        ],
                        "violation/perpetrator": [
                            {"violation/perpetrator/perpetrator_category": "state.fdsm"}
                        ],
                    }
                ],
                "_geolocation": [None, None],
                "_attachments": [],
            }
        ],
    }
    path = tmp_path / "kobo.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    summary = run(path, "--format", "kobo")
    assert (summary["created"], summary["quarantined"]) == (1, 0)
    violation = Incident.objects.get(external_keys__key=page["results"][0]["_uuid"]).violations.get()
    assert sorted(Victim.objects.filter(violation=violation).values_list("age_at_time", flat=True)) == [
        17,
        22,
    ]
    assert violation.perpetrators.get().category.code == "state.fdsm"
