"""A page number past any register (a hand-edited address, a crawler) shows the last rows or none: never a 500.

An offset past a 64-bit integer reached PostgreSQL as `OFFSET 8…` and failed there (SQLite: an overflow)."""

from __future__ import annotations

import pytest

from conftest import client_for, make_incident
from kurukan.incidents import queries

HUGE = "33140398769757420340472845434880"


@pytest.mark.parametrize("page", [HUGE, "-3", "9" * 400, "2"])
@pytest.mark.parametrize("url", ["/incidents/", "/recommendations/"])
def test_a_page_number_past_any_register_is_not_a_server_error(monitor, url, page, monkeypatch):
    make_incident(monitor, title="Enlèvement à Ségou")
    # As past the count a page makes first (200): the list no longer knows where its rows end, and asks the
    # database for the page at its offset.
    monkeypatch.setattr(queries, "PAGE_COUNT_CAP", 0)
    response = client_for(monitor).get(url, {"page": page}, follow=True)
    assert response.status_code == 200
