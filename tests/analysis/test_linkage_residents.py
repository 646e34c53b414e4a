"""`kurukan link` on a generic list of people (a register of residents, not reports of violations):
dates of birth, addresses, postcodes, typing errors, and a threshold chosen by the model."""

import csv
import random

import pandas as pd
import pytest

from kurukan.analysis.linkage import pairwise_scores
from kurukan.analysis.linkage.cli import main
from kurukan.analysis.linkage.prepare import parse_birth_date, parse_date

GIVEN = ["james", "olivia", "lachlan", "chloe", "jack", "isabella", "thomas", "emily", "william", "sophie"]
GIVEN += ["joshua", "charlotte", "samuel", "ella", "benjamin", "grace", "daniel", "ruby", "ethan", "mia"]
FAMILY = ["smith", "jones", "williams", "brown", "wilson", "taylor", "nguyen", "johnson", "martin", "white"]
FAMILY += [
    "anderson",
    "walker",
    "thompson",
    "harris",
    "ryan",
    "robinson",
    "kelly",
    "king",
    "campbell",
    "clarke",
]
STREETS = ["tullaroop street", "giblin street", "goldfinch circuit", "banksia avenue", "wattle road"]
STREETS += ["kookaburra crescent", "macquarie place", "eucalypt drive", "boronia lane", "warrego highway"]
SUBURBS = ["st james", "bittern", "canterbury", "killarney", "toowong", "parkside", "mansfield", "ashgrove"]


