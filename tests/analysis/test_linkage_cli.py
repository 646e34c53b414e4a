"""`kurukan link dedupe|pair`, end to end on temporary CSV files, as an organisation would run it."""

import csv
import random
import subprocess
import sys
import types

import pytest

from kurukan.analysis.linkage.cli import main

NAMES = [
    ("Amadou", "Maïga"),
    ("Fatoumata", "Traoré"),
    ("Oumar", "Coulibaly"),
    ("Aïssata", "Diallo"),
    ("Boubacar", "Keïta"),
    ("Hawa", "Cissé"),
    ("Moussa", "Diarra"),
    ("Kadidia", "Touré"),
]
SPELLINGS = {"Amadou": "Hamadou", "Fatoumata": "Fatimata", "Oumar": "Omar", "Maïga": "Maiga", "Hawa": "Awa"}


def write_people(path, n_people=120, seed=11, id_column="code"):
    """A French-headed list: code, nom complet ("MAIGA Amadou" or "Amadou Maïga"), âge, commune."""
    rng = random.Random(seed)
    rows = []
    for person in range(n_people):
        given, family = rng.choice(NAMES)
        age = rng.randint(10, 70)
        commune = f"ML{rng.randint(1, 9):02d}{rng.randint(1, 6):02d}{rng.randint(1, 12):02d}"
        date = f"20{rng.randint(15, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for _ in range(rng.choice([1, 2])):
            g = SPELLINGS.get(given, given) if rng.random() < 0.3 else given
            f = SPELLINGS.get(family, family) if rng.random() < 0.3 else family
            full = f"{f.upper()} {g}" if rng.random() < 0.3 else f"{g} {f}"
            rows.append(
                {
                    id_column: f"P{len(rows):04d}",
                    "nom complet": full,
                    "âge": str(age + rng.randint(-1, 1)),
                    "commune": commune,
                    "cercle": commune[:6],
                    "date": date,
                    "personne": person,
                }
            )
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


FIELDS = [
    "--field",
    "full_name=nom complet",
    "--field",
    "age=âge",
    "--field",
    "admin3=commune",
    "--field",
    "admin2=cercle",
    "--field",
    "date=date",
]


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_dedupe_writes_scored_pairs_and_clusters(tmp_path, capsys):
    rows = write_people(tmp_path / "victimes.csv")
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    status = main(
        ["dedupe", str(tmp_path / "victimes.csv"), "--id", "code", *FIELDS, "--threshold", "0.8"]
        + ["--out-pairs", str(pairs), "--out-clusters", str(clusters)]
    )
    assert status == 0
    written = read(pairs)
    assert written
    assert {"id_l", "id_r", "match_probability", "match_weight", "name_level", "name_bf", "evidence"} <= set(
        written[0]
    )
    assert all(0.0 <= float(row["match_probability"]) <= 1.0 for row in written)
    grouped = read(clusters)
    assert [row["id"] for row in grouped] != [] and {"id", "cluster_id", "cluster_size"} <= set(grouped[0])
    assert sorted(row["id"] for row in grouped) == sorted(row["code"] for row in rows)
    assert "entities" in capsys.readouterr().err


def test_pair_links_two_files_and_names_the_source_of_each_record(tmp_path):
    write_people(tmp_path / "ngo.csv", n_people=60, seed=1)
    write_people(tmp_path / "un.csv", n_people=60, seed=1)
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    status = main(
        ["pair", str(tmp_path / "ngo.csv"), str(tmp_path / "un.csv"), "--id", "code", *FIELDS, "--quiet"]
        + ["--out-pairs", str(pairs), "--out-clusters", str(clusters)]
    )
    assert status == 0
    assert {row["source"] for row in read(clusters)} == {"ngo", "un"}
    written = read(pairs)
    assert written and all(row["source_l"] != row["source_r"] for row in written)
    # the same lists, so most records find their twin
    assert sum(float(row["match_probability"]) >= 0.9 for row in written) >= 60


def run_bad(tmp_path, capsys, *arguments):
    status = main(
        [*arguments, "--out-pairs", str(tmp_path / "p.csv"), "--out-clusters", str(tmp_path / "c.csv")]
    )
    error = capsys.readouterr().err.strip().splitlines()
    return status, error[-1] if error else ""


