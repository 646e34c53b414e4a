"""`kurukan link` on malformed files: exit status 2 and one line naming the line, the column and the fix.

Property-based: hypothesis writes tables with one defect each (a duplicated header, a short row, an
impossible age, a cell of megabytes, …) and the command must refuse every one of them in one line,
never with a traceback, a library's error or SQL. Outputs never carry a cell a spreadsheet would
run as a formula.
"""

import csv
import datetime as dt
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kurukan.analysis.linkage.cli import MAX_CELL, main

HEADER = ["code", "nom", "age", "naissance", "commune"]
FIELDS = ["--field", "full_name=nom", "--field", "age=age", "--field", "birth_date=naissance"]
FIELDS += ["--field", "admin3=commune"]

names = st.sampled_from(["Amadou Maïga", "Awa Cissé", "Oumar Traoré", "Fatoumata Diallo", "Moussa Keïta"])
ages = st.integers(min_value=0, max_value=99).map(str)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)).map(
    lambda d: d.strftime("%Y%m%d")
)
communes = st.sampled_from(["ML010101", "ML020304", "ML060201"])


@st.composite
def good_rows(draw, n_min=3):
    n = draw(st.integers(min_value=n_min, max_value=8))
    return [[f"P{i}", draw(names), draw(ages), draw(dates), draw(communes)] for i in range(n)]


def _cell(draw):
    return draw(st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12))


# Each defect: (how it changes the header and rows, what the message must contain)
@st.composite
def malformed(draw):
    header, rows = list(HEADER), draw(good_rows())
    defect = draw(
        st.sampled_from(
            [
                "duplicate_header",
                "unnamed_column",
                "short_row",
                "long_row",
                "negative_age",
                "old_age",
                "word_age",
                "not_a_date",
                "huge_cell",
                "empty_id",
                "duplicate_id",
                "no_rows",
                "all_names_empty",
            ]
        )
    )
    at = draw(st.integers(min_value=0, max_value=len(rows) - 1))
    line = at + 2  # the header is line 1
    if defect == "duplicate_header":
        header[draw(st.sampled_from([2, 3, 4]))] = "nom"
        return header, rows, ["line 1", "'nom'", "appears twice", "rename"]
    if defect == "unnamed_column":
        header.append(" ")
        rows = [row + [""] for row in rows]
        return header, rows, ["line 1", "column 6", "no name"]
    if defect == "short_row":
        rows[at] = rows[at][: draw(st.integers(min_value=1, max_value=4))]
        return header, rows, [f"line {line}", "cells where the header has 5 columns"]
    if defect == "long_row":
        rows[at] = rows[at] + [_cell(draw)]
        return header, rows, [f"line {line}", "6 cells where the header has 5 columns"]
    if defect == "negative_age":
        rows[at][2] = str(-draw(st.integers(min_value=1, max_value=200)))
        return header, rows, [f"line {line}", "column 'age'", "not a possible age", "from 0 to 120"]
    if defect == "old_age":
        rows[at][2] = str(draw(st.integers(min_value=121, max_value=10**6)))
        return header, rows, [f"line {line}", "column 'age'", "not a possible age"]
    if defect == "word_age":
        rows[at][2] = draw(st.sampled_from(["trente", "env. trente ans", "?"]))
        return header, rows, [f"line {line}", "column 'age'", "not a number", "write digits"]
    if defect == "not_a_date":
        rows[at][3] = draw(st.sampled_from(["hier", "19xx0101", "le 3 mai", "3/4", "3000-01-01", "0000"]))
        return header, rows, [f"line {line}", "column 'naissance'", "not a date of birth", "--date-format"]
    if defect == "huge_cell":
        rows[at][1] = "A" * (MAX_CELL + draw(st.integers(min_value=1, max_value=1000)))
        return header, rows, [f"line {line}", f"longer than {MAX_CELL} characters"]
    if defect == "empty_id":
        rows[at][0] = ""
        return header, rows, [f"line {line}", "empty id", "'code'"]
    if defect == "duplicate_id":
        other = draw(st.integers(min_value=0, max_value=len(rows) - 1).filter(lambda i: i != at))
        rows[max(at, other)][0] = rows[min(at, other)][0]
        return header, rows, [f"line {max(at, other) + 2}", "repeats the id", "unique"]
    if defect == "no_rows":
        return header, [], ["no data rows"]
    # all_names_empty
    for row in rows:
        row[1] = ""
    return header, rows, ["'nom'", "empty in every row", "fill in the names"]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def run(tmp_path, capsys, path, *extra):
    out = ["--out-pairs", str(tmp_path / "p.csv"), "--out-clusters", str(tmp_path / "c.csv")]
    status = main(["dedupe", str(path), "--id", "code", *FIELDS, *extra, "--quiet", *out])
    return status, capsys.readouterr().err


