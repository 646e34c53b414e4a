"""Figures against a hand count, through `kurukan schools closed` (text and --json) and the functions."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from school_builders import add_status, make_school

from kurukan.statistics import schools as figures

D = dt.date


@pytest.fixture
def register(monitor):
    """Five schools: Bankass and Bandiagara (Mopti), Gao, Ségou; one closed and reopened, one never closed.

    On 2023-06-30, by hand: Mopti 2 schools (Bankass 260 pupils, Bandiagara 90 affected), Gao 1 (300 pupils).
    """
    bankass = make_school("MO-1", name="Bankass A", commune="ML050301")  # 120 + 140 pupils, 6 teachers
    bandiagara = make_school("MO-2", name="Bandiagara B", commune="ML050201", girls=50, boys=60)
    gao = make_school("GA-1", name="Gao C", commune="ML070101", girls=150, boys=150, women=1, men=1)
    segou = make_school("SE-1", name="Ségou D", commune="ML040601")
    mopti_open = make_school("MO-3", name="Mopti E", commune="ML050601")
    add_status(bankass, monitor, "closed", D(2022, 1, 10))
    add_status(
        bankass, monitor, "occupied", D(2023, 2, 1), reason="occupation"
    )  # still closed: no new closing
    add_status(bandiagara, monitor, "closed", D(2023, 5, 3), pupils=90)
    add_status(gao, monitor, "destroyed", D(2021, 11, 20), reason="attack")
    add_status(segou, monitor, "closed", D(2022, 12, 1))
    add_status(segou, monitor, "reopened", D(2023, 4, 1), reason=None)
    add_status(mopti_open, monitor, "open", D(2020, 10, 1), reason=None)
    return {"bankass": bankass, "bandiagara": bandiagara, "gao": gao, "segou": segou}


def run(*args) -> str:
    out = io.StringIO()
    call_command("schools", *args, stdout=out)
    return out.getvalue()


def test_closed_by_region_as_json_has_exactly_the_issue_shape(register):
    payload = json.loads(run("closed", "--on", "2023-06-30", "--json"))
    assert payload == {
        "on": "2023-06-30",
        "by": "region",
        "rows": [
            {"region": "ML05", "value": 2, "pupils": 260 + 90},
            {"region": "ML07", "value": 1, "pupils": 300},
        ],
        "total": 3,
    }


def test_closed_by_cercle_counts_each_cercle(register):
    payload = json.loads(run("closed", "--on", "2023-01-15", "--by", "cercle", "--json"))
    assert payload["rows"] == [
        {"cercle": "ML0406", "value": 1, "pupils": 260},  # Tominian (Ségou D)
        {"cercle": "ML0503", "value": 1, "pupils": 260},  # Bankass
        {"cercle": "ML0701", "value": 1, "pupils": 300},  # Gao
    ]
    assert payload["total"] == 3


def test_the_text_output_ends_with_a_summary_line(register):
    text = run("closed", "--on", "2023-06-30")
    assert text.splitlines()[-1] == "3 écoles fermées, 650 élèves privés d'école, 14 enseignants."


def test_a_bad_date_is_explained(register):
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        run("closed", "--on", "30/06/2023")


def test_teachers_deprived_by_hand(register):
    table = figures.closed_on(D(2023, 6, 30), "region")
    assert {r["region"]: r["teachers"] for r in table.rows} == {"ML05": 12, "ML07": 2}


def test_monthly_series_and_openings_and_closings(register):
    series = figures.monthly_closed(D(2022, 11, 1), D(2023, 5, 31))
    assert [(m["month"], m["value"]) for m in series] == [
        ("2022-11", 2), ("2022-12", 3), ("2023-01", 3), ("2023-02", 3), ("2023-03", 3), ("2023-04", 2),
        ("2023-05", 3),
    ]  # fmt: skip
    movements = figures.openings_and_closings(D(2022, 1, 1), D(2023, 6, 30))
    moves = {m["month"]: (m["closings"], m["openings"]) for m in movements}
    assert moves["2022-01"] == (1, 0)  # Bankass closes
    assert moves["2022-12"] == (1, 0)  # Ségou closes
    assert moves["2023-02"] == (0, 0)  # Bankass occupied: still closed, no new closing
    assert moves["2023-04"] == (0, 1)  # Ségou reopens
    assert moves["2023-05"] == (1, 0)  # Bandiagara closes
