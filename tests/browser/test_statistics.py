"""The statistics pages as a new user meets them, in French and English, on a desktop and on a phone.

Screenshots are kept in $TEST_OUTPUT_DIR/statistics (default: test-output/statistics at the repository
root) for a person to look at; the test itself fails on any console error, which includes anything the
strict Content Security Policy blocks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUT = (
    Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output"))
    / "statistics"
)
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TITLES = {
    "fr": {
        "dashboard": "Statistiques",
        "children": "Enfants et conflit armé",
        "compare": "Comparer deux périodes",
    },
    "en": {
        "dashboard": "Statistics",
        "children": "Children and armed conflict",
        "compare": "Compare two periods",
    },
}
COMPARE = "a_from=2020-01-01&a_to=2021-12-31&b_from=2022-01-01&b_to=2023-12-31"


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], locale="fr-FR")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield request.param, page
    context.close()


def _shoot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


# Every text of every chart, measured by the browser in the chart's own units, against the picture's frame:
# SVG cuts off what is drawn outside it (a long type's name at the left, a large number after the bar).
OUTSIDE = """() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
  const frame = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
    .filter(([, b]) => b.x < -0.5 || b.x + b.width > frame.width + 0.5)
    .map(([text, b]) => `${text}: ${Math.round(b.x)}..${Math.round(b.x + b.width)} of ${frame.width}`);
})"""


def _outside_the_picture(page) -> list[str]:
    return page.evaluate(OUTSIDE)


def test_the_statistics_pages_in_both_languages(demo_server, screen):
    size, page = screen
    login(page, demo_server, "analyste")
    for lang in ("fr", "en"):
        if lang == "en":
            page.click("form.lang button")
            page.wait_for_load_state("networkidle")
        page.goto(f"{demo_server}/statistics/")
        expect(page.locator("h1")).to_have_text(TITLES[lang]["dashboard"])
        expect(page.locator(".cards li")).to_have_count(4)
        assert page.locator("figure.chart svg").count() >= 5
        assert page.locator("table.figures").count() >= 5
        assert _outside_the_picture(page) == []
        _shoot(page, f"dashboard-{lang}-{size}")

        page.goto(f"{demo_server}/statistics/children/")
        expect(page.locator("h1")).to_contain_text(TITLES[lang]["children"])
        assert _outside_the_picture(page) == []
        _shoot(page, f"children-{lang}-{size}")

        page.goto(f"{demo_server}/statistics/compare/?{COMPARE}&measure=violations")
        expect(page.locator("h1")).to_have_text(TITLES[lang]["compare"])
        sentence = page.locator("p.sentence").inner_text()
        assert ("went from" in sentence or "stayed at" in sentence) if lang == "en" else ("sont" in sentence)
        _shoot(page, f"compare-{lang}-{size}")
    assert page.console_errors == []


def test_a_bar_opens_the_incident_list_and_a_bad_period_is_said_on_screen(demo_server, page):
    login(page, demo_server, "analyste")
    page.goto(f"{demo_server}/statistics/?date_from=2022-05-01&date_to=2022-01-01")
    expect(page.locator(".field.has-error .error")).to_have_text("La fin de la période précède son début.")
    page.goto(f"{demo_server}/statistics/")
    page.locator("#perpetrator figure.chart a rect").first.click()
    page.wait_for_url(re.compile(r"/incidents/\?.*perpetrator_category=\d+"))
    expect(page.locator("table.incidents tbody tr").first).to_be_visible()
    assert page.console_errors == []
