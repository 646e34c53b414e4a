"""Disclosure control on tables small enough to check by hand, and the attacker that audits it."""

from __future__ import annotations

import random

import pytest

from kurukan.analysis.disclosure import (
    Figure,
    Publication,
    Status,
    attack,
    primary,
    protect,
    weak_figures,
)


def one_way(values: dict[str, int], threshold: int = 5) -> Publication:
    pub = Publication(values, {k: threshold for k in values})
    pub.breakdown("region", {k: k for k in values})
    return pub


def test_a_small_cell_and_a_zero_are_hidden():
    shown = primary(one_way({"Mopti": 3, "Gao": 0, "Kidal": 40}))
    assert shown[("region", "Mopti")].text == "•"
    assert shown[("region", "Gao")].text == "•"
    assert shown[("region", "Kidal")].text == "40"


def test_primary_suppression_alone_lets_a_reader_subtract_the_hidden_cell():
    pub = one_way({"Mopti": 3, "Gao": 20, "Kidal": 40})
    shown = primary(pub)
    interval = attack(pub, shown)[("region", "Mopti")]
    # 63 − 20 − 40: the attacker reads the hidden 3 exactly.
    assert (interval.low, interval.high) == (pytest.approx(3), pytest.approx(3))
    assert weak_figures(pub, shown) == [("region", "Mopti")]


def test_complementary_suppression_hides_the_next_smallest_cell_and_keeps_the_total():
    pub = one_way({"Mopti": 3, "Gao": 20, "Kidal": 40, "Ségou": 12})
    shown = protect(pub)
    assert shown[("region", "Mopti")].status == Status.SMALL
    assert shown[("region", "Ségou")].status == Status.HIDDEN
    assert shown[("region", "Ségou")].text == "•"
    assert shown[("region", "Gao")].text == "20"
    assert shown["total"].text == "75"
    # Mopti + Ségou = 15: Mopti can be anything from 0 to 15.
    interval = attack(pub, shown)[("region", "Mopti")]
    assert interval.whole_numbers() == 16
    assert not weak_figures(pub, shown)


def test_two_small_cells_that_add_up_to_little_need_a_third():
    # 2 + 1 = 3 is published by subtraction: each could only be 0…3, four values: hide a third cell.
    pub = one_way({"Mopti": 2, "Gao": 1, "Kidal": 40, "Ségou": 30})
    shown = protect(pub)
    assert shown[("region", "Ségou")].status == Status.HIDDEN
    assert not weak_figures(pub, shown)


def test_a_total_under_the_threshold_reads_less_than_n():
    shown = protect(one_way({"Mopti": 1, "Gao": 2}))
    assert shown["total"].text == "< 5"


def test_sexual_violence_is_protected_at_ten_and_so_is_a_total_that_contains_it():
    atoms = {("Mopti", "sexual"): 7, ("Mopti", "life"): 30, ("Gao", "sexual"): 12, ("Gao", "life"): 3}
    thresholds = {a: 10 if a[1] == "sexual" else 5 for a in atoms}
    pub = Publication(atoms, thresholds)
    pub.crosstab("region", {a: a[0] for a in atoms}, "type", {a: a[1] for a in atoms})
    shown = protect(pub)
    assert shown[("region", "Mopti", "type", "sexual")].status == Status.SMALL
    assert shown[("region", "Mopti", "type", "sexual")].threshold == 10
    assert shown[("region", "Gao", "type", "life")].threshold == 5
    assert shown[("region", "Mopti")].threshold == 10
    assert not weak_figures(pub, shown)
    # Shown figures are the true figures: suppression hides, it never alters.
    for key, figure in shown.items():
        assert figure.value == pub.value(key)


def test_a_two_by_two_table_with_one_small_cell_hides_a_whole_rectangle():
    atoms = {("a", "x"): 2, ("a", "y"): 30, ("b", "x"): 40, ("b", "y"): 50}
    pub = Publication(atoms, dict.fromkeys(atoms, 5))
    pub.crosstab("row", {k: k[0] for k in atoms}, "col", {k: k[1] for k in atoms})
    shown = protect(pub)
    cells = [shown[("row", r, "col", c)].status for r in "ab" for c in "xy"]
    assert Status.SHOWN not in cells  # any shown cell of the four would give away the others
    assert shown["total"].text == "122"
    assert not weak_figures(pub, shown)


