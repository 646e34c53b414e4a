"""The issue's "done when": every path that shows a figure equals the hand count (handmade.py).

Each path is one function in PATHS returning the figures a reader gets from it; the violation export
(`exports`) and the public page (`public`) add theirs to PATHS when they land.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from handmade import HAND, build

from conftest import client_for


def _dashboard(user) -> dict:
    page = client_for(user).get("/statistics/").content.decode()
    cards = dict(
        (what, int(re.sub(r"\D", "", figure)))
        for figure, what in re.findall(
            r'<span class="figure">([^<]+)</span> <span class="what">([^<]+)</span>', page
        )
    )
    return {
        "incidents": cards["Incidents"],
        "violations": cards["Violations et atteintes"],
        "victims": cards["Victimes"],
    }


def _api(user) -> dict:
    client = client_for(user)
    return {
        measure: client.get("/api/statistics/table", {"measure": measure}).json()["total"]
        for measure in ("incidents", "violations", "victims")
    }


def _csv(user) -> dict:
    client = client_for(user)
    out = {}
    for breakdown, measure in (("type_region", "violations"), ("children", "victims")):
        body = client.get(f"/statistics/download/{breakdown}.csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0][-1] == measure
        out[measure] = int(rows[-1][-1])  # the total row
    return out


def _cli(user) -> dict:
    out = {}
    for measure in ("incidents", "violations", "victims"):
        buffer = io.StringIO()
        call_command("statistics", "--measure", measure, "--json", "--user", user.username, stdout=buffer)
        out[measure] = json.loads(buffer.getvalue())["total"]
    return out


PATHS = {"dashboard page": _dashboard, "API": _api, "CSV download": _csv, "kurukan statistics --json": _cli}


@pytest.mark.parametrize("path", PATHS)
def test_every_path_gives_the_hand_count(monitor, other_monitor, administrator, analyst, path):
    build(monitor, other_monitor)
    for user, expected in (
        (administrator, HAND["everything"]["documented"]),
        (analyst, HAND["analyst"]["documented"]),
    ):
        got = PATHS[path](user)
        for measure, value in got.items():
            assert value == expected[measure], f"{path}, {user.username}, {measure}"


def test_the_cli_json_has_the_issue_keys_and_codes(monitor, other_monitor):
    build(monitor, other_monitor)
    buffer = io.StringIO()
    call_command(
        "statistics", "--measure", "victims", "--by", "region,child", "--format", "json", stdout=buffer
    )
    result = json.loads(buffer.getvalue())
    assert list(result) == ["measure", "by", "rows", "total"]
    assert result["by"] == ["region", "child"]
    assert {"region": "ML07", "child": "child", "value": 5} in result["rows"]
    assert result["total"] == HAND["everything"]["documented"]["victims"]


def test_the_cli_counts_verified_violations_in_a_region(monitor, other_monitor):
    build(monitor, other_monitor)
    buffer = io.StringIO()
    call_command(
        "statistics",
        "--measure",
        "victims",
        "--verified",
        "--region",
        "ML05",
        "--format",
        "csv",
        stdout=buffer,
    )
    assert buffer.getvalue().splitlines() == ["value", "18"]