@pytest.fixture
def people_csv(tmp_path):
    write_people(tmp_path / "victimes.csv", n_people=10)
    return str(tmp_path / "victimes.csv")


def test_a_missing_column_is_named_with_the_fix(tmp_path, capsys, people_csv):
    status, error = run_bad(
        tmp_path, capsys, "dedupe", people_csv, "--id", "code", "--field", "full_name=nom"
    )
    assert status == 2
    assert "column 'nom' (role full_name)" in error and "--field full_name=COLUMN" in error


def test_an_unknown_role_lists_the_roles(tmp_path, capsys, people_csv):
    status, error = run_bad(
        tmp_path, capsys, "dedupe", people_csv, "--id", "code", "--field", "prenom=nom complet"
    )
    assert status == 2
    assert "unknown role 'prenom'" in error and "given_name" in error


def test_a_missing_id_column_is_named(tmp_path, capsys, people_csv):
    status, error = run_bad(tmp_path, capsys, "dedupe", people_csv, "--id", "numero", *FIELDS)
    assert status == 2
    assert "id column 'numero'" in error and "pass --id" in error


def test_duplicate_ids_name_the_row(tmp_path, capsys):
    path = tmp_path / "doublons.csv"
    path.write_text("code,nom complet\nA1,Amadou Maïga\nA2,Awa Cissé\nA1,Hamadou Maiga\n", encoding="utf-8")
    status, error = run_bad(
        tmp_path, capsys, "dedupe", str(path), "--id", "code", "--field", "full_name=nom complet"
    )
    assert status == 2
    assert "line 4" in error and "'A1'" in error and "unique" in error


def test_an_empty_file_says_so(tmp_path, capsys):
    for content in ("", "code,nom complet\n"):
        path = tmp_path / "vide.csv"
        path.write_text(content, encoding="utf-8")
        status, error = run_bad(
            tmp_path, capsys, "dedupe", str(path), "--id", "code", "--field", "full_name=nom complet"
        )
        assert status == 2
        assert "no data rows" in error


def test_a_bad_number_or_date_names_row_and_column(tmp_path, capsys):
    path = tmp_path / "ages.csv"
    path.write_text(
        "code,nom,age,quand\nA1,Amadou Maïga,34,2020-01-02\nA2,Awa Cissé,trente,hier\n", encoding="utf-8"
    )
    status, error = run_bad(
        tmp_path,
        capsys,
        "dedupe",
        str(path),
        "--id",
        "code",
        "--field",
        "full_name=nom",
        "--field",
        "age=age",
    )
    assert status == 2
    assert "line 3, column 'age'" in error and "'trente'" in error
    status, error = run_bad(
        tmp_path,
        capsys,
        "dedupe",
        str(path),
        "--id",
        "code",
        "--field",
        "full_name=nom",
        "--field",
        "date=quand",
    )
    assert status == 2
    assert "line 3, column 'quand'" in error and "YYYY-MM-DD" in error


def test_usage_errors_are_one_line_with_status_2(tmp_path, capsys, people_csv):
    status, error = run_bad(tmp_path, capsys, "dedupe", people_csv, "--field", "full_name=nom complet")
    assert status == 2 and "--id" in error
    status, error = run_bad(tmp_path, capsys, "dedupe", people_csv, "--id", "code", "--field", "full_name")
    assert status == 2 and "ROLE=COLUMN" in error
    status, error = run_bad(
        tmp_path, capsys, "dedupe", people_csv, "--id", "code", *FIELDS, "--threshold", "2"
    )
    assert status == 2 and "between 0 and 1" in error
    status, error = run_bad(tmp_path, capsys, "dedupe", str(tmp_path / "absent.csv"), "--id", "code", *FIELDS)
    assert status == 2 and "does not exist" in error


