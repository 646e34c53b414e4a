"""Recommendation tables (UPR Info / UHRI exports) as a register of the intake machinery.

The table is an `ImportJob` that belongs to no organisation (recommendations are public documents shared by
all); its rejected rows — blank text, unknown response, broken encoding — are kept in the job's quarantine
with the row, the column and the fix in French and English, and corrected in the quarantine page, which
writes the row through the same rules (`kurukan.imports.registers`). Those who manage recommendations
(administrators, coordinators) read these jobs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy

from kurukan.imports import registers
from kurukan.imports.actions import copy_file
from kurukan.imports.formats import RowError
from kurukan.imports.models import ImportJob
from kurukan.imports.reading import FileRefused, Sheet

from . import actions, parsing
from .models import Document, Theme

NAME = "recommendations"
LABEL = gettext_lazy("recommandations (UPR Info, Index universel des droits de l'homme)")


def open(path: Path) -> Sheet:  # noqa: A001 — the register's interface names it so
    rows = parsing.read_table_rows(path)
    for number, cells in rows:
        if any(c.strip() for c in cells):
            return Sheet([c.strip() for c in cells], _rest(rows), number)
    raise FileRefused("Le fichier est vide.", "The file is empty.")


def _rest(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield from rows


@dataclass
class State:
    header: list[str]
    columns: dict[str, int]
    user: Any
    documents: dict[str, Document] = field(default_factory=dict)
    themes: dict[tuple[str, str], Theme] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)


def start(job: ImportJob, header: list[str]) -> State:
    """The header's columns; a header that cannot be used refuses the whole file, saying why."""
    for problem in parsing.parse_recommendation_table([(1, header)]):
        if isinstance(problem, parsing.RowProblem) and problem.whole_file:
            raise FileRefused(problem.message_fr, problem.message_en)
    columns, _problems = parsing.header_map(header)
    return State(header, columns, job.requested_by)


def map_row(state: State, number: int, row: dict[str, str]) -> parsing.RecommendationRow:
    cells = [row.get(name, "") for name in state.header]
    extra = [value for name, value in row.items() if name.startswith("(")]
    item = parsing._row(number, cells + extra, state.header, state.columns)
    if isinstance(item, parsing.RowProblem):
        raise registers.row_error(item.column, item.value, item.message_fr, item.message_en)
    return item


def write(
    state: State, items: list[tuple[int, parsing.RecommendationRow]]
) -> list[tuple[int, str | RowError]]:
    rows = []
    for number, item in items:
        item.row = number
        actions._disambiguate(item, state.seen)
        rows.append(item)
    outcomes: list[tuple[int, str]] = []
    if rows:
        actions._write_batch(rows, state.documents, state.themes, actions.ImportResult(), outcomes)
    return list(outcomes)


def summary(state: State, job: ImportJob) -> str:
    """The command line's last line (an interface: never translated)."""
    job.refresh_from_db()
    return (
        f"created {job.created}, updated {job.updated}, unchanged {job.unchanged}, "
        f"quarantined {job.quarantined}"
    )


def import_file(path: Path, user: Any = None, progress=None) -> ImportJob:
    """The job, run in the foreground (the command line, the page: a UPR table is a few thousand rows)."""
    job = registers.start(
        module=sys.modules[__name__], user=user, organisation=None, path=copy_file(path), filename=path.name
    )
    return registers.run(job, progress=progress)
