"""The issue's hand-counted dataset (tests/statistics/handmade.py) on the public page and the public API."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kurukan.public import figures

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statistics"))
from handmade import HAND, build  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures():
    figures.forget()
    yield
    figures.forget()


@pytest.mark.parametrize("level", ["verified", "documented"])
def test_the_public_figures_equal_the_hand_count_less_the_strictly_confidential_record(
    monitor, other_monitor, level
):
    build(monitor, other_monitor)
    # D (strictly confidential, one verified and documented victim) stays out of public figures by default.
    expected = HAND["everything"][level]["victims"] - 1
    html = Client().get(reverse("public:index"), {"level": level}).content.decode()
    assert re.search(rf'<p class="headline" id="total">{expected}</p>', html)
    body = Client().get(reverse("api:public_figures_api"), {"level": level}).json()
    assert body["total"] == {"value": expected, "text": str(expected)}