def test_a_list_without_duplicates_gives_one_entity_a_record_and_no_pairs(tmp_path, capsys):
    path = tmp_path / "distincts.csv"
    path.write_text(
        "code,nom complet,commune\nA1,Amadou Maïga,ML010101\nA2,Awa Cissé,ML020202\nA3,Moussa Diarra,ML030303\n",
        encoding="utf-8",
    )
    pairs, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    status = main(
        ["dedupe", str(path), "--id", "code", "--field", "full_name=nom complet", "--field", "admin3=commune"]
        + ["--quiet", "--out-pairs", str(pairs), "--out-clusters", str(clusters)]
    )
    assert status == 0, capsys.readouterr().err
    assert read(pairs) == []
    assert [(row["id"], row["cluster_id"]) for row in read(clusters)] == [
        ("A1", "A1"),
        ("A2", "A2"),
        ("A3", "A3"),
    ]


def entities(path):
    """The records grouped as the clusters file groups them, whatever the cluster ids."""
    groups = {}
    for row in read(path):
        groups.setdefault(row["cluster_id"], set()).add(row["id"])
    return {frozenset(ids) for ids in groups.values()}


@pytest.mark.slow
def test_the_spark_backend_finds_the_entities_duckdb_finds(tmp_path, capsys, monkeypatch):
    """One small run on a local Spark session (needs pyspark and Java: it fails, it does not skip,
    without them). Most of its time is Spark's fixed cost (JVM start, ~1 s a Splink query), not data."""
    # from the data's folder, as a user would: there `python3` may be another Python than this one
    # (pyenv picks by folder), and Spark's Python workers must still run on this one
    monkeypatch.chdir(tmp_path)
    rows = write_people(tmp_path / "victimes.csv", n_people=30, seed=5)
    found, columns = {}, {}
    for backend in ("duckdb", "spark"):
        pairs, clusters = tmp_path / f"pairs-{backend}.csv", tmp_path / f"clusters-{backend}.csv"
        outputs = ["--out-pairs", str(pairs), "--out-clusters", str(clusters), "--quiet"]
        command = ["dedupe", str(tmp_path / "victimes.csv"), "--id", "code", *FIELDS, "--backend", backend]
        status = main(command + outputs)
        assert status == 0, capsys.readouterr().err
        found[backend] = entities(clusters)
        columns[backend] = list(read(pairs)[0])
    assert found["spark"] == found["duckdb"]
    assert len(rows) > len(found["spark"]) > 1  # duplicates were found, and not everything is one person
    assert columns["spark"] == columns["duckdb"]


def test_spark_without_pyspark_says_what_to_install(tmp_path, capsys, people_csv, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # `import pyspark` raises ImportError
    for command in (["dedupe", people_csv], ["pair", people_csv, people_csv]):
        status, error = run_bad(tmp_path, capsys, *command, "--id", "code", *FIELDS, "--backend", "spark")
        assert status == 2
        assert error.startswith("kurukan link: --backend spark needs pyspark")
        assert "pip install 'kurukan[spark]'" in error and "--backend duckdb" in error
        assert not (tmp_path / "c.csv").exists()


def test_spark_without_java_says_what_to_install(tmp_path, capsys, people_csv, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", types.ModuleType("pyspark"))  # installed or not
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `java` on it
    status, error = run_bad(
        tmp_path, capsys, "dedupe", people_csv, "--id", "code", *FIELDS, "--backend", "spark"
    )
    assert status == 2
    assert error.startswith("kurukan link: --backend spark needs a Java 17+ runtime")
    assert "openjdk-17-jre-headless" in error and "--backend duckdb" in error


def test_an_unknown_backend_is_a_usage_error(tmp_path, capsys, people_csv):
    status, error = run_bad(
        tmp_path, capsys, "dedupe", people_csv, "--id", "code", *FIELDS, "--backend", "polars"
    )
    assert status == 2 and "--backend" in error and "'duckdb', 'spark'" in error


def test_it_runs_as_a_module_without_a_traceback(tmp_path, people_csv):
    command = [sys.executable, "-m", "kurukan.analysis.linkage.cli", "dedupe", people_csv, "--id", "nope"]
    command += ["--field", "full_name=nom complet", "--out-pairs", str(tmp_path / "p.csv")]
    command += ["--out-clusters", str(tmp_path / "c.csv")]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert finished.stderr.strip().splitlines()[-1].startswith("kurukan link: the id column 'nope'")