def test_the_same_figure_in_two_tables_is_one_figure():
    """The map's region totals are the cross-table's row totals: hiding one hides the other."""
    atoms = {("Mopti", "life"): 3, ("Mopti", "liberty"): 1, ("Gao", "life"): 30, ("Gao", "liberty"): 25}
    pub = Publication(atoms, dict.fromkeys(atoms, 5))
    pub.breakdown("region", {a: a[0] for a in atoms})
    pub.crosstab("region", {a: a[0] for a in atoms}, "type", {a: a[1] for a in atoms})
    assert len([k for k in pub.figures if k == ("region", "Mopti")]) == 1
    shown = protect(pub)
    assert shown[("region", "Mopti")].text == "< 5"  # a row total of the cross-table: "< N"
    assert not weak_figures(pub, shown)


def test_figures_that_contradict_each_other_are_refused():
    pub = one_way({"Mopti": 20, "Gao": 20})
    shown = primary(pub)
    shown["total"] = Figure(3, Status.SMALL, 5, is_total=True)  # "< 5" beside a shown 20: nothing fits
    shown[("region", "Mopti")] = Figure(20, Status.HIDDEN, 5)
    with pytest.raises(ValueError, match="contradict"):
        attack(pub, shown)


def test_an_unknown_atom_is_refused_with_its_name():
    pub = one_way({"Mopti": 20})
    with pytest.raises(ValueError, match="Tombouctou"):
        pub.publish("x", ["Tombouctou"])


@pytest.mark.parametrize("seed", range(12))
def test_random_region_by_type_tables_leave_the_attacker_nothing(seed):
    rng = random.Random(seed)
    regions, types = [f"R{i}" for i in range(rng.randint(2, 9))], [f"T{j}" for j in range(rng.randint(2, 8))]
    atoms = {(r, t): rng.choice([0, 0, 1, 2, 3, 4, 6, 9, 12, 25, 80]) for r in regions for t in types}
    thresholds = {a: 10 if a[1] == "T0" else 5 for a in atoms}
    pub = Publication(atoms, thresholds)
    pub.crosstab("region", {a: a[0] for a in atoms}, "type", {a: a[1] for a in atoms})
    shown = protect(pub)
    intervals = attack(pub, shown)
    for key, interval in intervals.items():
        if shown[key].status == Status.SMALL:
            assert interval.whole_numbers() >= shown[key].threshold, (key, interval)
        assert interval.low - 1e-6 <= shown[key].value <= interval.high + 1e-6
    for key, figure in shown.items():
        small = pub.value(key) < figure.threshold
        assert (figure.status == Status.SMALL) == small


def test_a_cell_hidden_only_to_protect_another_needs_no_protection_of_its_own():
    # 13 children and 4 adults out of 17: hiding both protects the 4 (it could be 0…7); the 13, hidden with
    # it, is known to lie in 10…17 from the category totals, which harms no one: 13 was publishable.
    atoms = {("life", "adult"): 4, ("life", "child"): 3, ("school", "child"): 10}
    pub = Publication(
        atoms, dict.fromkeys(atoms, 5), threshold_of=lambda k: 10 if k == ("child", "child") else None
    )
    pub.breakdown("category", {a: a[0] for a in atoms})
    pub.breakdown("child", {a: a[1] for a in atoms})
    shown = protect(pub)
    assert shown["total"].text == "17"
    assert shown[("category", "life")].text == "7" and shown[("category", "school")].text == "10"
    assert shown[("child", "adult")].status == Status.SMALL
    assert shown[("child", "child")].status == Status.HIDDEN
    assert attack(pub, shown)[("child", "adult")].whole_numbers() == 8
    assert not weak_figures(pub, shown)


