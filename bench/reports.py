"""Time the periodic situation report stage by stage: queries, charts, PDF, DOCX (and XLSX).

    .venv/bin/python bench/reports.py --database-url sqlite:///$PWD/bench/out/demo.sqlite3 --data-dir DIR
    .venv/bin/python bench/reports.py --database-url postgres://postgres@127.0.0.1:5432/kurukan_stats_bench

Stages, as the background job runs them: "queries" builds the report's content (every `counting.table` the
report prints, over every record, as the command line does without --user); "charts" renders its charts
and map to SVG; "pdf", "docx" and "xlsx" write the files from the same content. The issue's target: the
1,000,000-incident database, about 40 pages, under 60 s in all. A stage whose library is missing (WeasyPrint
for the PDF) is reported as skipped, with the reason.

The baseline, measured in the same run on the same database: the report's first figure alone (the period's
victims, one `counting.table` call); the ratio says how many such counts the whole report costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import time

from _common import configure, peak_rss_mb, vendor

TARGET_S = 60


def _pages(pdf: bytes) -> str:
    """The PDF's page count as pdfinfo (poppler-utils) reads it, "?" without it."""
    if shutil.which("pdfinfo") is None:
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: KURUKAN_DATABASE_URL or SQLite in the data dir")
    parser.add_argument("--data-dir")
    parser.add_argument("--from", dest="date_from", default="2023-01-01")
    parser.add_argument("--to", dest="date_to", default="2023-12-31")
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.utils import translation

    from kurukan.reports import content, documents
    from kurukan.statistics.counting import Filters, Scope, table

    params = content.Parameters(
        kind="periodic",
        date_from=dt.date.fromisoformat(args.date_from),
        date_to=dt.date.fromisoformat(args.date_to),
        language=args.lang,
    )
    times: dict[str, float | str] = {}
    pages = "?"
    with translation.override(args.lang):
        start = time.perf_counter()
        table("victims", filters=Filters(date_from=params.date_from, date_to=params.date_to))
        baseline = time.perf_counter() - start

        start = time.perf_counter()
        built = content.build(params, Scope.everything())
        times["queries"] = time.perf_counter() - start

        start = time.perf_counter()
        svgs = [documents.chart_svg(c) for s in built.sections for c in s.charts]
        svgs += [documents.map_svg(s) for s in built.sections if s.map]
        times["charts"] = time.perf_counter() - start

        sizes = {}
        for name in ("pdf", "docx", "xlsx"):
            if missing := documents.missing_renderer(name):
                times[name] = f"skipped ({missing})"
                continue
            start = time.perf_counter()
            data = documents.render(built, name, args.lang)
            times[name] = time.perf_counter() - start
            sizes[name] = len(data)
            if name == "pdf":
                pages = _pages(data)

    total = sum(v for v in times.values() if isinstance(v, float))
    print(f"periodic report {args.date_from} – {args.date_to} on {vendor()}: {len(built.figures)} figures, "
          f"{len(svgs)} charts and maps, {len(built.sections)} sections, {pages} PDF pages")  # fmt: skip
    for stage, value in times.items():
        shown = f"{value:8.2f} s" if isinstance(value, float) else value
        size = f"  ({sizes[stage] / 1024:.0f} KiB)" if stage in sizes else ""
        print(f"  {stage:<8} {shown}{size}")
    print(f"  total    {total:8.2f} s  (target < {TARGET_S} s)   peak RSS {peak_rss_mb():.0f} MB")
    print(
        f"  baseline {baseline:8.2f} s  one victims count; report / baseline = {total / max(baseline, 1e-9):.1f}"
    )


if __name__ == "__main__":
    main()