def typo(word: str, rng: random.Random) -> str:
    """One keyboard error: a letter replaced, dropped, doubled or two letters swapped."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["replace", "drop", "double", "swap"])
    if kind == "replace":
        return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def write_residents(path, n_people=400, seed=5):
    """Originals and, for half of them, one duplicate with one to three errors (as FEBRL does)."""
    rng = random.Random(seed)
    rows = []
    for person in range(n_people):
        born = f"{rng.randint(1930, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        original = {
            "rec_id": f"rec-{person}-org",
            "given_name": rng.choice(GIVEN),
            "surname": rng.choice(FAMILY),
            "street_number": str(rng.randint(1, 200)),
            "address_1": rng.choice(STREETS),
            "suburb": rng.choice(SUBURBS),
            "postcode": str(rng.randint(2000, 2999)),
            "date_of_birth": born,
        }
        rows.append(original)
        if person % 2:
            continue
        duplicate = dict(original, rec_id=f"rec-{person}-dup-0")
        for error in rng.sample(["given", "surname", "dob_swap", "dob_part", "address", "missing"], 2):
            if error == "given":
                duplicate["given_name"] = typo(duplicate["given_name"], rng)
            elif error == "surname":
                duplicate["surname"] = typo(duplicate["surname"], rng)
            elif error == "dob_swap" and int(born[6:]) <= 12:
                duplicate["date_of_birth"] = born[:4] + born[6:] + born[4:6]
            elif error == "dob_part":
                duplicate["date_of_birth"] = born[:4] + f"{rng.randint(1, 12):02d}" + born[6:]
            elif error == "address":
                duplicate["address_1"] = typo(duplicate["address_1"], rng)
            elif error == "missing":
                duplicate[rng.choice(["given_name", "suburb", "date_of_birth"])] = ""
        rows.append(duplicate)
    rng.shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


FIELDS = ["--field", "given_name=given_name", "--field", "family_name=surname"]
FIELDS += ["--field", "birth_date=date_of_birth", "--field", "address=address_1"]
FIELDS += ["--field", "settlement=suburb", "--field", "postcode=postcode"]


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("residents")
    rows = write_residents(folder / "residents.csv")
    outputs = ["--out-pairs", str(folder / "pairs.csv"), "--out-clusters", str(folder / "clusters.csv")]
    status = main(["dedupe", str(folder / "residents.csv"), "--id", "rec_id", *FIELDS, *outputs])
    return folder, rows, status


def test_typing_errors_in_a_register_of_residents_are_found_with_the_default_threshold(linked, capsys):
    folder, rows, status = linked
    assert status == 0
    clusters = {row["id"]: row["cluster_id"] for row in read(folder / "clusters.csv")}
    ids = pd.Series([row["rec_id"] for row in rows])
    predicted = ids.map(clusters)
    truth = ids.str.extract(r"^rec-(\d+)-")[0]
    scores = pairwise_scores(predicted, truth)
    assert scores.f1 >= 0.95, scores


def test_a_list_without_reports_or_incident_dates_is_not_compared_as_reports(linked):
    folder, _, _ = linked
    columns = set(read(folder / "pairs.csv")[0])
    assert {"birth_level", "address_level", "place_level", "name_level"} <= columns
    # no "same day, same settlement", no "the two reports share another matched victim"
    assert "event_level" not in columns and "reports_level" not in columns


def test_a_date_of_birth_with_day_and_month_swapped_is_a_level_of_its_own(linked):
    folder, rows, _ = linked
    by_id = {row["rec_id"]: row for row in rows}
    pairs = read(folder / "pairs.csv")
    swapped = [
        pair
        for pair in pairs
        if by_id[pair["id_l"]]["date_of_birth"][:4] == by_id[pair["id_r"]]["date_of_birth"][:4]
        and by_id[pair["id_l"]]["date_of_birth"][4:6] == by_id[pair["id_r"]]["date_of_birth"][6:]
        and by_id[pair["id_l"]]["date_of_birth"][6:] == by_id[pair["id_r"]]["date_of_birth"][4:6]
        and by_id[pair["id_l"]]["date_of_birth"][4:6] != by_id[pair["id_l"]]["date_of_birth"][6:]
    ]
    assert swapped
    assert {pair["birth_level"] for pair in swapped} == {"day and month swapped"}
    assert all(float(pair["birth_bf"]) > 1 for pair in swapped)


def test_the_chosen_threshold_is_printed_with_expected_precision_and_recall(tmp_path, capsys):
    write_residents(tmp_path / "r.csv", n_people=120, seed=9)
    outputs = ["--out-pairs", str(tmp_path / "p.csv"), "--out-clusters", str(tmp_path / "c.csv")]
    assert main(["dedupe", str(tmp_path / "r.csv"), "--id", "rec_id", *FIELDS, *outputs]) == 0
    err = capsys.readouterr().err
    chosen = [line for line in err.splitlines() if line.startswith("threshold ")]
    assert len(chosen) == 1 and "chosen by maximum expected F1: expected precision" in chosen[0]
    assert "recall" in chosen[0] and "--threshold P to override" in chosen[0]
    command = ["dedupe", str(tmp_path / "r.csv"), "--id", "rec_id", *FIELDS, "--threshold", "0.999", *outputs]
    assert main(command) == 0
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("threshold ")][0].startswith(
        "threshold 0.999: expected precision"
    )
    assert "links at p ≥ 0.999" in err


@pytest.mark.parametrize(
    ("text", "date_format", "expected"),
    [
        ("19560409", None, (1956, 4, 9)),
        ("1956-04-09", None, (1956, 4, 9)),
        ("09/04/1956", None, (1956, 4, 9)),
        ("1956", None, (1956, None, None)),
        ("09.04.1956", "%d.%m.%Y", (1956, 4, 9)),
        ("04-1956", "%m-%Y", (1956, 4, None)),
        ("19371233", None, (1937, 12, None)),  # a typing error in the day keeps year and month
    ],
)
def test_dates_of_birth_are_read_in_every_usual_format(text, date_format, expected):
    assert parse_birth_date(text, date_format) == expected


def test_an_incident_date_is_read_as_yyyymmdd_too():
    assert parse_date("20230404") == parse_date("2023-04-04") == parse_date("04/04/2023")
    assert parse_date("20231304") is None


def test_a_date_format_option_reads_every_date_column(tmp_path, capsys):
    path = tmp_path / "points.csv"
    path.write_text(
        "id,nom,naissance\nA,Awa Cissé,09-04-1956\nB,Awa Cisse,09-04-1956\nC,Oumar Traoré,01-01-1990\n",
        encoding="utf-8",
    )
    outputs = ["--out-pairs", str(tmp_path / "p.csv"), "--out-clusters", str(tmp_path / "c.csv")]
    fields = ["--field", "full_name=nom", "--field", "birth_date=naissance"]
    assert main(["dedupe", str(path), "--id", "id", *fields, *outputs, "--quiet"]) == 2
    assert "'09-04-1956' is not a date of birth" in capsys.readouterr().err
    status = main(["dedupe", str(path), "--id", "id", *fields, "--date-format", "%d-%m-%Y", *outputs])
    assert status == 0, capsys.readouterr().err


def test_dates_of_birth_that_are_not_calendar_dates_are_kept_and_reported(tmp_path, capsys):
    path = tmp_path / "fautes.csv"
    path.write_text(
        "id,nom,naissance\nA,Awa Cissé,19561233\nB,Awa Cisse,19561203\nC,Oumar Traoré,19900101\n",
        encoding="utf-8",
    )
    outputs = ["--out-pairs", str(tmp_path / "p.csv"), "--out-clusters", str(tmp_path / "c.csv")]
    fields = ["--field", "full_name=nom", "--field", "birth_date=naissance"]
    assert main(["dedupe", str(path), "--id", "id", *fields, *outputs]) == 0
    err = capsys.readouterr().err
    assert "note: 1 date(s) of birth in column 'naissance'" in err and "line 2, '19561233'" in err
