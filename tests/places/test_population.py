"""`kurukan places population FILE.csv`: a population table for rates per 100,000, all or nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kurukan.places.models import Population

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str):
    path = tmp_path / "population.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_loads_and_loading_it_again_updates_in_place(tmp_path, capsys):
    path = write(tmp_path, "pcode,year,population\nML05,2022,2600000\nML0503,2022,320000\n")
    call_command("places", "population", str(path))
    assert "2 lignes chargées" in capsys.readouterr().out
    path.write_text("pcode,year,population\nML05,2022,2650000\n", encoding="utf-8")
    call_command("places", "population", str(path))
    assert Population.objects.get(unit__pcode="ML05", year=2022).population == 2_650_000
    assert Population.objects.count() == 2


def test_a_file_with_bad_rows_loads_nothing_and_names_each_row_and_field(tmp_path):
    path = write(
        tmp_path,
        "pcode,year,population\nML05,2022,2600000\nML99,2022,10\nML0503,22x,5\nML0501,2022,beaucoup\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("places", "population", str(path))
    message = str(error.value)
    assert "Aucune ligne chargée" in message
    assert "Ligne 3, colonne pcode" in message and "ML99" in message
    assert "Ligne 4, colonne year" in message
    assert "Ligne 5, colonne population" in message
    assert not Population.objects.exists()


def test_a_file_without_the_columns_says_which_are_needed(tmp_path):
    path = write(tmp_path, "code;annee;habitants\nML05;2022;1\n")
    with pytest.raises(CommandError, match="pcode, year, population"):
        call_command("places", "population", str(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("places", "population", str(tmp_path / "absent.csv"))
