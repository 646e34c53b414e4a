"""The UPR recommendations of Mali's first two cycles, read from the table as it is; bad rows reported one
by one with the fix, nothing lost, nothing created twice."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from kurukan.recommendations import parsing
from kurukan.recommendations.models import Recommendation

UPR = Path(parsing.__file__).parent / "data" / "mali_upr_recommendations_cycle1_2008_cycle2_2013.csv"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("recommendations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_upr_file_yields_193_recommendations_with_states_and_responses(db):
    out, err = run("import", str(UPR))
    assert out.strip().endswith("created 193, updated 0, unchanged 0, quarantined 0")
    assert err == ""
    assert Recommendation.objects.count() == 193
    responses = Counter(Recommendation.objects.values_list("response", flat=True))
    assert responses == {"supported": 137, "pending": 55, "noted": 1}
    abolish = Recommendation.objects.get(document__symbol="A/HRC/23/6", paragraph="112.5.3")
    assert abolish.recommending == "France"
    assert abolish.text_en.startswith("Abolish the death penalty in the law")  # ".3 " moved to the paragraph
    assert abolish.response_raw == "consider"
    first = Recommendation.objects.get(document__symbol="A/HRC/8/50", paragraph="56.1")
    assert first.recommending == "Algeria" and first.document.cycle == 1 and first.document.mechanism == "upr"


def test_importing_the_same_file_again_creates_nothing(db):
    run("import", str(UPR))
    out, _ = run("import", str(UPR))
    assert out.strip().endswith("created 0, updated 0, unchanged 193, quarantined 0")
    assert Recommendation.objects.count() == 193


def test_an_edited_row_updates_and_keeps_its_previous_version(db, tmp_path):
    run("import", str(UPR))
    rows = list(csv.reader(UPR.open(encoding="utf-8")))
    rows[1][10] = "not supported/noted"  # 56.1: Algeria
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out, _ = run("import", str(edited))
    assert out.strip().endswith("created 0, updated 1, unchanged 192, quarantined 0")
    item = Recommendation.objects.get(document__symbol="A/HRC/8/50", paragraph="56.1")
    assert item.response == "noted"
    assert [h.response for h in item.history.order_by("history_date")] == ["supported", "noted"]


def test_bad_rows_are_reported_row_by_row_and_the_rest_imports(db, tmp_path):
    lines = UPR.read_bytes().decode("utf-8").splitlines(keepends=True)
    rows = list(csv.reader(lines))
    rows[2][7] = ""  # blank text
    rows[3][10] = "peut-être"  # unknown response
    rows[4][8] = "Ã‰thiopie"  # mojibake: UTF-8 read as Latin-1 somewhere
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    out, err = run("import", str(broken))
    assert out.strip().endswith("created 190, updated 0, unchanged 0, quarantined 3")
    messages = err.strip().splitlines()
    assert messages[0].startswith("Ligne 3, colonne « recommendation_text » : vide.")
    assert messages[1].startswith("Ligne 4, colonne « response » : réponse « peut-être » inconnue.")
    assert messages[2].startswith("Ligne 5, colonne « recommending_state » : caractères illisibles")
    assert "UTF-8" in messages[2]


def test_a_latin_1_file_with_semicolons_and_an_xlsx_read_the_same(db, tmp_path):
    from openpyxl import Workbook

    rows = list(csv.reader(UPR.open(encoding="utf-8")))[:11]
    latin = tmp_path / "latin.csv"
    with latin.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    out, _ = run("import", str(latin))
    assert out.strip().endswith("created 10, updated 0, unchanged 0, quarantined 0")
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "same.xlsx")
    out, _ = run("import", str(tmp_path / "same.xlsx"))
    assert out.strip().endswith("unchanged 10, quarantined 0")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Le fichier est vide"), (b"country,year\nMali,2008\n", "Colonnes manquantes")],
)
def test_an_empty_or_foreign_file_is_refused_in_one_line(db, tmp_path, content, message):
    from django.core.management import CommandError

    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import", str(path))
    assert Recommendation.objects.count() == 0


def test_similar_recommendations_are_proposed_with_their_score(db):
    from kurukan.recommendations.models import SimilarPair

    run("import", str(UPR))
    out, _ = run("similar")
    pairs = list(SimilarPair.objects.select_related("left", "right"))
    assert out.startswith(f"{len(pairs)} pairs proposed")
    assert pairs, "the two cycles repeat recommendations on standing invitations and the death penalty"
    for pair in pairs:
        assert pair.score >= 0.8 and pair.left_id < pair.right_id
    run("similar")
    assert SimilarPair.objects.count() == len(pairs)  # proposing again adds nothing
