"""The public figures page and its map, as a visitor sees them: French and English, desktop and phone.

Screenshots are kept in tests/browser/artefacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.mark.parametrize(
    ("language", "width", "height"),
    [("fr", 1280, 900), ("en", 1280, 900), ("fr", 390, 844), ("en", 390, 844)],
)
def test_a_visitor_reads_the_public_figures_and_the_map(demo_server, browser, language, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{demo_server}/public/")
    if language == "en":
        page.click("form.lang button")
        page.wait_for_load_state("networkidle")
    heading = page.locator("h1").inner_text()
    assert heading == (
        "Victims of human rights violations and abuses in Mali"
        if language == "en"
        else "Victimes de violations et d'atteintes aux droits humains au Mali"
    )
    areas = page.locator("svg.choropleth a")
    assert areas.count() == 9
    # Each region says its figure on hover and focus (its <title>), and takes keyboard focus.
    title = areas.first.locator("title").text_content()
    assert title.startswith("Kayes : " if language == "fr" else "Kayes: ")
    areas.first.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == title
    # The table beside the map has a row per region, and no hidden value ever reads as a number.
    rows = page.locator("#areas tbody tr")
    assert rows.count() == 9
    texts = page.locator("#areas tbody td").all_inner_texts()
    assert all(t.strip() for t in texts)
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"public-{language}-{width}.png"), full_page=True)
    # The cercle map too.
    page.click("a[href*='map=cercle']")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.choropleth a").count() == 50
    page.screenshot(path=str(ARTEFACTS / f"public-cercles-{language}-{width}.png"), full_page=True)
    assert errors == []
    context.close()
