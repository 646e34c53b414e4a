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
import sys
from gettext import gettext as _
from pathlib import Path
from typing import NoReturn

import pandas as pd

from .config import INCIDENT_ROLES, PERSON_ROLES, LinkageConfig
from .engine import run
from .messages import MESSAGES, LinkageInputError, error
from .prepare import check_ids, resolve_columns

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
            default="0.9",
            metavar="P",
            help=_("match probability at or above which two records are one entity (default 0.9)"),
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


def _read(path: Path, delimiter: str) -> pd.DataFrame:
    if not path.is_file():
        raise error("file_missing", path=path)
    try:
        # Everything as text, and only an empty cell is missing: "NA" or "Nan" can be a name.
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[""], sep=delimiter, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError:
        raise error("file_empty", path=path) from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = str(exc).splitlines()[0][:120]
        raise error("file_unreadable", path=path, reason=reason) from None
    if frame.empty:
        raise error("file_empty", path=path)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _write(frame: pd.DataFrame, path: Path) -> None:
    try:
        frame.to_csv(path, index=False)
    except OSError as exc:
        raise error("out_unwritable", path=path, reason=exc.strerror or exc) from None


def _link(args: argparse.Namespace) -> int:
    roles = PERSON_ROLES if args.kind == "people" else INCIDENT_ROLES
    mapping = _mapping(args.field, roles)
    threshold = _probability(args.threshold)
    minimum = _probability(args.min_probability)
    _check_backend(args.backend)
    paths = [Path(p) for p in args.files]
    frames = []
    for path in paths:
        if not args.quiet:
            print(MESSAGES["progress_reading"].format(path=path), file=sys.stderr)
        frames.append(_read(path, args.delimiter))
    config = LinkageConfig(
        columns=mapping,
        id_column=args.id,
        match_threshold=threshold,
        pairs_threshold=min(minimum, threshold),
        seed=args.seed,
        threads=args.threads,
        backend=args.backend,
        progress=not args.quiet,
    )
    for frame, path in zip(frames, paths, strict=True):  # fail on bad input before any work
        resolve_columns(frame, config, roles, str(path))
        check_ids(frame, args.id, str(path))
    sources = [p.stem for p in paths]
    if len(sources) == 2 and sources[0] == sources[1]:
        sources = ["a", "b"]
    result = run(args.kind, frames, config, where=[str(p) for p in paths], sources=sources)
    _write(result.pairs, Path(args.out_pairs))
    _write(result.clusters, Path(args.out_clusters))
    if not args.quiet:
        summary = MESSAGES["summary"].format(
            n_records=len(result.clusters),
            n_pairs=len(result.pairs),
            n_links=len(result.links()),
            threshold=threshold,
            n_clusters=result.clusters["cluster_id"].nunique(),
            pairs_path=args.out_pairs,
            clusters_path=args.out_clusters,
        )
        print(summary, file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run `kurukan link …` with ``argv`` (the words after ``link``); returns the exit status."""
    parser = _parser()
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
