"""Issue #14 item 3, read in the real files: the DOCX is A4 with page numbers (a PAGE field in the footer), a
cover and a table of contents (a TOC field); French gets narrow no-break spaces before « : » and inside « »,
English none; numbers and dates are Babel's for the language ("1 518" and "1 janvier 2022", "1,518" and
"January 1, 2022"), in the PDF as in the DOCX. And the charts of the children's tables and of the bulletin:
drawn where people would rather look than read, a hidden public figure never drawn as a value.

The handmade dataset (tests/statistics/handmade.py) plus one incident in Ségou whose 1,500 victims need a
thousands separator."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import numpy
import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from kurukan.analysis.disclosure import Status
from kurukan.incidents.models import GroupVictims, VerificationStatus
from kurukan.reports import actions, content, documents
from kurukan.reports.content import MAP_FILLS
from kurukan.statistics.charts import PALETTE
from kurukan.statistics.counting import Filters, Scope, table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statistics"))
from handmade import _incident, _violation, build  # noqa: E402

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
NNBSP = "\u202f"


@pytest.fixture
def world(monitor, other_monitor):
    built = build(monitor, other_monitor)
    segou = _incident(monitor, "ML040101", dt.date(2022, 8, 10))
    violation = _violation(segou, "life.summary_execution", VerificationStatus.VERIFIED, "nonstate.jnim")
    GroupVictims.objects.create(violation=violation, men=1500)
    return built


def _cli(tmp_path: Path, kind: str, file_format: str, *more: str) -> Path:
    out = io.StringIO()
    target = tmp_path / f"{kind}-{'-'.join(more) or 'fr'}.{file_format}"
    call_command("report", kind, "--from", "2022-01-01", "--to", "2022-12-31", "--format", file_format,
                 "--output", str(target), *more, stdout=out)  # fmt: skip
    return Path(out.getvalue().split()[0])


def _instructions(element) -> list[str]:
    """The Word fields' instructions (PAGE, TOC…) under an XML element."""
    return [node.text.strip() for node in element.iter() if node.tag.endswith("}instrText")]


def _pictures(document) -> list[numpy.ndarray]:
    out = []
    for shape in document.inline_shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG")
        out.append(numpy.asarray(Image.open(io.BytesIO(blob)).convert("RGB"), dtype=numpy.int16))
    return out


def _share(picture: numpy.ndarray, colour: str, tolerance: int = 10) -> float:
    rgb = numpy.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return float((numpy.abs(picture - rgb) <= tolerance).all(axis=2).mean())


