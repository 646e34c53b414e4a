"""Capture-history tables: how many cases were seen on each combination of lists.

A capture history is stored as a bit mask: bit ``j`` is set when the case is on list ``j``. A table with
``t`` lists has ``2**t - 1`` observable histories (``1 … 2**t - 1``); history ``0`` — on no list — is the
unobserved "dark figure" every method here estimates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .messages import message

MIN_LISTS = 3
MAX_LISTS = 10


class InputError(ValueError):
    """The input table is malformed; the message names the line, the column and the fix."""


@dataclass(frozen=True)
class CaptureTable:
    """Counts of cases by capture history over ``len(lists)`` lists.

    ``counts[h]`` is the number of cases whose history has bit mask ``h`` (``counts[0]`` is always 0).
    ``rows_as_given`` keeps ``(mask, count)`` of the input rows in their order when the table was read
    from rows or a CSV file: the reference R packages draw their stepwise bootstrap over those rows in
    that order, which matters only when the bootstrap is asked to use R's random numbers.
    """

    lists: tuple[str, ...]
    counts: np.ndarray
    rows_as_given: tuple[tuple[int, int], ...] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != (2 ** len(self.lists),):
            raise ValueError("counts must have one entry per capture history, 2**lists in all")
        if counts[0] != 0:
            raise ValueError("counts[0] (cases on no list) cannot be observed and must be 0")
        if (counts < 0).any():
            raise ValueError("counts cannot be negative")
        object.__setattr__(self, "counts", counts)

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        return int(self.counts.sum())

    @property
    def histories(self) -> np.ndarray:
        """0/1 matrix, one row per observable history ``1 … 2**t - 1``, one column per list."""
        masks = np.arange(1, 2**self.n_lists)
        return (masks[:, None] >> np.arange(self.n_lists)) & 1

    @property
    def cell_counts(self) -> np.ndarray:
        """Counts of the observable histories ``1 … 2**t - 1`` in mask order."""
        return self.counts[1:]

    def with_cell_counts(self, cell_counts: np.ndarray) -> CaptureTable:
        return CaptureTable(self.lists, np.concatenate([[0], np.asarray(cell_counts, dtype=np.int64)]))

    def history_name(self, mask: int) -> str:
        return "".join(name for j, name in enumerate(self.lists) if mask >> j & 1)

    def rows(self) -> list[dict[str, int]]:
        """The non-empty histories as ``{list: 0/1, …, "count": n}`` rows."""
        out = []
        for mask in range(1, 2**self.n_lists):
            if self.counts[mask]:
                row = {name: mask >> j & 1 for j, name in enumerate(self.lists)}
                row["count"] = int(self.counts[mask])
                out.append(row)
        return out

    # constructors -----------------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, object]], lists: Sequence[str] | None = None
    ) -> CaptureTable:
        """Build from rows such as ``{"A": 1, "B": 0, "C": 1, "count": 4}``; repeated histories add up."""
        rows = list(rows)
        if lists is None:
            if not rows:
                raise InputError(message("no_cases", path="rows"))
            lists = [key for key in rows[0] if key != "count"]
        header = [*lists, "count"]
        text_rows = [(line, [str(row.get(name, "")) for name in header]) for line, row in enumerate(rows, 2)]
        return _parse(header, text_rows, "rows")

    @classmethod
    def from_memberships(
        cls, records: Iterable[Iterable[str]], lists: Sequence[str] | None = None
    ) -> CaptureTable:
        """Build from one entry per individual: the names of the lists that individual is on."""
        records = [frozenset(r) for r in records]
        if lists is None:
            lists = sorted(set().union(*records)) if records else []
        index = {name: j for j, name in enumerate(lists)}
        _check_list_count(len(lists), list(lists), "records")
        counts = np.zeros(2 ** len(lists), dtype=np.int64)
        for number, record in enumerate(records, start=1):
            if not record:
                raise InputError(message("empty_record", record=number))
            mask = 0
            for name in record:
                if name not in index:
                    raise InputError(
                        message("unknown_list", record=number, name=name, lists=", ".join(lists))
                    )
                mask |= 1 << index[name]
            counts[mask] += 1
        return cls(tuple(lists), counts)

    @classmethod
    def from_csv(cls, path: str | Path) -> CaptureTable:
        """Read a CSV with one 0/1 column per list and a ``count`` column (one row per history).

        Blank lines before the header are skipped; every problem names its line (and column when there is
        one), so a user can find it in a spreadsheet.
        """
        path = Path(path)
        if path.is_dir():
            raise InputError(message("is_directory", path=path))
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError(message("file_not_found", path=path)) from None
        except OSError as exc:
            raise InputError(message("file_unreadable", path=path, reason=exc.strerror or exc)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise InputError(message("not_utf8", path=path, line=line)) from None
        rows: list[tuple[int, list[str]]] = []
        reader = csv.reader(io.StringIO(text, newline=""))
        # A record is named by the line it starts on: a quoted cell may hold a line break, and an editor
        # shows the reader the first line of the record, not the last.
        start = 1
        try:
            for row in reader:
                rows.append((start, row))
                start = reader.line_num + 1
        except csv.Error as exc:
            line = start
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                raise InputError(message("field_too_long", path=path, line=line, limit=limit)) from None
            raise InputError(message("csv_malformed", path=path, line=line, reason=exc)) from None
        while rows and not any(cell.strip() for cell in rows[0][1]):
            rows.pop(0)  # blank lines before the header
        if not rows:
            raise InputError(message("empty_file", path=path))
        (header_line, header), body = rows[0], rows[1:]
        if not any(any(cell.strip() for cell in row) for _line, row in body):
            raise InputError(message("header_only", path=path, line=header_line))
        return _parse([h.strip() for h in header], body, str(path), header_line)


def _check_list_count(found: int, names: list[str], source: str, line: int = 1) -> None:
    if found < MIN_LISTS:
        columns = ", ".join(names) or "none"
        raise InputError(message("too_few_lists", path=source, line=line, found=found, columns=columns))
    if found > MAX_LISTS:
        raise InputError(message("too_many_lists", path=source, line=line, found=found, maximum=MAX_LISTS))


def _parse(
    header: list[str], body: list[tuple[int, list[str]]], source: str, header_line: int = 1
) -> CaptureTable:
    if not any(header):
        raise InputError(message("empty_file", path=source))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(message("duplicate_column", path=source, line=header_line, column=_shown(name)))
        seen.add(name)
    if "count" not in header:
        columns = _shown(", ".join(header), limit=200)
        raise InputError(message("missing_count", path=source, line=header_line, columns=columns))
    count_at = header.index("count")
    list_at = [i for i, name in enumerate(header) if name != "count"]
    lists = [header[i] for i in list_at]
    _check_list_count(len(lists), [_shown(name) for name in lists], source, header_line)

    counts = np.zeros(2 ** len(lists), dtype=np.int64)
    as_given: list[tuple[int, int]] = []
    for line, row in body:
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines carry no cases
        if len(row) != len(header):
            raise InputError(
                message("wrong_field_count", path=source, line=line, found=len(row), expected=len(header))
            )
        mask = 0
        for bit, i in enumerate(list_at):
            value = row[i].strip()
            if value not in ("0", "1"):
                raise InputError(
                    message("not_binary", path=source, line=line, column=header[i], value=_shown(value))
                )
            mask |= (value == "1") << bit
        raw = row[count_at].strip()
        number = _as_count(raw)
        if number is None:
            raise InputError(message("not_integer", path=source, line=line, value=_shown(raw)))
        if number < 0:
            raise InputError(message("negative_count", path=source, line=line, value=raw))
        if number > MAX_COUNT:
            raise InputError(
                message("count_too_large", path=source, line=line, value=_shown(raw), maximum=MAX_COUNT)
            )
        if mask == 0:
            if number == 0:
                continue  # an explicit zero for the unobservable history says nothing
            raise InputError(message("all_zero_row", path=source, line=line))
        counts[mask] += number
        as_given.append((mask, number))
    if counts.sum() == 0:
        raise InputError(message("no_cases", path=source))
    return CaptureTable(tuple(lists), counts, tuple(as_given))


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+(\.0*)?")  # "12.0" from a spreadsheet export is a whole number
MAX_COUNT = 10**9  # more cases than people in the Sahel: a typo or a wrong column, and beyond int64 sums


def _as_count(text: str) -> int | None:
    """A whole number written in digits: "25", "25.0"; not "2.5", "1e3", "inf" or "²"."""
    if len(text) > 40 or not WHOLE_NUMBER.fullmatch(text):
        return None
    return int(text.split(".")[0])


def _shown(value: str, limit: int = 40) -> str:
    """A cell as quoted in a one-line message: a 10 MB cell is not printed whole."""
    value = value.replace("\n", " ").replace("\r", " ")
    return value if len(value) <= limit else value[:limit] + "…"
