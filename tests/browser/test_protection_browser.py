"""Issue #15's proof in a real browser, in French: a monitor records a rape with the survivor's consent to
store but not to share; the verification officer shares the incident with identities with the CNDH and is
told one person will not be named; the CNDH's monitor sees the record without the survivor's name, and the
page says why. Everyone leaves with "Quitter maintenant", which ends the session and replaces the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SURVIVOR = ("Kadiatou", "Sangaré")


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "kurukan-demo-2026")
    page.click("button.primary")
    page.wait_for_url("**/incidents/")


def _leave_now(page, base_url: str) -> None:
    page.click("#quick-exit")
    page.wait_for_url("**/accounts/blank/")
    assert "Kurukan" not in page.content()
    page.goto(f"{base_url}/incidents/")
    page.wait_for_url("**/accounts/login/**")  # the session is over


def test_a_survivor_who_refused_sharing_is_not_named_to_the_partner(demo_server, page):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, demo_server, "monitor")
    page.click("text=Nouvel incident")
    page.wait_for_url("**/new/")
    page.fill("#id_title", "Viol près du puits")
    page.fill("#id_start_date", "2024-03-02")
    page.fill("#place-search", "ogossagou")
    page.locator("#place-results input[type=radio]").first.check()
    page.select_option("#id_violation-type", label="Viol")
    page.fill("#id_victim-given_name", SURVIVOR[0])
    page.fill("#id_victim-family_name", SURVIVOR[1])
    page.select_option("#id_victim-sex", "female")
    page.fill("#id_victim-age_at_time", "24")
    page.select_option("#id_consent-store", label="Donné")
    page.select_option("#id_consent-share_partner", label="Refusé")
    page.select_option("#id_consent-method", label="Écrit")
    page.click("form.first-record > button.primary")
    page.wait_for_url("**/edit/")
    page.click("section.submit button.primary")
    if page.locator("#submit-warnings").count():
        page.click("section.submit button.primary")  # "Soumettre quand même"
    page.wait_for_url("**/incidents/*/")
    public_id = page.url.rstrip("/").split("/")[-1]
    # The survivor's file records the answers; its title and address name nobody.
    page.click("text=fiche")
    page.wait_for_url("**/people/*/")
    expect(page.locator("#consents")).to_contain_text("Refusé")
    assert SURVIVOR[1] not in page.title() and SURVIVOR[1] not in page.url
    _leave_now(page, demo_server)

    _login(page, demo_server, "verificateur")
    page.goto(f"{demo_server}/incidents/{public_id}/")
    page.select_option("#id_organisation", label="CNDH")
    page.check("#id_include_identities")
    page.click("form[action$='/shares/'] button")
    expect(page.locator(".messages")).to_contain_text("1 personne ne sera pas nommée")
    _leave_now(page, demo_server)

    _login(page, demo_server, "partenaire")
    page.goto(f"{demo_server}/incidents/{public_id}/")
    expect(page.locator("#consent-withheld")).to_contain_text(
        "1 personne n'est pas nommée : elle n'a pas consenti au partage de son identité avec votre organisation."
    )
    expect(page.locator("main")).not_to_contain_text(SURVIVOR[1])
    expect(page.locator("main")).to_contain_text("Victime 1")
    assert not errors
