"""One `Content`, three files: PDF (WeasyPrint, from the templates in templates/reports/), DOCX (python-docx)
and XLSX (openpyxl, the tables only).

Numbers are formatted by Babel for the report's language; French text gets its typography (a narrow
no-break space before « : ; ! ? » and inside « »). Charts and the map are the statistics app's server-side
SVG, in DejaVu Sans: WeasyPrint draws SVG itself; Word cannot, so for DOCX they are rasterised to PNG with
CairoSVG — the SVG renderer of the Cairo graphics library, made for exactly this. Each chart's table follows
it in every format, holding the same numbers.
"""

from __future__ import annotations

import io
import logging
import re

from babel.numbers import format_decimal
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .content import MAP_FILLS, Content, Grid, Section

# WeasyPrint logs every step at INFO (parsing its own stylesheets on import, too): not for the job's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

NARROW_NBSP = "\u202f"
FONT = "DejaVu Sans"  # Debian's fonts-dejavu-core: Latin with ɛ ɔ ɲ ŋ (Bambara), shipped everywhere


class MissingRenderer(RuntimeError):
    """A library a format needs is not installed: said plainly, with what to install."""


def french(text: str) -> str:
    """French typography: a narrow no-break space before : ; ! ? and inside « », never a line break there."""
    text = re.sub(r"[ \u00a0]+([:;!?])", NARROW_NBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0]*", "«" + NARROW_NBSP, text)
    return re.sub(r"[ \u00a0]*»", NARROW_NBSP + "»", text)


class Formatter:
    def __init__(self, language: str) -> None:
        self.language = "en" if language.startswith("en") else "fr"

    def text(self, value: object) -> str:
        return french(str(value)) if self.language == "fr" else str(value)

    def cell(self, value) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self.text(value)
        return format_decimal(value, locale=self.language)


# --- SVG: the charts and the map ----------------------------------------------------------------------------


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_OPENING = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


def _in_dejavu(fragment: str) -> str:
    """The pages' charts ask for `system-ui`; a report names its font, so Bambara letters never fall back.
    DejaVu Sans is wide: at the page's 13 units a 28-letter bar label overflows the 182 units the chart
    keeps for it, so the report's charts are set at 11."""

    def opening(match: re.Match) -> str:
        tag = re.sub(r'\s(?:font-family|font-size)="[^"]*"', "", match.group(0))
        return tag.replace("<svg", f'<svg font-family="{FONT}, sans-serif" font-size="11"', 1)

    return _OPENING.sub(opening, fragment, count=1)


def chart_svg(chart: dict) -> str:
    """The statistics page's chart (a <figure> holding an <svg>), in the report's font."""
    return _in_dejavu(render_to_string("statistics/_chart.html", {"chart": chart}))


def map_svg(section: Section) -> str:
    """The choropleth with its colours as attributes (a PDF or PNG has no stylesheet to read classes from)."""
    return _in_dejavu(
        render_to_string(
            "reports/_map.svg", {"map": section.map, "caption": section.map_caption, "fills": MAP_FILLS}
        )
    )


def standalone_svg(fragment: str) -> str:
    """The <svg> out of its <figure>, sized from its viewBox: a file on its own needs a size (the page's
    chart says width="100%", which means nothing outside a page)."""
    svg = _SVG.search(fragment)
    if svg is None:
        raise ValueError("no <svg> element in the chart")
    text = svg.group(0)
    size = _VIEWBOX.search(text)
    if size is None:
        raise ValueError("the chart's <svg> has no viewBox")
    width, height = size.groups()

    def opening(match: re.Match) -> str:
        tag = re.sub(r'\s(?:width|height)="[^"]*"', "", match.group(0))
        return tag.replace("<svg", f'<svg width="{width}" height="{height}"', 1)

    return _OPENING.sub(opening, text, count=1)


def png(fragment: str) -> bytes:
    """A chart or the map as PNG for Word, drawn by CairoSVG on a white ground, 1400 pixels wide."""
    import cairosvg  # noqa: PLC0415 — imported when a DOCX is written, not at start-up

    return cairosvg.svg2png(
        bytestring=standalone_svg(fragment).encode("utf-8"), output_width=1400, background_color="white"
    )


# --- PDF -----------------------------------------------------------------------------------------------------


def html(content: Content, language: str) -> str:
    fmt = Formatter(language)
    sections = []
    for section in content.sections:
        sections.append(
            {
                "key": section.key,
                "title": fmt.text(section.title),
                "paragraphs": [fmt.text(p) for p in section.paragraphs],
                "grids": [_formatted(grid, fmt) for grid in section.grids],
                "charts": [chart_svg(chart) for chart in section.charts],
                "map": map_svg(section) if section.map else "",
                "map_caption": fmt.text(section.map_caption),
            }
        )
    return render_to_string(
        "reports/document.html",
        {
            "title": fmt.text(content.title),
            "where": fmt.text(content.where),
            "period": fmt.text(content.period),
            "generated": fmt.text(content.generated),
            "parameters": [(fmt.text(k), fmt.text(v)) for k, v in content.parameters],
            "sections": sections,
            "lang": fmt.language,
        },
    )