def test_the_docx_is_a4_numbered_with_a_cover_and_contents_and_french_typography(world, tmp_path):
    path = _cli(tmp_path, "periodic", "docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert _instructions(section.footer._element) == ["PAGE"]
    body = document.element.body
    assert any(i.startswith("TOC ") for i in _instructions(body))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == [
        "Rapport périodique sur la situation des droits humains au Mali",
        "Mali",
        "du 1 janvier 2022 au 31 décembre 2022",
    ]
    assert f"Période{NNBSP}: du 1 janvier 2022 au 31 décembre 2022" in paragraphs  # cover parameters
    text = "\n".join(paragraphs)
    assert f"«{NNBSP}Documenté{NNBSP}» ne veut pas dire «{NNBSP}vérifié{NNBSP}»" in text
    assert " :" not in text and "« " not in text and " »" not in text  # no breakable space left there
    victims = table("victims", filters=Filters(date_from=YEAR[0], date_to=YEAR[1])).total
    assert victims == 1523
    headline = {
        row.cells[0].text: [c.text for c in row.cells[1:]]
        for t in document.tables
        if t.rows[0].cells[0].text == "Mesure"
        for row in t.rows
    }
    assert headline["Victimes"][1] == f"1{NNBSP}523"  # Babel's French grouping: a narrow no-break space


def test_the_english_docx_and_pdf_write_numbers_and_dates_as_english_does(world, tmp_path):
    path = _cli(tmp_path, "periodic", "docx", "--lang", "en")
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[1:3] == ["Mali", "from January 1, 2022 to December 31, 2022"]
    assert "Period: from January 1, 2022 to December 31, 2022" in paragraphs
    assert NNBSP not in "\n".join(paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "1,523" in cells and "Victims" in cells

    pdf = _cli(tmp_path, "periodic", "pdf", "--lang", "en")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    flat = " ".join(text.stdout.split())
    assert "from January 1, 2022 to December 31, 2022" in flat and "Contents" in flat
    assert "Victims 0 1,523" in flat and NNBSP not in text.stdout


def _words(pdf: Path) -> list[tuple[str, float, float, float]]:
    """Every word of the PDF with its box (text, xMin, xMax, yMin), in reading order (pdftotext -bbox)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [(w, float(x0), float(x1), float(y)) for x0, y, x1, w in re.findall(pattern, xml.stdout)]


def test_the_french_pdf_sets_narrow_no_break_spaces_and_babel_thousands(world, tmp_path):
    """pdftotext writes a narrow no-break space as a plain space, so the PDF is measured instead: before « : »
    and inside « » the gap is the narrow space's (a fifth of an em), not a word space's (a third), and
    never a line break; the thousands of "1 523" are grouped by the same narrow space."""
    pdf = _cli(tmp_path, "periodic", "pdf")
    words = _words(pdf)

    def gap(first: str, second: str) -> float:
        for (a, _x0, a_end, a_y), (b, b_start, _x1, b_y) in zip(words, words[1:], strict=False):
            if (a, b) == (first, second):
                assert a_y == b_y, (first, second)  # on one line: no break there
                return b_start - a_end
        raise AssertionError(f"no {first!r} followed by {second!r}")

    word_space = gap("de", "vérification")
    assert 2.5 < word_space < 4  # 10 pt DejaVu Sans: a space is 3.18 pt
    assert gap("compté", ":") < 0.75 * word_space  # "Niveau de vérification compté : documentées"
    assert gap("«", "Documenté") < 0.75 * word_space
    assert gap("Documenté", "»") < 0.75 * word_space
    assert gap("1", "523") < 0.75 * word_space  # Babel's French grouping, in the headline table


def test_the_children_tables_draw_the_grave_violations_by_quarter(world, tmp_path):
    """A stacked bar per quarter, one colour per grave violation, above each table: in the DOCX as PNG (the
    first grave violation, killing and maiming, in the palette's first colour), in the PDF as SVG."""
    path = _cli(tmp_path, "children", "docx")
    pictures = _pictures(docx.Document(str(path)))
    assert len(pictures) == 2  # verified, then reported
    verified, reported = pictures
    assert _share(verified, PALETTE[0]) > 0.005  # Q1's three children killed or maimed
    assert _share(reported, PALETTE[1]) > 0.005  # Q2's five children recruited (the second grave violation)
    # Never verified: only its legend's swatch among the verified, no bar.
    assert _share(reported, PALETTE[1]) > 5 * _share(verified, PALETTE[1])

    pdf = _cli(tmp_path, "children", "pdf")
    out = tmp_path / "children-page"
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out)], check=True)
    pages = sorted(tmp_path.glob("children-page-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
    drawn = [
        _share(numpy.asarray(Image.open(p).convert("RGB"), dtype=numpy.int16), PALETTE[0]) for p in pages
    ]
    # The first section's page (after the cover and the contents) has its chart; the annex, the last page,
    # only its heading's rule in that blue.
    assert drawn[2] > 5 * max(drawn[-1], 0.0005)


def test_the_bulletin_draws_its_public_figures_and_never_a_hidden_one(world, coordinator, tmp_path):
    from kurukan.places.models import Level
    from kurukan.public import presenters
    from kurukan.public.figures import public_figures

    published = public_figures("documented", date_from=YEAR[0], date_to=YEAR[1])
    gao = published.get("region", "ML07")
    assert gao.status != Status.SHOWN  # 5 children: hidden on the public page

    params = content.Parameters(kind="bulletin", date_from=YEAR[0], date_to=YEAR[1])
    with translation.override("fr"):
        built = content.build(params, Scope.public())
    (section,) = built.sections
    (chart,) = section.charts
    codes = {row["name"]: row["pcode"] for row in presenters.rows_by_area(published, Level.REGION)}
    assert len(chart["rows"]) == len(codes)
    for bar in chart["rows"]:
        figure = published.get("region", codes[bar.label])
        if figure.status == Status.SHOWN:
            assert bar.value == figure.value and (bar.shapes["bar"]["width"] > 0) == (figure.value > 0)
        else:  # no length, and the public page's text where a value would be
            assert bar.value == 0 and bar.shapes["bar"]["width"] == 0
            assert bar.shapes["value_text"] == figure.text != str(figure.value)
    assert published.get("region", "ML04").status == Status.SHOWN  # Ségou's 1,500: drawn
    svg = documents.chart_svg(chart)
    drawn_gao = re.search(r">Gao</text>\s*<rect[^>]*>\s*<text[^>]*>([^<]*)</text>", svg)
    assert drawn_gao and drawn_gao.group(1) == escape(gao.text)
    hidden = {area.pcode for area in section.map.areas if area.css == "hidden"}
    assert "ML07" in hidden
    assert hidden == {c for c in codes.values() if published.get("region", c).status != Status.SHOWN}
    map_svg = documents.map_svg(section)
    assert 'fill="url(#report-hatch)"' in map_svg

    report = actions.start_report(user=coordinator, kind="bulletin", date_from=YEAR[0], date_to=YEAR[1],
                                  file_format="docx")  # fmt: skip
    report = actions.run_report(report)
    pictures = _pictures(docx.Document(report.path))
    assert len(pictures) == 2  # the chart, the map
    bars_png, map_png = pictures
    assert _share(bars_png, "#0072b2") > 0.01
    assert _share(map_png, MAP_FILLS["hidden"], 12) > 0.0005  # Gao hatched