def _regions_cercles_categories(atoms: dict) -> Publication:
    """The public page's publication: region × category with its margins, and each region as the sum of its
    cercles (atoms are (region, cercle, category)); sexual violence protected at 10."""
    pub = Publication(atoms, {}, threshold_of=lambda k: 10 if isinstance(k, tuple) and "sexual" in k else 5)
    pub.crosstab("region", {a: a[0] for a in atoms}, "category", {a: a[2] for a in atoms})
    cercles: dict[str, list[str]] = {}
    for region, cercle, _category in atoms:
        cercles.setdefault(region, [])
        if cercle not in cercles[region]:
            cercles[region].append(cercle)
    for region, codes in cercles.items():
        for code in codes:
            pub.publish(("cercle", code), [a for a in atoms if a[1] == code])
        pub.publish_sum(("region", region), [("cercle", code) for code in codes])
    return pub


def test_a_small_cell_in_a_small_region_hides_another_region_not_the_national_total():
    # Sikasso: 8 victims, 2 of sexual violence. 8 < 10 bounds those 2 below their threshold, so the region's
    # 8 must go; the reader would get it back as 195 − 65 − 122 or as 3 + 5: hide the smallest other
    # region (Ségou, 65) and a cercle of Sikasso, and keep the national total.
    atoms = {
        ("Sikasso", "Kadiolo", "life"): 3,
        ("Sikasso", "Kadiolo", "sexual"): 2,
        ("Sikasso", "Bougouni", "life"): 3,
        ("Ségou", "Niono", "life"): 20,
        ("Ségou", "Niono", "sexual"): 15,
        ("Ségou", "Macina", "life"): 30,
        ("Mopti", "Bankass", "life"): 40,
        ("Mopti", "Bankass", "sexual"): 25,
        ("Mopti", "Djenné", "life"): 57,
    }
    pub = _regions_cercles_categories(atoms)
    shown = protect(pub)
    assert shown["total"].text == "195"
    assert shown[("region", "Sikasso")].text == "•"
    assert shown[("region", "Ségou")].text == "•"
    assert shown[("region", "Mopti")].text == "122"
    assert shown[("category", "sexual")].text == "42"
    assert not weak_figures(pub, shown)
    assert attack(pub, shown)[("region", "Sikasso", "category", "sexual")].whole_numbers() >= 10


def test_a_small_region_total_reads_under_the_threshold_of_the_cells_inside_it():
    # Kidal: 3 victims, 1 of sexual violence. "< 5" would tell the reader the cell is 0…4; "< 10" does not.
    atoms = {
        ("Kidal", "Tessalit", "life"): 2,
        ("Kidal", "Tessalit", "sexual"): 1,
        ("Mopti", "Bankass", "life"): 40,
        ("Mopti", "Bankass", "sexual"): 25,
        ("Gao", "Ansongo", "life"): 30,
        ("Gao", "Ansongo", "sexual"): 12,
    }
    pub = _regions_cercles_categories(atoms)
    shown = protect(pub)
    assert shown[("region", "Kidal")].text == "< 10"
    assert shown["total"].text == "110"
    assert not weak_figures(pub, shown)


@pytest.mark.parametrize("seed", range(6))
def test_random_national_publications_keep_the_national_total(seed):
    # Shaped like the demo: eight regions of cercles, six categories, one region with almost nobody in it.
    rng = random.Random(seed)
    atoms = {}
    for r, n in enumerate((3, 4, 3, 5, 8, 5, 4, 4)):
        for c in range(n):
            for category in ("life", "integrity", "liberty", "sexual", "children", "property"):
                values = [0, 0, 0, 0, 0, 1] if r == 2 else [0, 0, 0, 1, 2, 3, 5, 8, 13, 30]
                value = rng.choice(values)
                if value:
                    atoms[(f"R{r}", f"R{r}C{c}", category)] = value
    pub = _regions_cercles_categories(atoms)
    shown = protect(pub)
    assert shown["total"].status == Status.SHOWN
    for key, interval in attack(pub, shown).items():
        if shown[key].status == Status.SMALL:
            assert interval.whole_numbers() >= shown[key].threshold, (key, interval)
