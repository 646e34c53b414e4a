"""`kurukan link` and `kurukan estimate` speak French when the user's locale says so, English otherwise."""

import gettext
import string
from collections import Counter

import pytest
from babel.messages.pofile import read_po

from kurukan.analysis import i18n
from kurukan.analysis.estimation import messages as estimation_messages
from kurukan.analysis.estimation.cli import main as estimate_main
from kurukan.analysis.linkage import messages as linkage_messages
from kurukan.analysis.linkage.cli import main as link_main

CATALOGUE = i18n.LOCALEDIR / "fr" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
COMPILED = CATALOGUE.with_suffix(".mo")
ENGLISH = [*linkage_messages.MESSAGES.values(), *estimation_messages.MESSAGES.values()]


@pytest.fixture
def language(monkeypatch):
    """Set the user's language as a shell would, with nothing else in the environment choosing one."""

    def choose(variable: str, value: str) -> None:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(variable, value)

    return choose


def link(tmp_path, capsys, text: str) -> tuple[int, str]:
    path = tmp_path / "victimes.csv"
    path.write_text(text, encoding="utf-8")
    status = link_main(
        [
            "dedupe",
            str(path),
            "--id",
            "code",
            "--field",
            "full_name=nom",
            "--field",
            "age=âge",
            "--out-pairs",
            str(tmp_path / "pairs.csv"),
            "--out-clusters",
            str(tmp_path / "clusters.csv"),
            "--quiet",
        ]
    )
    return status, capsys.readouterr().err


def estimate(tmp_path, capsys, text: str) -> tuple[int, str]:
    path = tmp_path / "listes.csv"
    path.write_text(text, encoding="utf-8")
    status = estimate_main([str(path)])
    return status, capsys.readouterr().err


SHORT_ROW = "code,nom,âge\nP1,Awa Traoré,34\nP2,Hawa Traore\n"
NOT_A_NUMBER = "code,nom,âge\nP1,Awa Traoré,34\nP2,Hawa Traore,trente\n"
NOT_BINARY = "a,b,c,count\n1,0,0,5\n0,2,1,3\n"


@pytest.mark.parametrize(
    ("text", "french", "english"),
    [
        (
            SHORT_ROW,
            "la ligne 3 de {path} a 2 cellules alors que l'en-tête a 3 colonnes : "
            "donnez à chaque ligne une cellule par colonne",
            "line 3 of {path} has 2 cells where the header has 3 columns: give every row one cell per column",
        ),
        (
            NOT_A_NUMBER,
            "ligne 3, colonne 'âge' (age) : 'trente' n'est pas un nombre : écrivez des chiffres",
            "line 3, column 'âge' (age): 'trente' is not a number: write digits",
        ),
    ],
    ids=["row-length", "not-a-number"],
)
def test_link_names_the_line_in_the_users_language(tmp_path, capsys, language, text, french, english):
    path = tmp_path / "victimes.csv"
    language("LANGUAGE", "fr")
    status, err = link(tmp_path, capsys, text)
    assert status == 2
    assert err.startswith("kurukan link: ")
    assert french.format(path=path) in err
    language("LANGUAGE", "en")
    status, err = link(tmp_path, capsys, text)
    assert status == 2
    assert english.format(path=path) in err


def test_estimate_names_the_line_and_column_in_the_users_language(tmp_path, capsys, language):
    path = tmp_path / "listes.csv"
    language("LANGUAGE", "fr")
    status, err = estimate(tmp_path, capsys, NOT_BINARY)
    assert status == 2
    assert err.strip() == (
        f"erreur : {path} : ligne 3, colonne 'b' : la valeur '2' n'est ni 0 ni 1. "
        "Écrivez 1 si les cas de cette ligne figurent sur la liste 'b', 0 sinon."
    )
    language("LANGUAGE", "en")
    status, err = estimate(tmp_path, capsys, NOT_BINARY)
    assert status == 2
    assert err.strip() == (
        f"error: {path}: line 3, column 'b': value '2' is not 0 or 1. "
        "Write 1 if the cases of this row are on list 'b', 0 if not."
    )


@pytest.mark.parametrize("variable", ["LANG", "LC_MESSAGES", "LC_ALL"])
def test_a_french_locale_is_enough(tmp_path, capsys, language, variable):
    language(variable, "fr_ML.UTF-8")
    status, err = estimate(tmp_path, capsys, NOT_BINARY)
    assert status == 2
    assert "ligne 3, colonne 'b' : la valeur '2' n'est ni 0 ni 1" in err


@pytest.mark.parametrize("value", ["C", "C.UTF-8", "en_US.UTF-8", "bm_ML.UTF-8"])
def test_other_locales_keep_english(tmp_path, capsys, language, value):
    language("LANG", value)
    status, err = estimate(tmp_path, capsys, NOT_BINARY)
    assert status == 2
    assert "line 3, column 'b': value '2' is not 0 or 1" in err


def test_french_numbers_group_thousands_with_spaces(language):
    message = estimation_messages.message
    language("LANGUAGE", "fr")
    assert message("cli_observed", observed=12345) == "Cas observés sur au moins une liste : 12 345"
    assert message("cli_summary", method="lcmcr", estimate=1234.4, level=0.95, low=1100, high=1400.2) == (
        "Estimation du total (lcmcr) : 1 234 (intervalle à 95 % : de 1 100 à 1 400)"
    )
    language("LANGUAGE", "en")
    assert message("cli_observed", observed=12345) == "Cases observed on at least one list: 12,345"


def test_messages_stay_english_source_strings_under_a_french_locale(language):
    language("LANGUAGE", "fr")
    assert linkage_messages.MESSAGES["progress_reading"] == "reading {path}"
    assert linkage_messages.message("progress_reading", path="a.csv") == "lecture de a.csv"


def placeholders(text: str) -> Counter:
    return Counter(
        (field, spec, conversion) for _, field, spec, conversion in string.Formatter().parse(text) if field
    )


def test_every_message_has_a_french_translation_with_the_same_placeholders():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translations = {entry.id: entry for entry in catalogue if entry.id}
    assert len(set(ENGLISH)) == len(ENGLISH), "two keys share one English sentence"
    missing = [source for source in ENGLISH if source not in translations]
    assert not missing, f"not in {CATALOGUE.name}: {missing}"
    assert set(translations) == set(ENGLISH), "the catalogue has sentences the code no longer uses"
    for source in ENGLISH:
        entry = translations[source]
        assert entry.string and not entry.fuzzy, f"untranslated: {source!r}"
        assert entry.string != source, f"left in English: {source!r}"
        assert placeholders(entry.string) == placeholders(source), f"placeholders differ: {source!r}"


def test_the_compiled_catalogue_matches_its_source():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "fr"
    stale = [entry.id for entry in catalogue if entry.id and compiled.gettext(entry.id) != entry.string]
    assert not stale, f"recompile {COMPILED.name} with msgfmt: {stale}"
