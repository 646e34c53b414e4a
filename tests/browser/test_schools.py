"""The register of closed schools as a new user meets it, in French: import the education cluster's list,
see the closures by region and on the map, reopen a school, see the public list follow, and see an attack
on a school recorded as a violation appear on the school's page."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIST = Path(__file__).parent.parent / "data" / "schools" / "cluster_list_2024-01.csv"


def closed_by_region(page, base_url: str, day: str) -> tuple[Counter, int]:
    page.goto(f"{base_url}/schools/public/?on={day}")
    counts = Counter()
    for row in page.locator("#by-region tbody tr[data-pcode]").all():
        counts[row.get_attribute("data-pcode")] = int(
            row.locator("td").nth(1).inner_text().replace("\u202f", "")
        )
    return counts, page.locator(".school-map g.points circle").count()


def post_and_settle(page, locator) -> None:
    with page.expect_response(lambda response: response.request.method == "POST"):
        locator.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)


def test_import_count_reopen_publish_and_link_an_attack(demo_server, page):
    with LIST.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_hand = Counter(r["commune_pcode"][:4] for r in rows if r["etat"] in {"Fermée", "Occupée"})
    login(page, demo_server, "monitor")
    before, points_before = closed_by_region(page, demo_server, "2024-01-31")

    # Import the cluster's list of 50 schools.
    page.goto(f"{demo_server}/schools/")
    page.click("text=Importer une liste")
    page.set_input_files("#id_file", str(LIST))
    page.click("form.card button.primary")
    page.wait_for_url("**/imports/*/")  # the list is an import job: its page, with its quarantine
    expect(page.locator("#import-status .stage")).to_contain_text(
        "50 lignes lues : 50 écoles ajoutées, 0 mises à jour, 50 états ajoutés, 0 inchangées, 0 en quarantaine."
    )

    # The closed schools by region on 31 January 2024, and on the map: the list's closures were added.
    after, points_after = closed_by_region(page, demo_server, "2024-01-31")
    assert after - before == by_hand
    assert points_after - points_before == sum(by_hand.values())
    expect(page.locator("#closed-schools")).to_contain_text("ML05-0001")

    # Reopen one school from its page (htmx).
    page.goto(f"{demo_server}/schools/ML05-0001/")
    expect(page.locator("#current-state")).to_contain_text("Fermée depuis le 25/12/2021")
    page.click('summary:has-text("Enregistrer un changement d\'état")')
    page.select_option("#id_status", label="Rouverte")
    page.fill("#id_starts_on", "2024-02-05")
    post_and_settle(page, page.locator("#history button.primary"))
    expect(page.locator("#current-state")).to_contain_text("Ouverte depuis le 05/02/2024")
    expect(page.locator("ol.timeline")).to_contain_text("Rouverte")

    # A second closure on a date the school was already closed is refused, naming the earlier entry.
    page.click('summary:has-text("Enregistrer un changement d\'état")')
    page.select_option("#id_status", label="Fermée")
    page.fill("#id_starts_on", "2023-03-01")
    page.select_option("#id_reason", label="Menace directe")
    post_and_settle(page, page.locator("#history button.primary"))
    expect(page.locator("#history p.error")).to_contain_text("« Fermée » du 25/12/2021")

    # The public list follows, without logging in.
    page.context.clear_cookies()
    page.goto(f"{demo_server}/schools/public/?on=2024-02-10")
    expect(page.locator("h1")).to_contain_text("Écoles fermées")
    expect(page.locator("#closed-schools")).not_to_contain_text("ML05-0001")
    reopened, _points = closed_by_region(page, demo_server, "2024-02-10")
    assert reopened["ML05"] == after["ML05"] - 1

    # An attack on the school, recorded as a violation, appears on the school's page.
    login(page, demo_server, "monitor")
    page.click("text=Nouvel incident")
    page.fill("#id_title", "Attaque contre l'école de Mandio (test navigateur)")
    page.fill("#id_start_date", "2024-03-02")
    page.fill("#place-search", "sio")
    page.locator("#place-results li", has_text="commune").filter(has_text="Sio").locator(
        "input"
    ).first.check()
    page.click("text=Enregistrer l'incident")
    page.wait_for_url("**/edit/")
    public_id = page.url.rstrip("/").split("/")[-2]
    violations = page.locator("#violations")
    violations.locator("select[name=type]").last.select_option(
        label="Attaque contre une école ou du personnel éducatif"
    )
    violations.locator("select[name=school]").last.select_option(
        label="École fondamentale second cycle de Mandio (ML05-0001)"
    )
    post_and_settle(page, violations.locator("text=Ajouter la violation"))
    expect(violations.locator("article.violation").first).to_contain_text(
        "École fondamentale second cycle de Mandio"
    )
    page.goto(f"{demo_server}/schools/ML05-0001/")
    expect(page.locator("#violations")).to_contain_text(public_id)
    expect(page.locator("#violations")).to_contain_text("Attaque contre une école")
    assert page.console_errors == []
