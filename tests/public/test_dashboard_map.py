"""The dashboard's map: victims by region over what the reader may see, each region a link to the list."""

from __future__ import annotations

import re

import pytest
import test_public_figures
from django.urls import reverse

from conftest import client_for, unit

pytestmark = pytest.mark.django_db
records = test_public_figures.records


def test_the_dashboard_map_counts_what_the_reader_sees_and_links_to_the_list(records, monitor, cndh_monitor):
    html = client_for(monitor).get(reverse("statistics:dashboard")).content.decode()
    svg = re.search(r'<svg class="choropleth".*?</svg>', html, re.S).group(0)
    assert "Mopti : 50 victimes" in svg
    assert "Gao : 28 victimes" in svg  # 21, and the strictly confidential 7 its author sees
    mopti = unit("ML05").pk
    assert f'href="/incidents/?place=unit%3A{mopti}"' in svg
    other = client_for(cndh_monitor).get(reverse("statistics:dashboard")).content.decode()
    assert "Mopti : 50" not in other  # another organisation's records are not counted for it