def assert_one_clear_line(err, expected):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    line = lines[0]
    assert line.startswith("kurukan link: ")
    assert len(line) < 400
    for forbidden in ("Traceback", "Error", "Exception", "SELECT", "splink", "duckdb", "pandas"):
        assert forbidden not in line
    for part in expected:
        assert part in line, (part, line)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=malformed())
def test_every_malformed_table_exits_2_with_one_line_naming_the_fix(tmp_path, capsys, case):
    header, rows, expected = case
    path = tmp_path / "liste.csv"
    write(path, header, rows)
    status, err = run(tmp_path, capsys, path)
    assert status == 2, err[:2000]
    assert_one_clear_line(err, expected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(min_size=0, max_size=300))
def test_arbitrary_bytes_never_give_a_traceback(tmp_path, capsys, raw):
    path = tmp_path / "octets.csv"
    path.write_bytes(b"code,nom\n" + raw)
    status, err = run(tmp_path, capsys, path, "--threshold", "0.9")
    assert status in (0, 2), err[:2000]
    if status == 2:
        assert_one_clear_line(err, [])


def test_a_ten_megabyte_cell_is_refused_by_line_and_limit(tmp_path, capsys):
    path = tmp_path / "enorme.csv"
    write(path, HEADER, [["P1", "Awa Cissé", "30", "19900101", "ML010101"]])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("P2," + "x" * (10 * 1024 * 1024) + ",31,19900101,ML010101\n")
    status, err = run(tmp_path, capsys, path)
    assert status == 2
    assert_one_clear_line(err, ["line 3", f"longer than {MAX_CELL} characters"])


def test_a_one_row_file_asks_for_two_records(tmp_path, capsys):
    path = tmp_path / "un.csv"
    write(path, HEADER, [["P1", "Awa Cissé", "30", "19900101", "ML010101"]])
    status, err = run(tmp_path, capsys, path)
    assert status == 2
    assert_one_clear_line(err, ["one record", "at least two"])


def test_a_two_row_file_is_linked_without_error(tmp_path, capsys):
    path = tmp_path / "deux.csv"
    write(path, HEADER, [["P1", "Awa Cissé", "30", "19900101", "ML010101"], ["P2", "Awa Cisse", "", "", ""]])
    status, err = run(tmp_path, capsys, path)
    assert status == 0, err
    assert {row["id"] for row in csv.DictReader(open(tmp_path / "c.csv", encoding="utf-8"))} == {"P1", "P2"}


def test_a_bad_date_format_option_is_refused(tmp_path, capsys):
    path = tmp_path / "liste.csv"
    write(path, HEADER, [["P1", "Awa Cissé", "30", "19900101", "ML010101"]] * 1)
    status, err = run(tmp_path, capsys, path, "--date-format", "%d.%m")
    assert status == 2
    assert_one_clear_line(err, ["--date-format '%d.%m'", "with a year"])


def test_an_unclosed_quote_names_its_line(tmp_path, capsys):
    path = tmp_path / "guillemets.csv"
    path.write_text('code,nom\nP1,Awa\nP2,"Oumar" Traoré\n', encoding="utf-8")
    status, err = run(tmp_path, capsys, path)
    assert status == 2
    assert_one_clear_line(err, ["line 3", "quote"])


def test_text_that_is_not_utf8_names_its_line(tmp_path, capsys):
    path = tmp_path / "latin1.csv"
    path.write_bytes("code,nom\nP1,Awa\nP2,Maïga\n".encode("latin-1"))
    status, err = run(tmp_path, capsys, path)
    assert status == 2
    assert_one_clear_line(err, ["line 3", "UTF-8"])


def is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_output_cells_a_spreadsheet_would_run_are_neutralised(tmp_path, capsys):
    path = tmp_path / "formules.csv"
    starts = ["=", "+", "-", "@", "\t", "\r"]
    rows = [[f"{start}P{i}", "=Awa Cissé", "30", "19900101", "@ML010101"] for i, start in enumerate(starts)]
    write(path, HEADER, rows)
    status, err = run(tmp_path, capsys, path, "--threshold", "0.5", "--min-probability", "0")
    assert status == 0, err
    for name in ("c.csv", "p.csv"):
        for row in csv.reader(open(tmp_path / name, newline="", encoding="utf-8")):
            for cell in row:
                if not is_number(cell):  # a negative match weight is a number, not a formula
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, row)
    ids = {row["id"] for row in csv.DictReader(open(tmp_path / "c.csv", newline="", encoding="utf-8"))}
    # a tab or carriage return around an id is spacing, removed when the ids are read
    assert ids == {"'=P0", "'+P1", "'-P2", "'@P3", "P4", "P5"}
    pairs = list(csv.DictReader(open(tmp_path / "p.csv", newline="", encoding="utf-8")))
    assert pairs and {pairs[0]["id_l"], pairs[0]["id_r"]} <= ids
