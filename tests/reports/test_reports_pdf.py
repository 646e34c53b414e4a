"""Issue #14, the PDF: for each of the three reports, the file is A4 with a cover (title, period, date), a table
of contents whose page numbers are where the sections are, page numbers in the footer, only DejaVu fonts,
embedded (so the Bambara letters ɛ ɔ ɲ ŋ are drawn, not replaced), and the statistics functions' figures,
read back with pdftotext. pdftoppm renders the pages (under pytest's tmp_path) and the pixels show the charts
and the map where the text says they are. The handmade dataset (tests/statistics/handmade.py) has its
figures counted by hand."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy
import pytest
from django.core.management import call_command
from PIL import Image

from conftest import client_for
from kurukan.analysis.disclosure import Status
from kurukan.reports import actions
from kurukan.reports.content import MAP_FILLS
from kurukan.reports.models import Report
from kurukan.reports.tasks import generate_report
from kurukan.statistics.counting import Filters, table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "statistics"))
from handmade import HAND, build  # noqa: E402

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
CHART_BLUE = (0x00, 0x72, 0xB2)  # the bars of statistics/_chart.html
BAMBARA = "Ɲɛtaa ŋɔ"


@pytest.fixture
def handmade(monitor, other_monitor):
    return build(monitor, other_monitor)


# --- reading a PDF back ---------------------------------------------------------------------------------------


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    """Words separated by one space (French puts narrow no-break spaces before « : » and inside « »); "< 5"
    as "<5" (pdftotext keeps or drops that space depending on the glyphs' spacing)."""
    return re.sub(r"<\s+", "<", " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split()))


def _pages(path: Path) -> list[str]:
    """The text of each page, in order (pdftotext ends every page with a form feed)."""
    return _run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def _render(path: Path, tmp_path: Path) -> list[Image.Image]:
    """Every page as a PNG at 50 dpi, kept under tmp_path for whoever wants to look at a failure."""
    out = tmp_path / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(out)], check=True)
    files = sorted(tmp_path.glob(f"{path.stem}-page-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("RGB") for f in files]


def _near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels are this colour (within `tolerance` per channel)."""
    pixels = numpy.asarray(image, dtype=numpy.int16)
    return int((numpy.abs(pixels - numpy.array(colour)) <= tolerance).all(axis=2).sum())


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _page_of(pages: list[str], heading: str) -> int:
    """The 1-based page on which a section heading starts a line (a long heading wraps onto a second)."""
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if any(heading in (line, " ".join(lines[i : i + 2])) for i, line in enumerate(lines)):
            return number
    raise AssertionError(f"no page starts a line with {heading!r}")


def _check_layout(path: Path, title: str, period: str) -> tuple[list[str], list[str]]:
    """A4; the cover (title, period, date, no page number); the contents; page numbers "n / N"; DejaVu only.
    Returns each page's text and the contents' headings."""
    info = _run("pdfinfo", str(path))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = _pages(path)
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert len(pages) == count >= 3
    cover = _flat(pages[0])
    assert cover.startswith(title) and period in cover and "Produit le" in cover
    assert not re.search(rf"\b1 ?/ ?{count}\b", cover)
    for number, text in enumerate(pages[1:], start=2):
        footer = [line for line in text.splitlines() if line.strip()][-1]
        assert re.fullmatch(rf"\s*{number} ?/ ?{count}\s*", footer), (number, footer)
    contents = pages[1].splitlines()
    assert contents[0].strip() == "Table des matières"
    entries = [re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line) for line in contents[1:]]
    entries = [(m.group(1), int(m.group(2))) for m in entries if m]
    assert entries
    for heading, page in entries:  # the contents' page numbers are where the sections begin
        assert _page_of(pages, heading) == page, heading
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(re.search(r"DejaVu-Sans\S* .* yes +yes +yes", row) for row in fonts), fonts
    return pages, [heading for heading, _page in entries]


# --- the three reports ------------------------------------------------------------------------------------


def test_the_periodic_pdf_prints_the_statistics_figures_draws_its_charts_and_map_and_bambara_letters(
    handmade, coordinator, tmp_path
):
    organisation = coordinator.organisation
    organisation.short_name = BAMBARA  # Bambara letters, drawn by DejaVu
    organisation.save()
    report = actions.start_report(user=None, kind="periodic", date_from=YEAR[0], date_to=YEAR[1],
                                  organisations=[organisation], everything=True)  # fmt: skip
    actions.run_report(report)
    report.refresh_from_db()
    assert report.status == "done" and report.file_format == "pdf", report.stage
    path = Path(report.path)
    pages, headings = _check_layout(
        path,
        "Rapport périodique sur la situation des droits humains au Mali",
        "du 1 janvier 2022 au 31 décembre 2022",
    )
    assert BAMBARA in pages[0]  # on the cover, among the parameters
    assert headings == ["Chiffres clés", "Évolution par type de violation", "Évolution par région",
                        "Tendance mensuelle", "Catégories d'auteurs présumés", "Femmes et enfants",
                        "Annexe méthodologique"]  # fmt: skip

    text = _flat("\n".join(pages))
    filters = Filters(date_from=YEAR[0], date_to=YEAR[1], organisation=organisation)
    for measure, label in (("incidents", "Incidents"), ("violations", "Violations et atteintes"),
                           ("victims", "Victimes")):  # fmt: skip
        figure = table(measure, filters=filters).total
        assert figure == HAND["everything"]["documented"][measure]
        assert f"{label} 0 {figure} +{figure}" in text  # previous period, period, change
    children = table("victims", filters=Filters(date_from=YEAR[0], date_to=YEAR[1], organisation=organisation,
                                                children_only=True)).total  # fmt: skip
    assert f"Victimes enfants 0 {children} +{children}" in text
    regions = table("victims", ["region"], filters)
    assert f"Mopti 0 {regions.value(region='ML05')}" in text and regions.value(region="ML05") == 18
    assert f"Gao 0 {regions.value(region='ML07')}" in text
    assert f"Total 0 {regions.total}" in text
    months = table("violations", ["month"], filters)
    assert f"mars 2022 {months.value(month='2022-03')}" in text and f"Total {months.total}" in text
    by_sex = table("victims", ["child", "sex"], filters)
    girls, boys = by_sex.value(child="child", sex="female"), by_sex.value(child="child", sex="male")
    assert f"Enfants {girls} {boys} 0" in text
    assert "Amadou" not in text and "Maïga" not in text

    images = _render(path, tmp_path)
    assert len(images) == len(pages) and all(f.exists() for f in tmp_path.glob("*.png"))
    regions_page = images[_page_of(pages, "Évolution par région") - 1]
    methods_page = images[_page_of(pages, "Annexe méthodologique") - 1]
    # The bar chart: its blue bars cover the region page; the annex has only its heading's blue rule.
    assert _near(regions_page, CHART_BLUE) > 5 * max(_near(methods_page, CHART_BLUE), 100)
    # The map: Mopti (18 victims) and Gao (5) in the choropleth's colours, which nothing else uses.
    filled = sum(_near(regions_page, _hex(MAP_FILLS[q]), 6) for q in ("q0", "q1", "q2", "q3", "q4"))
    assert filled > 500 and sum(_near(methods_page, _hex(MAP_FILLS[q]), 6) for q in ("q0", "q1")) == 0
    # The monthly trend is a line chart: drawn, not only its table.
    trend_page = images[_page_of(pages, "Tendance mensuelle") - 1]
    assert _near(trend_page, CHART_BLUE, 40) > 50


def test_the_children_pdf_from_the_command_line_prints_the_mrm_figures(handmade, tmp_path):
    out = io.StringIO()
    call_command("report", "children", "--from", "2022-01-01", "--to", "2022-12-31", "--format", "pdf",
                 "--output", str(tmp_path / "children.pdf"), stdout=out)  # fmt: skip
    path = Path(out.getvalue().split()[0])
    assert path == tmp_path / "children.pdf" and path.read_bytes().startswith(b"%PDF")
    pages, headings = _check_layout(
        path, "Enfants et conflits armés : les six violations graves", "du 1 janvier 2022 au 31 décembre 2022"
    )
    assert headings[0] == "Violations graves vérifiées, par trimestre"
    assert headings[-1] == "Annexe méthodologique"
    text = _flat("\n".join(pages))
    assert "Violation grave T1 2022 T2 2022 T3 2022 T4 2022 Total" in text
    mrm = Filters(date_from=YEAR[0], date_to=YEAR[1], grave_only=True, children_only=True)
    verified = table("mrm", ["grave_violation", "quarter"], replace(mrm, level="verified"))
    reported = table("mrm", ["grave_violation", "quarter"], replace(mrm, level="reported"))
    killing = [verified.value(grave_violation="killing_maiming", quarter=f"2022-Q{q}") for q in range(1, 5)]
    assert killing == [3, 0, 0, 0]  # A: Awa and 2 girls
    assert f"Meurtres et mutilations {' '.join(map(str, killing))} {sum(killing)}" in text
    recruited = [reported.value(grave_violation="recruitment_use", quarter=f"2022-Q{q}") for q in range(1, 5)]
    assert recruited == [0, 5, 0, 0]  # the unverified C: 5 children, in the "reported" table only
    assert f"Recrutement et utilisation d'enfants {' '.join(map(str, recruited))} 5" in text
    assert f"Total 3 0 1 0 {verified.total}" in text and f"Total 3 5 1 0 {reported.total}" in text


def test_the_bulletin_pdf_prints_only_the_public_figures_and_names_nobody(handmade, coordinator, tmp_path):
    from kurukan.places.models import Level
    from kurukan.public import presenters
    from kurukan.public.figures import public_figures

    client = client_for(coordinator)
    response = client.post("/reports/", {"kind": "bulletin", "date_from": "2022-01-01", "date_to": "2022-12-31",
                                         "language": "fr", "file_format": "pdf"})  # fmt: skip
    assert response.status_code == 302
    report = Report.objects.get()
    generate_report.call(report.pk)
    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    pages, headings = _check_layout(
        path,
        "Bulletin public : victimes de violations des droits humains au Mali",
        "du 1 janvier 2022 au 31 décembre 2022",
    )
    assert headings == ["Chiffres publics"]
    text = _flat("\n".join(pages))
    published = public_figures("documented", date_from=YEAR[0], date_to=YEAR[1])
    assert f"décembre 2022 : {presenters.text(published.get('total'))}." in text
    rows = presenters.rows_by_area(published, Level.REGION)
    assert rows
    for row in rows:
        figure = published.get("region", row["pcode"])
        assert _flat(f"{row['name']} {presenters.text(figure)}") in text
    gao = published.get("region", "ML07")
    assert gao.status != Status.SHOWN and _flat(f"Gao {gao.text}") in text  # 5 children: never the number
    assert "Amadou" not in text and "Maïga" not in text and "Awa" not in text
