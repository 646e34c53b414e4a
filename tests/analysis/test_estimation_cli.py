"""`kurukan estimate` as a user runs it: exit codes, one-line errors, JSON keys."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kurukan.analysis.estimation.cli import main

DATA = Path(__file__).resolve().parents[1] / "data/mse"
KOREA = str(DATA / "korea_comfort_women_3lists.csv")


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "lists.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_output_has_the_documented_keys(capsys):
    assert main([KOREA, "--criterion", "bic", "--bootstrap", "200", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"observed", "estimate", "ci_low", "ci_high", "ci_level", "method", "model", "diagnostics"} <= set(
        out
    )
    assert out["observed"] == 123
    assert out["estimate"] == pytest.approx(157.17, abs=0.01)
    assert out["model"] == "main effects + b:c + c:d"
    assert out["ci_level"] == 0.95


def test_lcmcr_json_reports_convergence_diagnostics(capsys):
    argv = [
        KOREA,
        "--method",
        "lcmcr",
        "--classes",
        "5",
        "--burnin",
        "200",
        "--samples",
        "200",
        "--chains",
        "2",
    ]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "lcmcr"
    assert {"split_rhat", "effective_sample_size"} <= set(out["diagnostics"])


def test_summary_without_json_is_short_and_human(capsys):
    assert main([KOREA, "--criterion", "main", "--bootstrap", "100"]) == 0
    out = capsys.readouterr().out
    assert "Cases observed on at least one list: 123" in out
    assert "estimate of the total" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A,B,C,n\n1,0,0,3\n", "no 'count' column"),
        ("A,B,C,count\n1,0,0,3\n0,2,1,4\n", "line 3, column 'B': value '2' is not 0 or 1"),
        ("A,B,C,count\n1,0,0,3\n0,0,0,4\n", "line 3: every list column is 0"),
        ("A,B,count\n1,0,3\n0,1,2\n", "at least 3 lists are needed"),
        ("A,B,C,count\n1,0,0,3\n0,1,1,2.5\n", "line 3, column 'count': value '2.5' is not a whole number"),
        ("A,B,C,count\n1,0,0,-3\n", "line 2, column 'count': value '-3' is negative"),
        ("A,B,C,count\n1,0,0\n", "line 2: the row has 3 values but the header has 4"),
        ("", "empty"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path, capsys, text, expected):
    assert main([write(tmp_path, text)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_bad_options_exit_2_without_a_traceback(capsys):
    assert main([KOREA, "--level", "1.5"]) == 2
    assert main([KOREA, "--criterion", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_a_table_without_overlap_is_refused_with_exit_3(tmp_path, capsys):
    path = write(tmp_path, "A,B,C,count\n1,0,0,5\n0,1,0,4\n0,0,1,2\n")
    assert main([path]) == 3
    assert "do not overlap" in capsys.readouterr().err


def test_it_runs_as_a_module(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kurukan.analysis.estimation.cli",
            KOREA,
            "--criterion",
            "main",
            "--bootstrap",
            "50",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["method"] == "loglinear-main"


def test_rng_r_gives_the_reference_packages_interval(capsys):
    # MultipleSystemsEstimation's estimate_population_bic(Korea, nboot = 1000) with its default
    # iseed = 1234: Silverman, Chan & Vincent (2024) Table 3, all models, 95 % interval (128, 349)
    assert main([KOREA, "--criterion", "bic", "--rng", "r", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["diagnostics"]["rng"] == "r"
    assert out["ci_low"] == pytest.approx(128, rel=0.02)
    assert out["ci_high"] == pytest.approx(349, rel=0.02)


def test_unknown_rng_is_a_one_line_error(capsys):
    assert main([KOREA, "--rng", "mt"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
