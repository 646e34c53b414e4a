"""Accountability as a new user meets it, in French: open a case for two verified violations, move it through
investigation to judgment and see the impunity indicators change; record an intervention whose deadline has
passed and see it overdue, on its page and in the coordinator's list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def indicators(page, base_url: str) -> dict[str, int]:
    page.goto(f"{base_url}/justice/impunity/")
    return {
        name: int(page.locator(f"#total-{name}").inner_text().replace("\u202f", ""))
        for name in ("verified", "no-case", "investigation", "judgment")
    }


def add_stage(page, kind: str, day: str, outcome: str = "") -> None:
    page.click("#case-body summary:has-text('Enregistrer une étape')")
    page.select_option("#id_kind", label=kind)
    page.fill("#id_on", day)
    if outcome:
        page.select_option("#id_outcome", label=outcome)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("#stage-form button.primary")
    page.wait_for_load_state("networkidle")


def test_a_case_to_judgment_moves_the_indicators_and_an_intervention_goes_overdue(demo_server, page):
    login(page, demo_server, "monitor")
    before = indicators(page, demo_server)

    # Open a case for two verified violations that no case names yet.
    page.goto(f"{demo_server}/justice/cases/new/")
    free = [
        label
        for label in page.locator("label:has(input[name=violations])").all()
        if " · Vérifiée" in label.inner_text() and "déjà visée" not in label.inner_text()
    ][:2]
    assert len(free) == 2, "the demo has verified violations without a case"
    for label in free:
        label.locator("input").check()
    page.fill("#id_title", "Exécutions de Diallassagou")
    page.select_option(
        "#id_jurisdiction",
        label="Pôle judiciaire spécialisé (terrorisme et criminalité transnationale organisée)",
    )
    page.fill("#id_court", "Pôle judiciaire spécialisé de Bamako")
    page.click("form.card button.primary")
    expect(page.locator(".messages")).to_contain_text(re.compile(r"Procédure J-\w{4}-\w{4} ouverte\."))

    # Investigation, then a judgment: refused without its decision, saved with it.
    add_stage(page, "Enquête ouverte", "2024-03-01")
    expect(page.locator("#case-body .success")).to_have_text("Étape enregistrée.")
    expect(page.locator("#current-stage")).to_have_text("Enquête ouverte")
    add_stage(page, "Jugement", "2024-11-20")
    expect(page.locator("#case-body .error")).to_contain_text("Un jugement dit s'il condamne ou acquitte")
    page.select_option("#id_outcome", label="Condamnation")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click("#stage-form button.primary")
    expect(page.locator("#current-stage")).to_have_text("Jugement (Condamnation)")

    after = indicators(page, demo_server)
    assert after["verified"] == before["verified"]
    assert after["no-case"] == before["no-case"] - 2
    assert after["investigation"] >= before["investigation"] + 2
    assert after["judgment"] == before["judgment"] + 2

    # An urgent appeal whose deadline has passed with no answer.
    page.goto(f"{demo_server}/justice/interventions/new/")
    page.select_option("#id_kind", label="Appel urgent")
    page.select_option("#id_institution", label="Ministère de la Justice et des Droits de l'homme")
    page.fill("#id_sent_on", "2024-01-10")
    page.fill("#id_deadline", "2024-02-10")
    page.fill("#id_request", "Informer les familles du sort des personnes détenues.")
    page.locator("label:has(input[name=violations])").first.locator("input").check()
    page.click("form.card button.primary")
    expect(page.locator(".messages")).to_contain_text("Intervention IV-")
    expect(page.locator("#overdue-notice")).to_contain_text("En retard : aucune réponse reçue")
    public_id = page.locator("h1 .muted").inner_text()

    page.goto(f"{demo_server}/justice/interventions/?overdue=1")
    expect(page.locator("#interventions")).to_contain_text(public_id)

    # The coordinator sees it in the list of interventions to chase up.
    page.click("header form button:has-text('Se déconnecter')")
    login(page, demo_server, "verificateur")
    page.goto(f"{demo_server}/justice/interventions/overdue/")
    row = page.locator("#interventions tr", has_text=public_id)
    expect(row).to_contain_text("En retard de")
