"""The shipped bilingual lists — UHRI themes and affected persons, the 17 SDGs — are in every database, an
import's cells find them by code, label or SDG number, and the pages classify and filter by them."""

from __future__ import annotations

import csv

import pytest

from conftest import client_for, english_client_for, term, unit
from kurukan.audit.models import AuditEvent
from kurukan.recommendations import actions
from kurukan.recommendations.models import Document, Recommendation, Theme

pytestmark = pytest.mark.django_db


def test_the_lists_are_shipped_in_both_languages():
    sdgs = Theme.objects.filter(kind="sdg")
    assert sorted(int(t.code) for t in sdgs) == list(range(1, 18))
    goal = sdgs.get(code="16")
    assert (goal.label_fr, goal.label_en) == (
        "Paix, justice et institutions efficaces",
        "Peace, justice and strong institutions",
    )
    assert Theme.objects.get(kind="theme", code="extrajudicial_executions").label_fr.startswith("Exécutions")
    assert Theme.objects.filter(kind="affected_group", code="persons_deprived_of_liberty").exists()
    assert all(t.label_fr and t.label_en for t in Theme.objects.all())


def test_an_uhri_export_finds_the_shipped_themes_by_label_or_number(tmp_path):
    path = tmp_path / "uhri.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Symbol", "Paragraph", "Text", "Themes", "Affected persons", "SDGs", "Response"])
        writer.writerow(["A/HRC/52/1", "12", "End impunity for executions.", "Impunity; Droit à la vie",
                         "Children", "16.3 Promote the rule of law | Goal 5", "supported"])  # fmt: skip
    result = actions.import_recommendations(path)
    assert (result.created, result.quarantined) == (1, 0)
    tags = {(t.kind, t.code) for t in Recommendation.objects.get().themes.all()}
    assert tags == {("theme", "impunity"), ("theme", "right_to_life"), ("affected_group", "children"),
                    ("sdg", "16"), ("sdg", "5")}  # fmt: skip
    assert Theme.objects.filter(kind="sdg").count() == 17  # no theme of its own for a known goal


def test_a_manager_classifies_and_the_lists_filter_in_french_and_english(coordinator):
    rec = Recommendation.objects.create(
        document=Document.objects.create(mechanism="upr", symbol="A/HRC/23/6"), paragraph="112.5",
        text_en="Investigate summary executions",
    )  # fmt: skip
    other = Recommendation.objects.create(document=rec.document, paragraph="112.6", text_en="Schools")
    sdg16, executions = (
        Theme.objects.get(kind="sdg", code="16"),
        Theme.objects.get(code="extrajudicial_executions"),
    )
    client = client_for(coordinator)
    response = client.post(
        f"/recommendations/{rec.pk}/classify/",
        {"themes": [executions.pk], "sdgs": [sdg16.pk],
         "violation_types": [term("violation_type", "life.summary_execution").pk], "regions": [unit("ML05").pk]},
        follow=True,
    )  # fmt: skip
    assert "Classement enregistré." in response.content.decode()
    assert set(rec.themes.all()) == {executions, sdg16} and list(rec.regions.all()) == [unit("ML05")]
    assert AuditEvent.objects.filter(
        action="change", details__themes=["sdg:16", "theme:extrajudicial_executions"]
    ).exists()
    listed = client.get("/recommendations/", {"sdg": sdg16.pk}).content.decode()
    assert f"/recommendations/{rec.pk}/" in listed and f"/recommendations/{other.pk}/" not in listed
    page = english_client_for(coordinator).get(f"/recommendations/{rec.pk}/").content.decode()
    assert (
        "Peace, justice and strong institutions" in page
        and "Extrajudicial, summary or arbitrary executions" in page
    )
    public = client.get("/recommendations/public/", {"sdg": sdg16.pk}).content.decode()
    assert "Paix, justice et institutions efficaces" in public
    bad = client.post(f"/recommendations/{rec.pk}/classify/", {"sdgs": ["999999"]})
    assert bad.status_code == 422
