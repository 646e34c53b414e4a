"""Following up a recommendation through the pages: the focal point's view, measures, assessments with
files, indicators computed from the records, the public page and the exports."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import client_for, field_errors, make_incident, make_user, term, unit
from kurukan.accounts.models import Role
from kurukan.incidents.models import Violation
from kurukan.recommendations import actions, parsing
from kurukan.recommendations.models import Indicator, Institution, Measure, Recommendation
from kurukan.statistics.counting import Filters, Scope, table

UPR = Path(parsing.__file__).parent / "data" / "mali_upr_recommendations_cycle1_2008_cycle2_2013.csv"


@pytest.fixture
def upr(db):
    call_command("recommendations", "import", str(UPR), stdout=io.StringIO())
    justice = Institution.objects.create(
        code="justice", name_fr="Ministère de la Justice", name_en="Ministry of Justice"
    )
    assigned = list(
        Recommendation.objects.filter(document__symbol="A/HRC/23/6", paragraph__startswith="112.5")
    )
    for rec in assigned:
        rec.institutions.add(justice)
    return justice, assigned


@pytest.fixture
def focal(upr, ohchr):
    user = make_user("point-focal", Role.FOCAL_POINT, ohchr)
    user.email = "pf@justice.ml"
    user.save()
    upr[0].focal_points.add(user)
    return user


def test_the_focal_point_sees_only_what_is_assigned_to_their_institution(upr, focal):
    justice, assigned = upr
    client = client_for(focal)
    page = client.get("/recommendations/").content.decode()
    assert "5 recommandations" in page
    other = Recommendation.objects.exclude(institutions=justice).first()
    assert client.get(f"/recommendations/{other.pk}/").status_code == 404
    assert client.get(f"/api/recommendations/{other.pk}").status_code == 404
    assert {r["id"] for r in client.get("/api/recommendations/").json()} == {r.pk for r in assigned}
    assert client.get("/incidents/").status_code in {200, 302, 403}  # …and never an incident:
    assert "Ogossagou" not in client.get("/incidents/").content.decode()


def test_a_focal_point_records_a_measure_and_an_assessment_with_a_file(upr, focal):
    _justice, assigned = upr
    rec = assigned[0]
    client = client_for(focal)
    justice = Institution.objects.get(code="justice")
    response = client.post(
        f"/recommendations/{rec.pk}/measures/",
        {
            "institution": justice.pk,
            "description": "Déposer le projet de loi d'abolition",
            "due_date": "2024-06-30",
        },
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile(
        "compte-rendu.pdf", b"%PDF-1.4 compte rendu du conseil des ministres", "application/pdf"
    )
    response = client.post(
        f"/recommendations/{rec.pk}/assessments/",
        {
            "status": "partially_implemented",
            "assessed_on": "2024-07-02",
            "evidence": "Projet adopté en conseil.",
            "files": [upload],
        },
    )
    assert response.status_code == 302
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Partiellement mise en œuvre" in page and "Déposer le projet de loi d&#x27;abolition" in page
    file = rec.assessments.get().files.get()
    assert file.original_name == "compte-rendu.pdf"
    download = client.get(f"/recommendations/{rec.pk}/files/{file.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 compte rendu du conseil des ministres"
    public = Client().get("/recommendations/public/?q=" + rec.text_en[:30]).content.decode()
    assert "Partiellement mise en œuvre" in public
    assert "Déposer le projet" not in public and "Projet adopté en conseil" not in public  # no internal notes
    assert [h.history_type for h in rec.measures.get().history.all()] == ["+"]


def test_bad_follow_up_input_is_shown_next_to_the_field(upr, focal):
    rec = upr[1][0]
    client = client_for(focal)
    response = client.post(f"/recommendations/{rec.pk}/measures/", {"institution": "", "description": "  "})
    assert response.status_code == 422
    assert field_errors(response.content, "description") == ["Décrivez la mesure."]
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        f"/recommendations/{rec.pk}/assessments/", {"status": "implemented", "assessed_on": future}
    )
    assert response.status_code == 422
    assert field_errors(response.content, "assessed_on") == [
        "Une évaluation ne peut pas être datée dans le futur."
    ]


def test_only_managers_and_assigned_focal_points_follow_up(upr, focal, analyst, ohchr):
    rec = upr[1][0]
    stranger = make_user("autre-point-focal", Role.FOCAL_POINT, ohchr)
    body = {"status": "in_progress", "assessed_on": "2024-01-01"}
    assert client_for(analyst).post(f"/recommendations/{rec.pk}/assessments/", body).status_code == 403
    assert client_for(stranger).post(f"/recommendations/{rec.pk}/assessments/", body).status_code == 404
    assert client_for(focal).post(f"/recommendations/{rec.pk}/assign/", {}).status_code == 403


def test_an_overdue_measure_is_listed_and_its_focal_point_reminded_once_a_week(upr, focal, coordinator):
    rec = upr[1][0]
    justice = Institution.objects.get(code="justice")
    actions.add_measure(
        rec,
        coordinator,
        institution=justice,
        description="Former les magistrats",
        due_date=dt.date(2024, 1, 31),
    )
    assert "Former les magistrats" in client_for(coordinator).get("/recommendations/").content.decode()
    call_command("recommendations", "remind", stdout=io.StringIO())
    call_command("recommendations", "remind", stdout=io.StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pf@justice.ml"]
    assert "Former les magistrats" in mail.outbox[0].body
    Measure.objects.update(done=True)
    assert "Former les magistrats" not in client_for(coordinator).get("/recommendations/").content.decode()


def _verified(user, commune: str, day: dt.date) -> None:
    incident = make_incident(user, commune=commune, start_date=day)
    Violation.objects.filter(incident=incident).update(verification_status="verified")


def test_a_computed_indicator_shows_verified_executions_per_quarter_in_its_regions(upr, coordinator, monitor):
    rec = upr[1][0]
    rec.regions.add(unit("ML05"))  # Mopti
    _verified(monitor, "ML050301", dt.date(2022, 2, 1))
    _verified(monitor, "ML050301", dt.date(2022, 3, 20))
    _verified(monitor, "ML050301", dt.date(2022, 5, 2))
    _verified(monitor, "ML040101", dt.date(2022, 2, 5))  # Ségou: another region
    make_incident(monitor, start_date=dt.date(2022, 2, 9))  # documented, not verified
    indicator = Indicator.objects.create(
        recommendation=rec, kind="outcome", name="Exécutions sommaires vérifiées",
        computed_type=term("violation_type", "life.summary_execution"),
    )  # fmt: skip
    from kurukan.recommendations.figures import indicator_series

    series = dict(indicator_series(indicator, coordinator))
    assert series == {"2022-Q1": 2, "2022-Q2": 1}  # by hand
    counted = table(
        "violations",
        by=["quarter", "region"],
        filters=Filters(violation_type=indicator.computed_type, level="verified"),
        scope=Scope.for_user(coordinator),
    )
    assert counted.value(quarter="2022-Q1", region="ML05") == 2
    page = client_for(coordinator).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "<td>2022-Q1</td><td>2</td>" in page and "<td>2022-Q2</td><td>1</td>" in page


def test_exports_read_back_and_the_public_export_has_no_internal_column(upr, coordinator):
    from docx import Document as Docx
    from openpyxl import load_workbook

    rec = upr[1][0]
    actions.add_measure(
        rec,
        coordinator,
        institution=Institution.objects.get(code="justice"),
        description="Former",
        due_date=None,
    )
    Recommendation.objects.filter(pk=rec.pk).update(recommending="=cmd|' /C calc'!A0")
    client = client_for(coordinator)
    csv_text = b"".join(client.get("/recommendations/export.csv").streaming_content).decode()
    assert csv_text.splitlines()[0].endswith(",measures") and len(csv_text.splitlines()) > 193
    assert "'=cmd|" in csv_text and ",=cmd" not in csv_text  # a formula is neutralised
    book = load_workbook(io.BytesIO(b"".join(client.get("/recommendations/export.xlsx").streaming_content)))
    assert book.active.max_row == 194
    matrix = Docx(io.BytesIO(b"".join(client.get("/recommendations/export.docx").streaming_content)))
    assert len(matrix.tables[0].rows) == 194
    assert matrix.tables[0].rows[0].cells[0].text == "Recommandation"
    public = b"".join(Client().get("/recommendations/public/export.csv").streaming_content).decode()
    assert "measures" not in public.splitlines()[0] and "justice: Former" not in public
    assert "justice: Former" in csv_text


def test_the_pages_speak_english_when_asked(upr, focal):
    from conftest import english_client_for

    rec = upr[1][0]
    page = english_client_for(focal).get(f"/recommendations/{rec.pk}/").content.decode()
    assert "Implementation status" in page and "Never assessed" in page and "Add the measure" in page
    public = Client()
    public.cookies["django_language"] = "en"
    text = public.get("/recommendations/public/").content.decode()
    assert "Recommendations follow-up" in text and "Universal Periodic Review" in text
