"""Human Rights Council resolutions read as published: resolution 52/42 itself, and our own texts for the
variants (French, unnumbered paragraphs, sub-paragraphs, a paragraph broken over two blocks)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kurukan.recommendations import parsing
from kurukan.recommendations.models import Document, Recommendation

RESOLUTION = Path(parsing.__file__).parent / "data" / "A_HRC_RES_52_42_en.md"


@pytest.fixture
def imported(db):
    from django.core.management import call_command

    call_command("recommendations", "import-resolution", str(RESOLUTION))
    return {r.paragraph: r for r in Recommendation.objects.filter(document__symbol="A/HRC/RES/52/42")}


def test_it_reads_the_35_operative_paragraphs_of_resolution_52_42(imported):
    assert sorted(imported, key=int) == [str(n) for n in range(1, 36)]
    document = Document.objects.get(symbol="A/HRC/RES/52/42")
    assert document.mechanism == "hrc_resolution"
    assert str(document.published) == "2023-04-04"
    assert document.preamble.startswith("Guided by the purposes and principles of the Charter")


def test_op_3_asks_the_authorities_for_the_list_of_closed_schools(imported):
    op3 = imported["3"]
    assert op3.verb == "Calls upon"
    assert set(op3.addressees) == {"all_parties", "malian_authorities"}  # "…and encourages them to follow up"
    assert "schools closed as a result of direct threats or insecurity" in op3.text_en
    assert list(op3.violation_types.values_list("code", flat=True)) == ["protected.attack_school"]


def test_op_19_urges_a_national_follow_up_mechanism_and_cites_the_commission_report(imported):
    op19 = imported["19"]
    assert op19.verb == "Recalls"
    assert op19.addressees == ["malian_authorities"]
    assert op19.cited_documents == ["S/2020/1332"]  # through footnote ⁴


def test_op_30_and_31_speak_to_the_expert_and_for_the_council(imported):
    assert imported["30"].verb == "Also requests"
    assert imported["30"].addressees == ["independent_expert"]
    assert imported["31"].verb == "Decides"
    assert imported["31"].addressees == ["council"]
    assert "liberty.descent_slavery" in imported["31"].violation_types.values_list("code", flat=True)


def test_a_paragraph_broken_by_a_page_break_is_joined(imported):
    op18 = imported["18"].text_en
    assert "special trial sessions to try, in particular, crimes of terrorism" in op18
    assert op18.endswith("the Code of Military Justice;")
    assert imported["1"].verb == "Strongly condemns"
    assert {"life.summary_execution", "children.recruitment_use", "protected.attack_hospital"} <= set(
        imported["1"].violation_types.values_list("code", flat=True)
    )


def test_the_command_prints_the_count_and_a_second_import_creates_nothing(db):
    from django.core.management import call_command

    first, again = io.StringIO(), io.StringIO()
    call_command("recommendations", "import-resolution", str(RESOLUTION), stdout=first)
    assert (
        "A/HRC/RES/52/42: 35 operative paragraphs read; created 35, updated 0, unchanged 0"
        in first.getvalue()
    )
    call_command("recommendations", "import-resolution", str(RESOLUTION), stdout=again)
    assert "created 0, updated 0, unchanged 35" in again.getvalue()
    assert Recommendation.objects.count() == 35


FRENCH = """Conseil des droits de l'homme

**12/34. Assistance technique au Mali**

Le Conseil des droits de l'homme,

*Rappelant* ses résolutions antérieures,

*Profondément préoccupé* par la situation,

*Condamne* les exécutions sommaires et les disparitions forcées ;

*Demande* aux autorités de transition du Mali :

(a) De mener des enquêtes ;

(b) De traduire les auteurs en justice ;

*Prie* l'Expert indépendant de lui présenter un rapport, en tenant compte
des violences sexuelles et

de l'esclavage par ascendance ;

*Décide* de rester saisi de la question.
"""


def test_an_unnumbered_french_text_with_subparagraphs_and_a_split_paragraph():
    resolution = parsing.parse_resolution(FRENCH)
    assert resolution.language == "fr"
    assert resolution.symbol == "A/HRC/RES/12/34"
    assert [p.verb for p in resolution.paragraphs] == ["Condamne", "Demande", "Prie", "Décide"]
    assert [p.number for p in resolution.paragraphs] == ["1", "2", "3", "4"]
    assert len(resolution.preamble) == 2  # Rappelant…, Profondément préoccupé…
    asks = resolution.paragraphs[1]
    assert asks.addressees == ["malian_authorities"]
    assert len(asks.subparagraphs) == 2 and "De traduire les auteurs en justice" in asks.text
    expert = resolution.paragraphs[2]
    assert expert.addressees == ["independent_expert"]
    assert "de l'esclavage par ascendance" in expert.text  # joined across the blank line
    assert set(expert.violation_types) == {"sexual", "liberty.descent_slavery"}
    assert set(resolution.paragraphs[0].violation_types) == {
        "life.summary_execution",
        "liberty.enforced_disappearance",
    }
    assert resolution.paragraphs[3].addressees == ["council"]


def test_a_text_without_operative_paragraphs_is_refused_in_one_line(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "notes.md"
    path.write_text("Quelques notes sans dispositif.\n\nRien à suivre.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cote de la résolution|dispositif"):
        call_command("recommendations", "import-resolution", str(path))
