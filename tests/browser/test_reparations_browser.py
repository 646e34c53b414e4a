"""A reparation claim in French on the demo: registered, decided, paid — and a second claim for the same
violation refused, also when filed on the victim's duplicate record, naming the first claim on screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = pytest.mark.browser
NAME = "Kadidiatou Sangaré"  # kurukan.reparations.demo.WALKTHROUGH_NAME
AXE = Path(__file__).parent / "assets" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _accessible(page) -> None:
    """No axe-core WCAG 2.1 A/AA violation on the page as it is now (as test_recording_day checks)."""
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => v.id + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }""",
        WCAG_21_AA,
    )
    assert violations == [], f"{page.url}: {violations}"


def _find_records(page) -> tuple[str, str]:
    """The victim's surviving record and their duplicate, from the search results."""
    page.fill("#id_name", NAME)
    page.click("#find-person button.primary")
    duplicate_row = page.locator("#people tbody tr", has_text="doublon fusionné dans")
    expect(duplicate_row).to_have_count(1)
    root = re.search(r"doublon fusionné dans (P-[0-9A-Z-]+)", duplicate_row.inner_text()).group(1)
    duplicate = duplicate_row.get_attribute("id").removeprefix("person-")
    return root, duplicate


def _file_claim(page, base_url: str, person: str) -> None:
    page.goto(f"{base_url}/reparations/new/?person={person}")
    page.check("#id_violations_0")
    page.fill("#id_harm", "Blessée par balle, commerce détruit.")
    page.check("#id_measures_requested_0")
    page.fill("#id_amount_requested", "1000000")
    page.click("#claim-form button.primary")


def test_a_claim_is_paid_once_and_a_second_is_refused_naming_it(demo_server, page):
    page.context.add_init_script(path=str(AXE))  # injected by the browser: the strict CSP stays in force
    login(page, demo_server, "verificateur")
    page.click("header nav >> text=Réparations")
    _accessible(page)
    page.click("text=Enregistrer une demande")
    root, duplicate = _find_records(page)
    _accessible(page)

    _file_claim(page, demo_server, root)
    expect(page.locator(".messages")).to_contain_text("enregistrée")
    reference = page.locator("#claim-reference").inner_text()
    expect(page.locator("#claim-status")).to_have_text("Enregistrée")
    _accessible(page)

    page.click("text=Changer le statut")
    page.select_option("#status-form select[name=status]", value="granted")
    page.fill("#status-form input[name=deciding_body]", "Commission nationale d'indemnisation des victimes")
    page.fill("#status-form input[name=decided_on]", "2025-06-02")
    page.fill("#status-form input[name=amount_granted]", "1000000")
    page.click("#status-form button.primary")
    expect(page.locator("#claim-status")).to_have_text("Réparation accordée")
    expect(page.locator("#amount-granted")).to_have_text("1\u202f000\u202f000\u00a0F\u202fCFA")

    page.click("text=Enregistrer un paiement")
    page.fill("#payment-form input[name=amount]", "1000000")
    page.fill("#payment-form input[name=reference]", "Virement 2025-118")
    page.click("#payment-form button.primary")
    expect(page.locator("#claim-status")).to_have_text("Payée")
    expect(page.locator("#amount-paid")).to_have_text("1\u202f000\u202f000\u00a0F\u202fCFA")

    for person in (root, duplicate):
        _file_claim(page, demo_server, person)
        error = page.locator("#claim-form .field.has-error .error")
        expect(error).to_contain_text(f"Demande refusée : la demande {reference}")
        expect(error).to_contain_text("n'est pas indemnisée deux fois")
        _accessible(page)
    # The refused forms answer 422, which Chromium reports as failed loads; nothing else may fail.
    assert [e for e in page.console_errors if "status of 422" not in e] == []

    page.goto(f"{demo_server}/reparations/?reference={reference}")
    expect(page.locator("table.claims tbody tr")).to_have_count(1)
    expect(page.locator("table.claims td.status")).to_have_text("Payée")
    page.goto(f"{demo_server}/reparations/figures/?by=sex")
    expect(page.locator("#total-paid")).not_to_have_text("0")
    _accessible(page)
