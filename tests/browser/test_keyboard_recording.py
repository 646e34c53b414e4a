"""Issue #16, item 11: recording an incident with the keyboard alone — no mouse click anywhere.

The monitor signs in, opens "Nouvel incident", fills the one-flow form top to bottom with Tab, typing,
type-ahead in the lists and Space on the place found, saves with Enter, meets a refused age announced in
place with focus on it, corrects it and saves. Every field is reached by Tab (the test fails if Tab goes
round the page without reaching it), and axe-core and the console stay clean.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import test_recording_day as day

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAX_TABS = 120


def _active(page) -> str:
    return page.evaluate("document.activeElement ? (document.activeElement.id || '') : ''")


def tab_to(page, element_id: str) -> None:
    """Press Tab until the element has focus; fail if it cannot be reached by the keyboard."""
    for _ in range(MAX_TABS):
        if _active(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is never reached with Tab")


def tab_to_selector(page, selector: str) -> None:
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is never reached with Tab")


def test_a_monitor_records_an_incident_with_the_keyboard_only(demo_server, browser):
    visit = day.Visit(browser, demo_server, "fr")
    page = visit.page
    page.goto(f"{demo_server}/accounts/login/")
    tab_to(page, "id_username")
    page.keyboard.type("monitor")
    tab_to(page, "id_password")
    page.keyboard.type("kurukan-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/incidents/")
    visit.check()

    tab_to_selector(page, "a[href$='/incidents/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/new/")
    visit.check()

    tab_to(page, "id_title")
    page.keyboard.type("Attaque au clavier")
    tab_to(page, "id_start_date")
    page.keyboard.type("10022024")  # jj/mm/aaaa, segment by segment as a French keyboard user types it
    tab_to(page, "place-search")
    page.keyboard.type("ogossagou")
    expect(page.locator("#place-results input[type=radio]").first).to_be_visible()
    tab_to_selector(page, "#place-results input[type=radio]")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")

    tab_to(page, "id_violation-type")
    page.keyboard.type("Meurtre")  # type-ahead in a closed list picks the first matching option
    assert page.locator("#id_violation-type option:checked").inner_text().startswith("Meurtre")
    tab_to(page, "id_victim-given_name")
    page.keyboard.type("Zorblatt")
    tab_to(page, "id_victim-age_at_time")
    page.keyboard.type("300")
    # A second violation on the same page: Enter on the folded section opens it.
    tab_to_selector(page, "#further-violation-2 > summary")
    page.keyboard.press("Enter")
    tab_to(page, "id_violation2-type")
    page.keyboard.type("Enl")
    assert page.locator("#id_violation2-type option:checked").inner_text().startswith("Enl")
    tab_to(page, "id_victim2-given_name")
    page.keyboard.type("Fanta")
    tab_to(page, "id_victim2-age_at_time")
    page.keyboard.type("12")
    tab_to_selector(page, "form.first-record > button.primary")
    page.keyboard.press("Enter")
    expect(page.locator("#id_victim-age_at_time_error")).to_contain_text("entre 0 et 120 ans")
    assert _active(page) == "id_victim-age_at_time"  # focus moved to the refused field
    assert page.locator("#id_victim-age_at_time_error").get_attribute("id")
    described = page.locator("#id_victim-age_at_time").get_attribute("aria-describedby") or ""
    assert "id_victim-age_at_time_error" in described  # a screen reader reads the message with the field
    visit.check()

    page.keyboard.press("Control+A")
    page.keyboard.type("34")
    tab_to_selector(page, "form.first-record > button.primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")
    expect(page.locator("#violations article.violation").first).to_contain_text("Zorblatt")
    expect(page.locator("#violations article.violation").nth(1)).to_contain_text("Fanta")
    visit.check()
    visit.close()