def _formatted(grid: Grid, fmt: Formatter) -> dict:
    """A table for the template; its "Total" row (and only that row) is set in bold."""
    total = _("Total")
    return {
        "key": grid.key,
        "title": fmt.text(grid.title),
        "header": [fmt.text(h) for h in grid.header],
        "rows": [{"cells": [fmt.cell(c) for c in row], "total": row[0] == total} for row in grid.rows],
    }


def missing_renderer(file_format: str) -> str:
    """Why this server cannot write the format ("" when it can): the page and the command line say it first."""
    if file_format == "pdf":
        try:
            import weasyprint  # noqa: F401, PLC0415
        except ImportError:
            return _(
                "WeasyPrint n'est pas installé sur ce serveur : le PDF ne peut pas être produit. "
                "Choisissez DOCX ou XLSX, ou installez WeasyPrint."
            )
    if file_format == "docx":
        try:
            import cairosvg  # noqa: F401, PLC0415
        except ImportError:
            return _(
                "CairoSVG n'est pas installé sur ce serveur : les graphiques du DOCX ne peuvent pas être "
                "dessinés. Choisissez PDF ou XLSX, ou installez CairoSVG."
            )
    return ""


def pdf(content: Content, language: str) -> bytes:
    if missing := missing_renderer("pdf"):
        raise MissingRenderer(missing)
    from weasyprint import HTML  # noqa: PLC0415 — imported when a PDF is asked for, not at start-up

    return HTML(string=html(content, language)).write_pdf()


# --- DOCX ----------------------------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, TOC…): Word computes it when the document opens."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, end):
        run._r.append(element)


def docx(content: Content, language: str) -> bytes:
    if missing := missing_renderer("docx"):
        raise MissingRenderer(missing)
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    fmt = Formatter(language)
    document = Document()
    for style in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2"):
        document.styles[style].font.name = FONT
    document.styles["Normal"].font.size = Pt(10)
    page = document.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)  # A4
    page.left_margin = page.right_margin = Cm(2)
    footer = page.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE")

    document.add_paragraph(fmt.text(content.title), style="Title")
    document.add_paragraph(fmt.text(content.where), style="Subtitle")
    document.add_paragraph(fmt.text(content.period))
    document.add_paragraph(fmt.text(_("Produit le %(day)s") % {"day": content.generated}))
    for name, value in content.parameters:
        document.add_paragraph(fmt.text(f"{name} : {value}") if fmt.language == "fr" else f"{name}: {value}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(fmt.text(_("Table des matières")), level=1)
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u')
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for section in content.sections:
        document.add_heading(fmt.text(section.title), level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(fmt.text(paragraph))
        for chart in section.charts:
            document.add_picture(io.BytesIO(png(chart_svg(chart))), width=Cm(16))
        if section.map:
            document.add_picture(io.BytesIO(png(map_svg(section))), width=Cm(13))
            if section.map_caption:
                document.add_paragraph(fmt.text(section.map_caption))
        for grid in section.grids:
            document.add_heading(fmt.text(grid.title), level=2)
            table = document.add_table(rows=1, cols=len(grid.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, grid.header, strict=True):
                cell.text = fmt.text(text)
            for row in grid.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = fmt.cell(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- XLSX ----------------------------------------------------------------------------------------------------


def xlsx(content: Content, language: str) -> bytes:
    """The tables, one sheet each, numbers as numbers; a first sheet says what the report is."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    fmt = Formatter(language)
    book = Workbook()
    about = book.active
    about.title = _("Rapport")[:31]
    about.append([fmt.text(content.title)])
    about["A1"].font = Font(bold=True)
    about.append([fmt.text(content.where)])
    about.append([fmt.text(_("Produit le")), content.generated])
    for name, value in content.parameters:
        about.append([fmt.text(name), fmt.text(value)])
    used = {about.title}
    for section in content.sections:
        for grid in section.grids:
            name = re.sub(r"[\[\]:*?/\\]", "-", grid.key)[:28]
            while name in used:
                name = name[:26] + f"-{len(used)}"
            used.add(name)
            sheet = book.create_sheet(name)
            sheet.append([fmt.text(grid.title)])
            sheet["A1"].font = Font(bold=True)
            sheet.append([fmt.text(h) for h in grid.header])
            for row in grid.rows:
                sheet.append([value if isinstance(value, int) else fmt.text(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


RENDERERS = {"pdf": pdf, "docx": docx, "xlsx": xlsx}


def render(content: Content, file_format: str, language: str) -> bytes:
    return RENDERERS[file_format](content, language)
