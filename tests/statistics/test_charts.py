"""The bar chart makes room for what it writes: labels at the left, numbers after the longest bar."""

from __future__ import annotations

from kurukan.statistics import charts

LONG = "Recrutement et utilisation d'enfants par des groupes armés non étatiques"


def test_long_labels_get_room_up_to_a_limit_then_are_shortened():
    chart = charts.bar_chart([charts.Bar(LONG, 12), charts.Bar("Viol", 3)], "t", "c")
    assert charts.LABEL_ROOM[0] <= chart["left"] <= charts.LABEL_ROOM[1]
    shortened = chart["rows"][0].shapes["label"]
    assert shortened.endswith("…") and LONG.startswith(shortened[:-1].rstrip())
    assert charts.text_width(shortened) <= chart["label_x"] - 4
    assert chart["rows"][1].shapes["label"] == "Viol"


def test_short_labels_leave_the_bars_more_room():
    short = charts.bar_chart([charts.Bar("Gao", 5)], "t", "c")
    long = charts.bar_chart([charts.Bar(LONG, 5)], "t", "c")
    assert short["left"] < long["left"]


def test_the_largest_number_ends_inside_the_picture():
    # The value at the top of the axis: its bar reaches the axis' end, its number is written after it.
    chart = charts.bar_chart([charts.Bar("Mopti", 1_881_478), charts.Bar("Gao", 2_000_000)], "t", "c")
    for row in chart["rows"]:
        end = row.shapes["note_x"] + 6 + charts.text_width(row.shapes["value_text"])
        assert end <= chart["width"]
    assert chart["ticks"][-1]["x"] == chart["right"]


def test_legend_labels_end_inside_their_column():
    series = [charts.Series(f"{LONG} {i}", [1, 2]) for i in range(4)]
    chart = charts.stacked_chart(["2022", "2023"], series, "t", "c")
    for item in chart["legend"]:
        assert item["label"].endswith("…")
        assert item["x"] + 18 + charts.text_width(item["label"]) <= chart["width"]
