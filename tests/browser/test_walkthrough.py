"""What a new user does on the demo: find incidents, record one, submit it, verify it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser


def post_and_settle(page, locator) -> None:
    """Click a button that posts through htmx and wait until the answer is swapped into the page."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        locator.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)  # htmx settles swapped content after 20 ms


def test_a_monitor_finds_incidents_in_mopti_in_2022_by_type(demo_server, page):
    login(page, demo_server, "monitor")
    page.select_option("#id_region", label="Mopti")
    page.fill("#id_date_from", "2022-01-01")
    page.fill("#id_date_to", "2022-12-31")
    page.click("form.filters button.primary")
    expect(page).to_have_url(re.compile(r"region=\d+"))
    places = page.locator("table.incidents td[data-label='Lieu']").all_inner_texts()
    dates = page.locator("table.incidents td[data-label='Date']").all_inner_texts()
    assert places, "the demo data has incidents in Mopti in 2022"
    assert all(p.endswith("Mopti") for p in places)
    assert all("2022" in d for d in dates)
    # Narrow by violation type: every row then shows that type.
    option = page.locator("#id_violation_type option").nth(2)
    label = option.inner_text()
    page.select_option("#id_violation_type", label=label)
    page.click("form.filters button.primary")
    page.wait_for_load_state("networkidle")
    types = page.locator("table.incidents td[data-label='Violations']").all_inner_texts()
    assert all(label.strip() in t for t in types)
    assert page.console_errors == []


def test_record_submit_and_verify_an_incident(demo_server, page):
    login(page, demo_server, "monitor")
    page.click("text=Nouvel incident")
    page.fill("#id_title", "Exécutions et pillage à Ogossagou (test navigateur)")
    page.fill("#id_start_date", "2024-02-10")
    page.fill("#place-search", "ogossagou")
    page.locator("#place-results input[type=radio]").first.check()
    page.fill("#id_narrative", "Récit protégé du témoin.")
    page.click("text=Enregistrer l'incident")
    page.wait_for_url("**/edit/")
    public_id = page.url.rstrip("/").split("/")[-2]

    violations = page.locator("#violations")
    # Violation 1: summary execution with one named victim and an alleged perpetrator.
    violations.locator("select[name=type]").last.select_option(label="Exécution sommaire ou extrajudiciaire")
    post_and_settle(page, violations.locator("text=Ajouter la violation"))
    first = violations.locator("article.violation").nth(0)
    expect(first).to_contain_text("Exécution sommaire")
    first.locator("summary", has_text="victime nommée").click()
    first.locator("input[name=given_name]").fill("Aminata")
    first.locator("input[name=family_name]").fill("Traoré")
    first.locator("select[name=sex]").select_option("female")
    first.locator("input[name=age_at_time]").fill("30")
    post_and_settle(page, first.locator("text=Ajouter la victime"))
    expect(violations.locator("article.violation").nth(0)).to_contain_text("Aminata Traoré")
    first = violations.locator("article.violation").nth(0)
    first.locator("summary", has_text="auteur présumé").click()
    first.locator("select[name=category]").select_option(label="Hommes armés non identifiés")
    post_and_settle(page, first.locator("text=Ajouter l'auteur présumé"))
    expect(violations.locator("article.violation").nth(0)).to_contain_text("Hommes armés non identifiés")

    # Violation 2: looting with a group of victims counted by sex and age.
    violations.locator("select[name=type]").last.select_option(label="Pillage et destruction de biens")
    post_and_settle(page, violations.locator("text=Ajouter la violation"))
    second = violations.locator("article.violation").nth(1)
    expect(second).to_contain_text("Pillage")
    second.locator("summary", has_text="groupe de victimes").click()
    second.locator("input[name=women]").fill("3")
    second.locator("input[name=girls]").fill("2")
    post_and_settle(page, second.locator("text=Ajouter le groupe"))
    expect(violations.locator("article.violation").nth(1)).to_contain_text("5")

    page.click("text=Soumettre pour vérification")
    # No source yet: what is missing is listed, and submitting anyway is a second, knowing click.
    expect(page.locator("#submit-warnings")).to_contain_text("Aucune source")
    page.click("text=Soumettre quand même")
    expect(page.locator(".badge.submitted")).to_be_visible()
    assert page.console_errors == []

    # The verification officer verifies both violations with a stated standard of proof.
    page.context.clear_cookies()
    login(page, demo_server, "verificateur")
    page.goto(f"{demo_server}/incidents/{public_id}/")
    for index in range(2):
        card = page.locator("#verification article.violation").nth(index)
        card.locator("select[name=verification_status]").select_option("verified")
        card.locator("select[name=standard_of_proof]").select_option(label="Motifs raisonnables de croire")
        post_and_settle(page, card.locator("text=Enregistrer la vérification"))
        expect(
            page.locator("#verification article.violation").nth(index).locator(".badge.v-verified")
        ).to_be_visible()
    # Closing is proposed, then confirmed as its own action.
    page.click("section.closing button")
    expect(page.locator(".badge.closed")).to_be_visible()
    assert page.console_errors == []


def test_the_analyst_sees_no_victim_name(demo_server, page):
    login(page, demo_server, "analyste")
    page.locator("table.incidents tbody tr a").first.click()
    expect(page.locator("main")).to_contain_text("Récit et identités masqués")
    assert page.locator(".protected").count() == 0
