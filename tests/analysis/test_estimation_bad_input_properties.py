"""Property tests: any malformed capture table makes `kurukan estimate` exit 2 with one line naming the line.

Hypothesis builds a valid table, breaks it in one way (a count that is not a whole number or too large, a
list cell that is not 0/1, a short or long row, a duplicated header, blank lines before a header with no
rows, a huge field, a byte that is not UTF-8) and checks the message; a second property feeds arbitrary
text and only asks that nothing crashes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kurukan.analysis.estimation.cli import main

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NOT_A_COUNT = st.one_of(
    st.sampled_from(["2.5", "1e3", "1e30", "1E3", "inf", "nan", "-", "", "0x10", "1 000", "²", "3.5e2"]),
    st.text(min_size=1, max_size=12).filter(lambda t: not re.fullmatch(r"[+-]?[0-9]+(\.0*)?", t.strip())),
    st.integers(min_value=10**9 + 1, max_value=10**40).map(str),
)
NOT_BINARY = st.text(min_size=1, max_size=8).filter(lambda t: t.strip() not in {"0", "1"})


@st.composite
def valid_tables(draw) -> tuple[list[str], list[list[str]]]:
    n_lists = draw(st.integers(3, 5))
    header = [f"L{j}" for j in range(n_lists)] + ["count"]
    masks = draw(st.lists(st.integers(1, 2**n_lists - 1), min_size=1, max_size=12))
    rows = [[str(mask >> j & 1) for j in range(n_lists)] + [str(draw(st.integers(1, 50)))] for mask in masks]
    return header, rows


def as_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def broken_tables(draw) -> tuple[bytes, int]:
    """A table broken in one way, and the line its message must name."""
    header, rows = draw(valid_tables())
    at = draw(st.integers(0, len(rows) - 1))
    line = at + 2
    kind = draw(
        st.sampled_from(["count", "binary", "short", "long", "duplicate", "header_only", "huge", "utf8"])
    )
    if kind == "count":
        rows[at][-1] = draw(NOT_A_COUNT)
    elif kind == "binary":
        rows[at][draw(st.integers(0, len(header) - 2))] = draw(NOT_BINARY)
    elif kind == "short":
        rows[at] = rows[at][: draw(st.integers(1, len(header) - 1))]
    elif kind == "long":
        rows[at] = rows[at] + draw(st.lists(st.sampled_from(["0", "1", "x"]), min_size=1, max_size=3))
    elif kind == "duplicate":
        header[draw(st.integers(1, len(header) - 2))] = header[0]
        line = 1
    elif kind == "huge":
        rows[at][-1] = "9" * draw(st.integers(131_073, 140_000))
    if kind == "header_only":
        blank = draw(st.integers(0, 3))
        return ("\n" * blank + as_csv(header, [])).encode(), blank + 1
    data = as_csv(header, rows).encode()
    if kind == "utf8":
        lines = data.split(b"\n")
        lines[at + 1] += b"\xff"
        data = b"\n".join(lines)
    return data, line


def run(tmp_path: Path, data: bytes, capsys) -> tuple[int, str]:
    path = tmp_path / "lists.csv"
    path.write_bytes(data)
    code = main([str(path), "--bootstrap", "0", "--criterion", "main"])
    return code, capsys.readouterr().err


@BOUNDED
@given(broken=broken_tables())
def test_a_broken_table_exits_2_with_one_line_naming_its_line(tmp_path, capsys, broken):
    data, line = broken
    code, err = run(tmp_path, data, capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert f"line {line}" in err
    assert "Traceback" not in err and len(err) < 600


@BOUNDED
@given(text=st.text(alphabet=st.sampled_from('01,\n\r\t "ABCcount-.e9x'), max_size=200))
def test_any_text_gives_a_result_or_a_one_line_error(tmp_path, capsys, text):
    code, err = run(tmp_path, text.encode(), capsys)
    assert code in {0, 2, 3}
    if code:
        assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err


def test_a_directory_is_named_as_such(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "is a directory, not a file" in capsys.readouterr().err


def test_blank_lines_before_the_header_are_skipped(tmp_path, capsys):
    table = "\n\n" + as_csv(
        ["A", "B", "C", "count"],
        [["1", "0", "0", "5"], ["1", "1", "0", "2"], ["0", "1", "1", "3"], ["1", "0", "1", "2"]],
    )
    code, err = run(tmp_path, table.encode(), capsys)
    assert code == 0, err
