"""The public page and the public API: the hand count, small cells hidden, and an attacker who learns nothing.

The records, counted by hand (victims of VERIFIED violations, public scope):

    Bankass (Mopti)      summary execution     30 men, 2 girls   32
    Bankass (Mopti)      rape                  3 women            3   sexual violence: threshold 10
    Bankass (Mopti)      arbitrary detention   15 men            15   Mopti 50
    Anchawadi (Gao)      summary execution     12 men            12
    Anchawadi (Gao)      arbitrary detention   9 men              9   Gao 21
    Alafia (Tombouctou)  arbitrary detention   8 men              8
    Alafia (Tombouctou)  summary execution     11 men            11   Tombouctou 19
    Baraoueli (Ségou)    summary execution     6 men              6   Ségou 6
                                                          total  96   (children 2, adults 94)
    Anchawadi (Gao)   summary execution, STRICTLY CONFIDENTIAL, 7 men: only if its organisation opts in
    Baraoueli (Ségou) summary execution, reported (not verified), 20 men: documented figures only
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_incident
from kurukan.accounts.models import Confidentiality
from kurukan.analysis.disclosure import attack, protect
from kurukan.incidents.actions import refresh_counts
from kurukan.incidents.models import GroupVictims, Source, VerificationStatus
from kurukan.public import figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures():
    figures.forget()
    yield
    figures.forget()


def victims(
    user, commune, violation_type, *, verified=True, confidentiality=Confidentiality.INTERNAL, **group
):
    incident = make_incident(
        user,
        commune=commune,
        violation_type=violation_type,
        victim_name=None,
        confidentiality=confidentiality,
    )
    Source.objects.create(incident=incident, language="fr")
    violation = incident.violations.get()
    GroupVictims.objects.create(violation=violation, **group)
    if verified:
        violation.verification_status = VerificationStatus.VERIFIED
        violation.save()
    refresh_counts(incident)
    return incident


@pytest.fixture
def records(monitor, ohchr):
    victims(monitor, "ML050301", "life.summary_execution", men=30, girls=2)
    victims(monitor, "ML050301", "sexual.rape", women=3)
    victims(monitor, "ML050301", "liberty.arbitrary_detention", men=15)
    victims(monitor, "ML070101", "life.summary_execution", men=12)
    victims(monitor, "ML070101", "liberty.arbitrary_detention", men=9)
    victims(monitor, "ML060101", "liberty.arbitrary_detention", men=8)
    victims(monitor, "ML060101", "life.summary_execution", men=11)
    victims(monitor, "ML040101", "life.summary_execution", men=6)
    victims(
        monitor,
        "ML070101",
        "life.summary_execution",
        men=7,
        confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL,
    )
    victims(monitor, "ML040101", "life.summary_execution", men=20, verified=False)
    return ohchr


def cells(html: str, table_id: str) -> dict[str, list[str]]:
    """Row header → the row's cells, from a table of the page."""
    table = re.search(rf'<table class="figures" id="{table_id}">(.*?)</table>', html, re.S).group(1)
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        header = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        out[header.group(1).strip() if header else ""] = [
            c.strip() for c in re.findall(r'<td class="num">(.*?)</td>', row, re.S)
        ]
    return out


def test_an_anonymous_reader_sees_the_hand_count_and_no_small_cell(records):
    html = Client().get(reverse("public:index")).content.decode()
    assert re.search(r'<p class="headline" id="total">96</p>', html)
    areas = cells(html, "areas")
    assert areas["Mopti"] == ["50"] and areas["Gao"] == ["21"] and areas["Tombouctou"] == ["19"]
    assert areas["Ségou"] == ["6"]
    assert areas["Kidal"] == ["&lt; 5"]  # no victim: a zero is hidden like a small total
    crosstab = cells(html, "region-by-category")
    header = re.findall(r'<th scope="col" class="num">(.*?)</th>', html.split('id="region-by-category"')[1])
    sexual = header.index("Violences sexuelles liées aux conflits")
    assert crosstab["Total"][sexual] == "&lt; 10"  # 3 victims of sexual violence: a total under 10
    assert crosstab["Mopti"][sexual] == "•"
    # Mopti's other cells cannot all be shown: 50 − 32 − 15 would give the 3 away.
    assert "•" in [c for i, c in enumerate(crosstab["Mopti"]) if i != sexual]
    children = cells(html, "children")
    assert children["enfants (moins de 18 ans)"] == ["•"]  # 2 girls, under the children's threshold 10
    assert children["adultes"] == ["•"]  # else 96 − 94 would give the children away
    assert "94" not in html.split('id="children"')[1]


