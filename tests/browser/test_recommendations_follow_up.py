"""The follow-up focal point of the Ministry of Justice at work, in French, on the demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser


def test_the_focal_point_records_a_measure_and_an_assessment_and_the_public_page_follows(
    demo_server, page, browser, tmp_path
):
    login(page, demo_server, "point-focal")
    page.click("header nav >> text=Recommandations")
    expect(page.locator("h2", has_text="recommandations").first).to_contain_text("2 recommandations")
    rows = page.locator("table.recommendations tbody tr")
    assert rows.count() == 2  # only what is assigned to the Ministry of Justice
    page.click("a:has-text('death penalty')")

    # A bad measure first: the message appears next to the field, in French.
    page.click("#measure-form button.primary")
    expect(page.locator("#measure-form .field.has-error .error").first).to_be_visible()
    expect(page.locator("#measure-form")).to_contain_text("Décrivez la mesure.")
    # The refused form answers 422, which Chromium reports as a failed resource load; nothing else may.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
    page.console_errors.clear()

    page.select_option("#measure-form select[name=institution]", index=1)
    page.fill("#measure-form textarea[name=description]", "Transmettre le projet de loi à l'Assemblée")
    page.fill("#measure-form input[name=due_date]", "2025-06-30")
    page.click("#measure-form button.primary")
    expect(page.locator(".messages")).to_contain_text("Mesure enregistrée.")
    expect(page.locator("body")).to_contain_text("Transmettre le projet de loi à l'Assemblée")

    proof = tmp_path / "compte-rendu.pdf"
    proof.write_bytes(b"%PDF-1.4 compte rendu")
    page.select_option("#assessment-form select[name=status]", value="implemented")
    page.set_input_files("#assessment-form input[type=file]", str(proof))
    page.fill("#assessment-form textarea[name=evidence]", "Loi promulguée.")
    page.click("#assessment-form button.primary")
    expect(page.locator("#current-status")).to_have_text("Mise en œuvre")
    expect(page.locator("a", has_text="Pièce jointe 1")).to_be_visible()
    symbol = page.locator("h1").inner_text()
    assert page.console_errors == []

    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    visitor.goto(f"{demo_server}/recommendations/public/?q=death+penalty&status=implemented")
    expect(visitor.locator("table.recommendations")).to_contain_text(symbol.split(" § ")[0])
    expect(visitor.locator("td.status").first).to_have_text("Mise en œuvre")
    assert "Loi promulguée" not in visitor.content()
    assert page.console_errors == []


def test_a_recommendation_on_summary_executions_shows_verified_executions_per_quarter(demo_server, page):
    login(page, demo_server, "verificateur")
    page.goto(f"{demo_server}/recommendations/?q=summary+executions&mechanism=hrc_resolution")
    page.click("a:has-text('Strongly condemns the summary executions')")
    figure = page.locator("figure.indicator").first
    expect(figure).to_contain_text("Exécutions sommaires vérifiées par trimestre")
    assert figure.locator("svg.trend rect").count() == figure.locator("tbody tr").count() > 0
    assert page.console_errors == []
