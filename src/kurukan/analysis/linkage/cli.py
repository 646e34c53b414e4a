"""`kurukan link`: de-duplicate one CSV of person records, or link two, with any column names.

    kurukan link dedupe victims.csv --id code --field full_name=nom --field age=age \\
        --field admin3=commune --out-pairs pairs.csv --out-clusters clusters.csv
    kurukan link pair ngo.csv un.csv --id id --field given_name=prenom --field family_name=nom \\
        --out-pairs pairs.csv --out-clusters clusters.csv
    kurukan link dedupe registry.csv --backend spark …   # Splink on a local Spark session

Exit status: 0 done, 2 bad input (one line on stderr naming the column or row and the fix) or,
with ``--backend spark``, pyspark or Java missing (one line saying what to install), 1 an unexpected
failure.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import logging
import sys
from gettext import gettext as _
from pathlib import Path
from typing import NoReturn

import pandas as pd

from .config import INCIDENT_ROLES, PERSON_ROLES, LinkageConfig
from .engine import run
from .messages import MESSAGES, LinkageInputError, error, message
from .prepare import check_ids, partial_birth_dates, resolve_columns

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kurukan link", description=_("Find records that describe the same person (or incident).")
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    dedupe = commands.add_parser("dedupe", help=_("find duplicates within one CSV file"))
    dedupe.add_argument("files", nargs=1, metavar="FILE.csv")
    pair = commands.add_parser("pair", help=_("find records of A.csv that are also in B.csv"))
    pair.add_argument("files", nargs=2, metavar="FILE.csv")
    for command in (dedupe, pair):
        command.add_argument(
            "--id", required=True, metavar="COLUMN", help=_("column with a unique record id")
        )
        command.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="ROLE=COLUMN",
            help=_("map a column to a role; roles: ") + ", ".join(PERSON_ROLES),
        )
        command.add_argument(
            "--kind", choices=("people", "incidents"), default="people", help=_("what the records describe")
        )
        command.add_argument(
            "--threshold",
            default="auto",
            metavar="P",
            help=_(
                "match probability at or above which two records are one entity (default: auto, the "
                "threshold of maximum expected F1, printed with the expected precision and recall)"
            ),
        )
        command.add_argument(
            "--date-format",
            metavar="FORMAT",
            help=_(
                "format of every date column, as for strftime (e.g. %%d.%%m.%%Y); default: "
                "YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, YYYY-MM or YYYY"
            ),
        )
        command.add_argument(
            "--min-probability",
            default="0.1",
            metavar="P",
            help=_("smallest probability of a pair written to the pairs file (default 0.1)"),
        )
        command.add_argument("--delimiter", default=",", help=_("CSV delimiter (default ',')"))
        command.add_argument("--seed", type=int, default=42, help=_("seed of the random sampling"))
        command.add_argument(
            "--backend",
            choices=("duckdb", "spark"),
            default="duckdb",
            help=_(
                "engine that scores the pairs: duckdb (default, one machine) or spark (a local Spark "
                "session; needs pyspark and a Java 17+ runtime, see docs/linkage-spark.md)"
            ),
        )
        command.add_argument(
            "--threads",
            type=int,
            default=2,
            help=_("DuckDB threads, or the cores of the local Spark session (default 2)"),
        )
        command.add_argument("--out-pairs", required=True, metavar="PAIRS.csv")
        command.add_argument("--out-clusters", required=True, metavar="CLUSTERS.csv")
        command.add_argument("--quiet", action="store_true", help=_("no progress or summary on stderr"))
    return parser


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise error("bad_threshold", value=text) from None
    if not 0 <= value <= 1:
        raise error("bad_threshold", value=text)
    return value


def _date_format(text: str | None) -> str | None:
    if text is None:
        return None
    if "%Y" not in text and "%y" not in text:
        raise error("bad_date_format", value=text)
    try:
        dt.datetime.now(dt.UTC).strftime(text)
    except ValueError:
        raise error("bad_date_format", value=text) from None
    return text


def _mapping(specs: list[str], roles: tuple[str, ...]) -> dict[str, str]:
    if not specs:
        raise error("no_fields")
    mapping: dict[str, str] = {}
    for spec in specs:
        role, sep, column = spec.partition("=")
        role, column = role.strip(), column.strip()
        if not sep or not role or not column:
            raise error("field_syntax", spec=spec)
        if role not in roles:
            raise error("role_unknown", role=role, spec=spec, roles=", ".join(roles))
        if role in mapping:
            raise error("role_twice", role=role)
        mapping[role] = column
    return mapping


def _check_backend(backend: str) -> None:
    """Fail before any work, in one line, when the Spark backend cannot run here."""
    if backend != "spark":
        return
    from . import spark  # imports no pyspark itself

    try:
        spark.require_pyspark()
    except ImportError:
        raise error("spark_no_pyspark") from None
    except RuntimeError:
        raise error("spark_no_java") from None


# A cell longer than this is not a name, a date or an address: refused, not read into memory twice.
MAX_CELL = 100_000
# Cells a spreadsheet would run as a formula (CWE-1236): written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("not_utf8", path=path, line=line) from None


def _read(path: Path, delimiter: str) -> pd.DataFrame:
    """The CSV file as text cells; every problem is a LinkageInputError naming the line."""
    if not path.is_file():
        raise error("file_missing", path=path)
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise error("bad_delimiter", value=delimiter)
    try:
        text = _decode(path)
    except OSError as exc:
        raise error("file_unreadable", path=path, reason=exc.strerror or type(exc).__name__) from None
    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise error("file_empty", path=path)
        columns = _header(header, path)
        rows = []
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(row) != len(columns):
                raise error(
                    "row_length", path=path, line=reader.line_num, found=len(row), expected=len(columns)
                )
            rows.append(row)
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise error("cell_too_long", path=path, line=reader.line_num, limit=MAX_CELL) from None
        raise error("bad_quotes", path=path, line=reader.line_num) from None
    if not rows:
        raise error("file_empty", path=path)
    frame = pd.DataFrame(rows, columns=columns, dtype="string")
    # only an empty cell is missing: "NA" or "Nan" can be a name
    return frame.replace("", pd.NA).astype("string")


def _header(header: list[str], path: Path) -> list[str]:
    columns = [cell.strip() for cell in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(columns, start=1):
        if not name:
            raise error("column_unnamed", path=path, position=position)
        if name in seen:
            raise error("column_twice", path=path, column=name, first=seen[name], second=position)
        seen[name] = position
    return columns


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would read as a formula, prefixed with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            values = out[column].astype("string")
            risky = values.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[column] = values.where(~risky, "'" + values)
    return out


def _write(frame: pd.DataFrame, path: Path) -> None:
    try:
        _neutralised(frame).to_csv(path, index=False)
    except OSError as exc:
        raise error("out_unwritable", path=path, reason=exc.strerror or exc) from None


def _link(args: argparse.Namespace) -> int:
    roles = PERSON_ROLES if args.kind == "people" else INCIDENT_ROLES
    mapping = _mapping(args.field, roles)
    threshold = None if args.threshold.strip().lower() == "auto" else _probability(args.threshold)
    minimum = _probability(args.min_probability)
    date_format = _date_format(args.date_format)
    _check_backend(args.backend)
    paths = [Path(p) for p in args.files]
    frames = []
    for path in paths:
        if not args.quiet:
            print(message("progress_reading", path=path), file=sys.stderr)
        frames.append(_read(path, args.delimiter))
    config = LinkageConfig(
        columns=mapping,
        id_column=args.id,
        match_threshold=threshold,
        pairs_threshold=minimum if threshold is None else min(minimum, threshold),
        date_format=date_format,
        seed=args.seed,
        threads=args.threads,
        backend=args.backend,
        progress=not args.quiet,
    )
    for frame, path in zip(frames, paths, strict=True):  # fail on bad input before any work
        resolve_columns(frame, config, roles, str(path))
        check_ids(frame, args.id, str(path))
    if sum(len(frame) for frame in frames) < 2:
        raise error("too_few_records", path=paths[0])
    if "birth_date" in mapping and not args.quiet:
        for frame, path in zip(frames, paths, strict=True):
            partial = partial_birth_dates(frame[mapping["birth_date"]], date_format)
            if partial is not None:
                count, line, value = partial
                column = mapping["birth_date"]
                print(
                    message(
                        "partial_birth_dates", count=count, column=column, path=path, line=line, value=value
                    ),
                    file=sys.stderr,
                )
    sources = [p.stem for p in paths]
    if len(sources) == 2 and sources[0] == sources[1]:
        sources = ["a", "b"]
    result = run(args.kind, frames, config, where=[str(p) for p in paths], sources=sources)
    _write(result.pairs, Path(args.out_pairs))
    _write(result.clusters, Path(args.out_clusters))
    if not args.quiet:
        choice = result.threshold_choice
        if choice is not None:
            key = "threshold_chosen" if threshold is None else "threshold_given"
            print(
                message(
                    key,
                    threshold=result.match_threshold,
                    precision=choice.expected_precision,
                    recall=choice.expected_recall,
                    f1=choice.expected_f1,
                ),
                file=sys.stderr,
            )
        # The summary line stays in English whatever the locale: scripts read it.
        summary = MESSAGES["summary"].format(
            n_records=len(result.clusters),
            n_pairs=len(result.pairs),
            n_links=len(result.links()),
            threshold=result.match_threshold,
            n_clusters=result.clusters["cluster_id"].nunique(),
            pairs_path=args.out_pairs,
            clusters_path=args.out_clusters,
        )
        print(summary, file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run `kurukan link …` with ``argv`` (the words after ``link``); returns the exit status."""
    parser = _parser()
    # warnings of the model's training (an EM session skipped, …) are for its builders, not its users
    logging.getLogger("kurukan.analysis.linkage").setLevel(logging.ERROR)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2), already printed
        return int(exit_.code or 0)
    try:
        return _link(args)
    except LinkageInputError as exc:
        print(f"kurukan link: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 — the command must end with one line, not a traceback
        print(
            f"kurukan link: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
