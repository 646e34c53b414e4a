"""Server-side SVG charts: geometry computed here, drawn by templates/statistics/_chart_*.html.

No JavaScript and no inline style (the strict CSP blocks both): shapes carry presentation attributes, each
bar or point is a link to the filtered incident list, and each chart has its table beside it for screen
readers. The estimates page draws its bars-with-intervals through `bar_chart` too; reports reuse them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from babel.numbers import format_decimal
from django.utils.translation import get_language

WIDTH, RIGHT, TOP, ROW, AXIS = 720, 30, 34, 34, 34
# Colour-blind-safe (Okabe–Ito), dark enough on white for the WCAG 3:1 contrast of graphics.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#5b6472", "#e69f00")


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return format_decimal(round(value), locale=_locale())


# Widths of text at the charts' 13 px, in ems, by kind of character: an estimate on the wide side of the fonts a
# browser or WeasyPrint picks for "system-ui, sans-serif" (DejaVu Sans on Debian, the widest of them), so that
# a label or a number computed to fit does fit. A measurement would need the font at hand; the server has none.
FONT_SIZE = 13
_NARROW, _WIDE = set("iljtfrI.,;:'’!|() "), set("mwMWŊŋ")  # noqa: RUF001 (the typographic apostrophe)
LABEL_ROOM = (
    120,
    300,
)  # the room for row labels at the left: at least, at most (longer labels are shortened)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width of `text` in px (see above): generous, so that what is computed to fit fits."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.34
        elif char in _WIDE:
            ems += 1.0
        elif char.isupper():
            ems += 0.74
        elif char.isdigit():
            ems += 0.64
        else:
            ems += 0.62
    return ems * size


def fit(text: str, room: float, size: float = FONT_SIZE) -> str:
    """`text`, shortened with an ellipsis when it is wider than `room` px."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def nice_ticks(top: float, count: int = 5) -> list[int]:
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    step = max(1, round(step))
    ticks = [0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


@dataclass
class Bar:
    """One horizontal bar; an estimate with its interval may be drawn over it (estimates page)."""

    label: str
    value: float
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    note: str = ""
    href: str = ""
    shapes: dict = field(default_factory=dict)


def bar_chart(rows: list[Bar], title: str, chart_id: str, unestimated: str = "") -> dict:
    """Horizontal bars, one row each, on a shared axis. The room for the labels at the left and for the
    numbers after the longest bar at the right is measured from the texts (`text_width`): nothing drawn
    outside the picture, where SVG would cut it off; labels too long for `LABEL_ROOM` are shortened (the
    table beside the chart and each row's tooltip keep them whole). `unestimated`: the words the estimates
    page writes after a bar that has no estimate."""
    top = max([r.high or r.estimate or 0 for r in rows] + [r.value for r in rows] + [0])
    ticks = nice_ticks(top)
    widest_label = max([text_width(r.label) for r in rows] + [0])
    left = round(min(max(widest_label + 16, LABEL_ROOM[0]), LABEL_ROOM[1]))
    # After the bar: its number (6 px apart), or the estimates page's words; under the axis the
    # last tick's label is centred on the axis' end.
    after = max(
        [text_width(number(r.value)) + 10 for r in rows]
        + [text_width(number(ticks[-1])) / 2 + 4, RIGHT]
        + [text_width(unestimated) + 12 for r in rows if unestimated and r.estimate is None]
    )
    right = WIDTH - round(after)
    span = right - left

    def x(value: float) -> float:
        return round(left + span * value / ticks[-1], 1)

    for i, row in enumerate(rows):
        y = TOP + i * ROW
        middle = y + ROW / 2
        row.shapes = {
            "y": y,
            "middle": middle,
            "text_y": middle + 4,
            "label": fit(row.label, left - 12),
            "bar": {"x": left, "y": y + 7, "width": round(x(row.value) - left, 1), "height": ROW - 14},
            "note_x": x(row.value),
            "value_text": number(row.value),
        }
        if row.estimate is not None:
            row.shapes["point"] = {"cx": x(row.estimate), "cy": middle}
            if row.low is not None and row.high is not None:
                row.shapes["whisker"] = {
                    "x1": x(row.low),
                    "x2": x(row.high),
                    "y": middle,
                    "cap_top": middle - 6,
                    "cap_bottom": middle + 6,
                }
    axis_y = TOP + len(rows) * ROW
    return {
        "kind": "bar",
        "id": chart_id,
        "title": title,
        "width": WIDTH,
        "height": axis_y + AXIS,
        "left": left,
        "right": right,
        "axis_y": axis_y,
        "label_x": left - 8,
        "ticks": [{"x": x(t), "label": number(t), "y": axis_y + 18} for t in ticks],
        "rows": rows,
    }


@dataclass
class Series:
    """One line of a line chart, or one layer of a stacked chart: a value per category."""

    label: str
    values: list[float]
    hrefs: list[str] = field(default_factory=list)
    colour: str = ""
    shapes: dict = field(default_factory=dict)


PLOT_LEFT, PLOT_TOP, PLOT_HEIGHT, LEGEND_ROW, LEGEND_COLUMN = 60, 40, 220, 20, 220


def _legend(series: list[Series]) -> list[dict]:
    """Three entries a row: a swatch, then the label, shortened to its column (the last column ends at the
    picture's edge)."""
    room = min(LEGEND_COLUMN, WIDTH - PLOT_LEFT - 2 * LEGEND_COLUMN) - 18 - 10
    return [
        {
            "x": PLOT_LEFT + (i % 3) * LEGEND_COLUMN,
            "y": 14 + (i // 3) * LEGEND_ROW,
            "label": fit(s.label, room),
            "colour": s.colour,
        }
        for i, s in enumerate(series)
    ]


def _frame(categories: list[str], top: float, series: list[Series]) -> tuple[dict, list[int]]:
    ticks = nice_ticks(top)
    legend_rows = math.ceil(len(series) / 3) if len(series) > 1 else 0
    plot_top = PLOT_TOP + max(0, legend_rows - 1) * LEGEND_ROW
    step = (WIDTH - PLOT_LEFT - RIGHT) / max(1, len(categories))
    bottom = plot_top + PLOT_HEIGHT
    every = max(1, math.ceil(len(categories) / 12))  # at most a dozen labels under the axis
    frame = {
        "width": WIDTH,
        "height": bottom + AXIS + 10,
        "left": PLOT_LEFT,
        "right": WIDTH - RIGHT,
        "top": plot_top,
        "bottom": bottom,
        "step": step,
        "ticks": [{"y": round(bottom - PLOT_HEIGHT * t / ticks[-1], 1), "label": number(t)} for t in ticks],
        "labels": [
            {"x": round(PLOT_LEFT + step * (i + 0.5), 1), "y": bottom + 18, "text": c}
            for i, c in enumerate(categories)
            if i % every == 0
        ],
        "legend": _legend(series) if len(series) > 1 else [],
    }
    return frame, ticks


def line_chart(categories: list[str], series: list[Series], title: str, chart_id: str) -> dict:
    """Lines over ordered categories (months, quarters, years); each point links to its incidents."""
    for i, s in enumerate(series):
        s.colour = s.colour or PALETTE[i % len(PALETTE)]
    top = max([v for s in series for v in s.values] + [0])
    frame, ticks = _frame(categories, top, series)

    def y(value: float) -> float:
        return round(frame["bottom"] - PLOT_HEIGHT * value / ticks[-1], 1)

    for s in series:
        points = [
            {
                "x": round(PLOT_LEFT + frame["step"] * (i + 0.5), 1),
                "y": y(v),
                "value": number(v),
                "category": categories[i],
                "href": s.hrefs[i] if i < len(s.hrefs) else "",
            }
            for i, v in enumerate(s.values)
        ]
        s.shapes = {"points": points, "path": " ".join(f"{p['x']},{p['y']}" for p in points)}
    return {"kind": "line", "id": chart_id, "title": title, **frame, "series": series}


def stacked_chart(categories: list[str], series: list[Series], title: str, chart_id: str) -> dict:
    """Vertical bars per category, one layer per series stacked on the previous ones."""
    for i, s in enumerate(series):
        s.colour = s.colour or PALETTE[i % len(PALETTE)]
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    frame, ticks = _frame(categories, max(totals + [0]), series)
    scale = PLOT_HEIGHT / ticks[-1]
    width = round(frame["step"] * 0.7, 1)
    base = [0.0] * len(categories)
    for s in series:
        rects = []
        for i, v in enumerate(s.values):
            if v:
                height = round(v * scale, 1)
                rects.append(
                    {
                        "x": round(PLOT_LEFT + frame["step"] * i + (frame["step"] - width) / 2, 1),
                        "y": round(frame["bottom"] - base[i] - height, 1),
                        "width": width,
                        "height": height,
                        "value": number(v),
                        "category": categories[i],
                        "href": s.hrefs[i] if i < len(s.hrefs) else "",
                    }
                )
            base[i] += v * scale
        s.shapes = {"rects": rects}
    return {"kind": "stacked", "id": chart_id, "title": title, **frame, "series": series}
