"""Exported titles are the pages' titles: a reader who may not see a record's exact place gets the neutral
title (types, commune, month: incidents.presenters), never the free one, which names people and villages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from test_exports import exported, read_csv

from conftest import client_for, english_client_for, make_incident
from kurukan.accounts.models import Confidentiality
from kurukan.incidents.models import Incident
from kurukan.incidents.presenters import list_rows

pytestmark = pytest.mark.django_db

FREE = "Exécution de Moussa Traoré à Ogossagou"


@pytest.fixture
def restricted(monitor):
    return make_incident(monitor, title=FREE, confidentiality=Confidentiality.RESTRICTED)


def test_a_reader_without_the_exact_place_exports_the_lists_neutral_title(analyst, monitor, restricted):
    client = client_for(analyst)
    listed = list_rows(analyst, [Incident.objects.get(pk=restricted.pk)])[0]["title"]
    assert "Moussa" not in listed
    for level in ("incidents", "violations"):
        for fmt in ("csv", "json", "hxl"):
            data = exported(client, level, fmt).decode("utf-8-sig")
            assert "Moussa" not in data and "Ogossagou" not in data, (level, fmt)
        (row,) = read_csv(exported(client, level))
        assert row["title"] == listed
    api = b"".join(client.get(reverse("api:export_incidents")).streaming_content).decode()
    assert "Moussa" not in api
    # the record's own organisation sees the free title, as on its pages
    (own,) = read_csv(exported(client_for(monitor), "incidents"))
    assert own["title"] == FREE


def test_the_neutral_title_is_in_the_readers_language(analyst, restricted):
    (row,) = read_csv(exported(english_client_for(analyst), "incidents"))
    french = read_csv(exported(client_for(analyst), "incidents"))[0]["title"]
    assert "Moussa" not in row["title"] and row["title"] != french


def test_the_command_line_exports_the_neutral_title_for_its_user(analyst, restricted, tmp_path):
    target = tmp_path / "incidents.csv"
    call_command("export", "incidents", "--user", analyst.username, "--output", str(target))
    assert "Moussa" not in target.read_text(encoding="utf-8-sig")
    call_command("export", "incidents", "--output", str(target))  # an administrator's export
    assert FREE in target.read_text(encoding="utf-8-sig")