def test_absent_and_hidden_figures_read_alike(records):
    """A cercle with no victim reads like a cercle with a few: the label never says which is empty."""
    html = Client().get(reverse("public:index"), {"map": "cercle"}).content.decode()
    areas = cells(html, "areas")
    assert areas["Kayes"] == areas["Tessalit"] == ["•"]
    served = figures.public_figures("verified")
    assert all(f.text == "•" for k, f in served.figures.items() if k[0] == "cercle" and f.status != "shown")


@pytest.mark.parametrize("level", ["verified", "documented"])
def test_the_attacker_narrows_no_hidden_figure_of_any_published_table(records, level):
    """Every figure the page and the API publish together, attacked by linear programming."""
    pub, _layout = figures._publication(level)
    shown = protect(pub)
    for key, interval in attack(pub, shown).items():
        if shown[key].status == "small":  # what the rules forbid to publish (see disclosure.weak_figures)
            assert interval.whole_numbers() >= shown[key].threshold, (key, interval, shown[key])
    # And what the page serves is exactly this protected publication.
    served = figures.public_figures(level)
    assert {k: f.text for k, f in served.figures.items()} == {k: f.text for k, f in shown.items()}


def test_documented_figures_add_the_unverified_victims(records):
    html = Client().get(reverse("public:index"), {"level": "documented"}).content.decode()
    assert re.search(r'id="total">116</p>', html)
    assert cells(html, "areas")["Ségou"] == ["26"]


def test_strictly_confidential_records_enter_public_figures_only_if_their_organisation_says_so(records):
    api = reverse("api:public_figures_api")
    assert Client().get(api).json()["total"] == {"value": 96, "text": "96"}
    records.public_figures_include_confidential = True
    records.save()
    figures.forget()
    assert Client().get(api).json()["total"] == {"value": 103, "text": "103"}


def test_the_public_api_serves_the_same_figures_and_never_a_hidden_value(records):
    response = Client().get(reverse("api:public_figures_api"))
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["value"] == 96 and body["level"] == "verified"
    by_region = {r["pcode"]: r for r in body["by_region"]}
    assert by_region["ML05"]["value"] == 50 and by_region["ML05"]["name"] == "Mopti"
    sexual = next(c for c in body["by_category"] if c["code"] == "sexual")
    assert sexual == {"code": "sexual", "value": None, "text": "< 10"}
    hidden = [
        c
        for part in ("by_region", "by_cercle", "by_category", "region_by_category", "children")
        for c in body[part]
        if c["text"] in {"•"} or c["text"].startswith("<")
    ]
    assert hidden and all(c["value"] is None for c in hidden)
    assert body["thresholds"] == {"general": 5, "sexual_violence_and_children": 10}
    assert Client().get(reverse("api:public_figures_api"), {"level": "everything"}).status_code == 422


def test_the_map_draws_every_region_with_its_figure_on_hover_and_a_link_to_its_row(records):
    html = Client().get(reverse("public:index")).content.decode()
    svg = re.search(r'<svg class="choropleth".*?</svg>', html, re.S).group(0)
    titles = re.findall(r"<title>(.*?)</title>", svg)
    assert len(titles) == 9
    assert "Mopti : 50 victimes" in titles
    assert any(t.startswith("Kidal : ") and "&lt; 5" in t for t in titles)
    assert 'href="?level=verified&amp;map=region#ML05"' in svg
    assert "style=" not in svg and "<script" not in html.split("</head>")[1]
    cercles = Client().get(reverse("public:index"), {"map": "cercle"}).content.decode()
    assert len(re.findall(r"<path d=", cercles)) == 50


def test_the_page_reads_in_english(records):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/public/"})
    html = client.get(reverse("public:index")).content.decode()
    assert "victims in total" in html
    assert "Statistical disclosure control" in html
    assert "Mopti: 50 victims" in html


def test_rates_per_100000_appear_once_a_population_is_loaded(records, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "population.csv"
    path.write_text("pcode,year,population\nML05,2022,2000000\nML07,2022,600000\n", encoding="utf-8")
    call_command("places", "population", str(path))
    html = Client().get(reverse("public:index")).content.decode()
    areas = cells(html, "areas")
    assert areas["Mopti"] == ["50", "2,5"]  # 50 / 2,000,000 × 100,000
    assert areas["Gao"] == ["21", "3,5"]
    body = Client().get(reverse("api:public_figures_api")).json()
    assert {r["pcode"]: r["rate"] for r in body["by_region"]}["ML05"] == 2.5
    assert json.dumps(body).count('"rate": null') >= 7
