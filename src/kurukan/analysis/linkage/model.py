"""The Splink model: comparisons (what agreement levels count as evidence) and blocking rules.

Every comparison is a list of ordered levels; a pair of records falls in the first level whose
condition holds. Splink estimates, for each level, m = P(level | same entity) and
u = P(level | different entities); the evidence a level gives is the Bayes factor m/u.

Conditions are written in DuckDB SQL on the standardised columns of ``prepare``; string-distance
and geographic conditions are rendered by Splink's own level creators so that the same model runs
on the Spark backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from .config import (
    INCIDENT_BLOCKING,
    INCIDENT_TRAINING_BLOCKING,
    PERSON_BLOCKING,
    PERSON_TRAINING_BLOCKING,
    LinkageConfig,
)


def _render(level: ComparisonLevelCreator, dialect: str) -> str:
    return level.get_comparison_level(dialect).sql_condition


def _level(sql: str, label: str, **configure: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **configure}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "unknown", "is_null_level": True}


ELSE = {"sql_condition": "ELSE", "label_for_charts": "different"}


def _either_null(*columns: str) -> str:
    """SQL that holds when every column is null on one side of the pair."""
    left = " AND ".join(f"{c}_l IS NULL" for c in columns)
    right = " AND ".join(f"{c}_r IS NULL" for c in columns)
    return f"({left}) OR ({right})"


def name_comparison(dialect: str, term_frequencies: bool) -> dict[str, Any]:
    """Given and family name together, so that a swap is one level, not two pieces of evidence."""
    jw_given = _render(cll.JaroWinklerLevel("given_norm", 0.88), dialect)
    jw_family = _render(cll.JaroWinklerLevel("family_norm", 0.88), dialect)
    same = _level("name_canon_l = name_canon_r", "same name or known variant")
    if term_frequencies:
        same["tf_adjustment_column"] = "name_canon"
        same["tf_adjustment_weight"] = 1.0
    return {
        "output_column_name": "name",
        "comparison_description": "given and family name",
        "comparison_levels": [
            _null(_either_null("given_canon", "family_canon")),
            same,
            _level("names_sorted_l = names_sorted_r", "same names, given and family swapped"),
            _level("given_key_l = given_key_r AND family_key_l = family_key_r", "both names sound alike"),
            _level(f"family_key_l = family_key_r AND {jw_given}", "same family name, similar given name"),
            _level(f"given_key_l = given_key_r AND {jw_family}", "same given name, similar family name"),
            # typing errors in both names (Sondergeld, Sondregeld) break both sound keys
            _level(f"{jw_given} AND {jw_family}", "both names similar"),
            _level(
                "family_key_l = family_key_r AND (given_key_l IS NULL OR given_key_r IS NULL)",
                "same family name, given name unknown",
            ),
            _level("family_key_l = family_key_r", "same family name, different given name"),
            _level("given_key_l = given_key_r", "same given name, different family name"),
            ELSE,
        ],
    }


def _year_levels() -> list[dict[str, Any]]:
    """Birth years, stated or derived from age at the incident; estimated ages get ±5 years."""
    diff = "abs(birth_year_l - birth_year_r)"
    return [
        _level(f"{diff} = 0", "same birth year"),
        _level(f"{diff} <= 2", "within 2 years"),
        _level(f"{diff} <= greatest(by_tol_l, by_tol_r)", "within 5 years, age estimated"),
        _level(f"{diff} <= 10", "within 10 years"),
    ]


def birth_year_comparison() -> dict[str, Any]:
    """Birth years, stated or derived from age at the incident; estimated ages get ±5 years."""
    return {
        "output_column_name": "birth_year",
        "comparison_description": "birth year or age",
        "comparison_levels": [_null(_either_null("birth_year")), *_year_levels(), ELSE],
    }


def birth_date_comparison() -> dict[str, Any]:
    """Dates of birth part by part, as people mistype them: one part off, day and month swapped,
    year only. Records with only an age or a birth year fall through to the year levels."""
    same = {part: f"birth_{part}_l = birth_{part}_r" for part in "ymd"}
    return {
        "output_column_name": "birth",
        "comparison_description": "date of birth (or birth year, or age)",
        "comparison_levels": [
            _null(_either_null("birth_year")),
            _level(f"{same['y']} AND {same['m']} AND {same['d']}", "same date of birth"),
            _level(
                f"{same['y']} AND birth_m_l = birth_d_r AND birth_d_l = birth_m_r", "day and month swapped"
            ),
            _level(
                f"({same['y']} AND {same['m']}) OR ({same['y']} AND {same['d']}) OR ({same['m']} AND {same['d']})",
                "one part of the date different",
            ),
            *_year_levels(),
            ELSE,
        ],
    }


def address_comparison(dialect: str) -> dict[str, Any]:
    """Street and number: exact, then two Jaro–Winkler levels (typing errors, abbreviations)."""
    return {
        "output_column_name": "address",
        "comparison_description": "street address",
        "comparison_levels": [
            _null(_either_null("address")),
            _level("address_l = address_r", "same address"),
            _level(_render(cll.JaroWinklerLevel("address", 0.92), dialect), "almost the same address"),
            _level(_render(cll.JaroWinklerLevel("address", 0.8), dialect), "similar address"),
            ELSE,
        ],
    }


def sex_comparison() -> dict[str, Any]:
    return {
        "output_column_name": "sex",
        "comparison_description": "sex",
        "comparison_levels": [_null(_either_null("sex")), _level("sex_l = sex_r", "same sex"), ELSE],
    }


def date_comparison(day: str, label: str) -> dict[str, Any]:
    """Incident dates; a date known to the month or year agrees with any day inside it."""
    diff = f"abs({day}_l - {day}_r)"
    exact = "date_tol_l = 0 AND date_tol_r = 0"
    return {
        "output_column_name": "date",
        "comparison_description": label,
        "comparison_levels": [
            _null(_either_null(day)),
            _level(f"{diff} = 0 AND {exact}", "same day"),
            _level(f"{diff} <= 1 AND {exact}", "a day apart"),
            # a date known to the week or month agrees with every day in it: weaker evidence
            _level(f"{diff} <= greatest(date_tol_l, date_tol_r, 1)", "same date within stated precision"),
            _level(f"{diff} <= 7", "within a week"),
            _level(f"{diff} <= 31 + greatest(date_tol_l, date_tol_r)", "within a month"),
            _level(f"{diff} <= 366", "within a year"),
            ELSE,
        ],
    }


def place_comparison(dialect: str, has_points: bool, has_postcode: bool = False) -> dict[str, Any]:
    """Places through the administrative hierarchy, or by distance when coordinates are known.

    A postcode is part of the place, not a comparison of its own: the same locality and the same
    postcode are one piece of evidence, and as two comparisons they would be counted twice.
    """

    def near(km: float) -> str:
        if not has_points:
            return "FALSE"
        return _render(cll.DistanceInKMLevel("lat", "lon", km), dialect)

    columns = ("admin1", "admin2", "admin3", "settlement", "lat") + (("postcode",) if has_postcode else ())
    postcode_levels = []
    if has_postcode:
        postcode_levels = [
            _level(
                f"postcode_l = postcode_r AND (settlement_l = settlement_r OR ({near(2)}))",
                "same postcode and settlement",
            ),
            _level("postcode_l = postcode_r", "same postcode"),
        ]
    return {
        "output_column_name": "place",
        "comparison_description": "place (postcode, settlement, commune, cercle, region, distance)",
        "comparison_levels": [
            _null(_either_null(*columns)),
            *postcode_levels,
            _level(f"settlement_l = settlement_r OR ({near(2)})", "same settlement"),
            _level(f"admin3_l = admin3_r OR ({near(15)})", "same commune"),
            _level(f"admin2_l = admin2_r OR ({near(50)})", "same cercle"),
            _level("admin1_l = admin1_r", "same region"),
            ELSE,
        ],
    }


def event_comparison(
    dialect: str, has_points: bool, has_dates: bool, has_places: bool, has_postcode: bool = False
) -> dict[str, Any]:
    """When and where, as one comparison: the incident a person is reported in.

    Date and place are not conditionally independent given a match (the same person in the same
    incident agrees on both at once), so as two comparisons they would count the same evidence
    twice — and every co-victim of an incident would look like the same person. One comparison
    learns the joint levels.
    """
    if not has_places:
        return date_comparison("event_day", "incident date")
    if not has_dates:
        return place_comparison(dialect, has_points, has_postcode)

    def near(km: float) -> str:
        return _render(cll.DistanceInKMLevel("lat", "lon", km), dialect) if has_points else "FALSE"

    diff = "abs(event_day_l - event_day_r)"
    within = f"{diff} <= greatest(date_tol_l, date_tol_r, 1)"
    settlement = f"(settlement_l = settlement_r OR ({near(2)}))"
    commune = f"(admin3_l = admin3_r OR ({near(15)}))"
    cercle = f"(admin2_l = admin2_r OR ({near(50)}))"
    return {
        "output_column_name": "event",
        "comparison_description": "incident date and place",
        "comparison_levels": [
            _null(f"({_either_null('event_day')}) AND ({_either_null('admin1', 'admin2', 'admin3', 'lat')})"),
            _level(
                f"{diff} = 0 AND date_tol_l = 0 AND date_tol_r = 0 AND {settlement}",
                "same day, same settlement",
            ),
            _level(f"{within} AND {commune}", "same date (within its precision), same commune"),
            # reports of one event often disagree on the date by a few days
            _level(
                f"{diff} <= 7 + greatest(date_tol_l, date_tol_r) AND {commune}", "within a week, same commune"
            ),
            _level(
                f"{diff} <= 31 + greatest(date_tol_l, date_tol_r) AND {cercle}", "within a month, same cercle"
            ),
            _level(commune, "same commune, other date"),
            _level(f"{diff} <= 31 + greatest(date_tol_l, date_tol_r)", "within a month, elsewhere"),
            _level("admin1_l = admin1_r", "same region, other date"),
            ELSE,
        ],
    }


def violation_comparison(dialect: str) -> dict[str, Any]:
    """The violations each record's entry (person in one report) is listed under (``prepare``)."""
    return {
        "output_column_name": "violation",
        "comparison_description": "violation type",
        "comparison_levels": [
            _null(_either_null("violations")),
            _level(_render(cll.ArrayIntersectLevel("violations", 1), dialect), "same violation type"),
            _level(
                _render(cll.ArrayIntersectLevel("violation_groups", 1), dialect), "same group of violations"
            ),
            ELSE,
        ],
    }


def exact_comparison(column: str, label: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_description": label,
        "comparison_levels": [_null(_either_null(column)), _level(f"{column}_l = {column}_r", "same"), ELSE],
    }


def array_comparison(column: str, groups: str | None, label: str, dialect: str) -> dict[str, Any]:
    levels = [_null(_either_null(column))]
    levels.append(_level(_render(cll.ArrayIntersectLevel(column, 2), dialect), "two or more in common"))
    levels.append(_level(_render(cll.ArrayIntersectLevel(column, 1), dialect), "one in common"))
    if groups:
        levels.append(_level(_render(cll.ArrayIntersectLevel(groups, 1), dialect), "same group"))
    levels.append(ELSE)
    return {"output_column_name": column, "comparison_description": label, "comparison_levels": levels}


def victim_clusters_comparison(dialect: str, has_types: bool = False) -> dict[str, Any]:
    """Victims matched by a prior people linkage: two reports naming one person describe one event —
    unless the reports are of different kinds of violation. One person can be the victim of two
    events (detained, then killed; abducted twice), so a victim shared by reports whose violation
    types have no group in common is no evidence either way: that level's m and u are fixed equal
    (Bayes factor 1), and the date, the place and the rest decide."""
    shared = _render(cll.ArrayIntersectLevel("victim_clusters", 1), dialect)
    levels = [_null(_either_null("victim_clusters"))]
    if has_types:
        same_kind = _render(cll.ArrayIntersectLevel("violation_groups", 1), dialect)
        unknown_kind = _either_null("violation_groups")
        levels.append(
            _level(f"({shared}) AND (({same_kind}) OR {unknown_kind})", "a matched victim in common")
        )
        levels.append(
            _level(
                shared,
                "a matched victim in common, other violations",
                m_probability=0.5,
                u_probability=0.5,
                fix_m_probability=True,
                fix_u_probability=True,
            )
        )
    else:
        levels.append(_level(shared, "a matched victim in common"))
    levels.append(ELSE)
    return {
        "output_column_name": "victim_clusters",
        "comparison_description": "victims matched by the people linkage",
        "comparison_levels": levels,
    }


def victims_comparison() -> dict[str, Any]:
    diff = "abs(n_victims_l - n_victims_r)"
    return {
        "output_column_name": "n_victims",
        "comparison_description": "number of victims",
        "comparison_levels": [
            _null(_either_null("n_victims")),
            _level(f"{diff} = 0", "same number"),
            _level(f"{diff} <= greatest(2, 0.25 * greatest(n_victims_l, n_victims_r))", "close number"),
            ELSE,
        ],
    }


# Blocking rules: SQL over l. and r. aliases; the columns they need must hold data.
PERSON_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "commune_family": ("l.admin3 = r.admin3 AND l.family_key = r.family_key", ("admin3", "family_key")),
    "names_decade": (
        "l.given_key = r.given_key AND l.family_key = r.family_key AND l.birth_decade = r.birth_decade",
        ("given_key", "family_key", "birth_decade"),
    ),
    "names_decade_shifted": (
        "l.given_key = r.given_key AND l.family_key = r.family_key "
        "AND l.birth_decade_shifted = r.birth_decade_shifted",
        ("given_key", "family_key", "birth_decade_shifted"),
    ),
    "cercle_month_given": (
        "l.admin2 = r.admin2 AND l.event_month = r.event_month AND l.given_key = r.given_key",
        ("admin2", "event_month", "given_key"),
    ),
    "settlement_given": (
        "l.settlement = r.settlement AND l.given_key = r.given_key",
        ("settlement", "given_key"),
    ),
    "cercle_day_sex": (
        "l.admin2 = r.admin2 AND l.event_day = r.event_day AND l.sex = r.sex",
        ("admin2", "event_day", "sex"),
    ),
    "swapped_names": ("l.names_sorted = r.names_sorted", ("names_sorted",)),
    "commune_given": ("l.admin3 = r.admin3 AND l.given_key = r.given_key", ("admin3", "given_key")),
    "identifier": ("l.identifier = r.identifier", ("identifier",)),
    "phone": ("l.phone = r.phone", ("phone",)),
    # lists of residents: a date of birth, a postcode, an address
    "birth_date": (
        "l.birth_y = r.birth_y AND l.birth_m = r.birth_m AND l.birth_d = r.birth_d",
        ("birth_y", "birth_m", "birth_d"),
    ),
    "postcode_given": ("l.postcode = r.postcode AND l.given_key = r.given_key", ("postcode", "given_key")),
    "postcode_family": (
        "l.postcode = r.postcode AND l.family_key = r.family_key",
        ("postcode", "family_key"),
    ),
    "address": ("l.address = r.address", ("address",)),
    "given_birth_year": (
        "l.given_key = r.given_key AND l.birth_year = r.birth_year",
        ("given_key", "birth_year", "birth_y"),
    ),
    "family_birth_year": (
        "l.family_key = r.family_key AND l.birth_year = r.birth_year",
        ("family_key", "birth_year", "birth_y"),
    ),
    # training only
    "names": ("l.given_key = r.given_key AND l.family_key = r.family_key", ("given_key", "family_key")),
    "names_birth_year": (
        "l.given_key = r.given_key AND l.family_key = r.family_key AND l.birth_year = r.birth_year",
        ("given_key", "family_key", "birth_year"),
    ),
    "names_cercle": (
        "l.given_key = r.given_key AND l.family_key = r.family_key AND l.admin2 = r.admin2",
        ("given_key", "family_key", "admin2"),
    ),
    "commune_month": ("l.admin3 = r.admin3 AND l.event_month = r.event_month", ("admin3", "event_month")),
    "cercle_birth_year": ("l.admin2 = r.admin2 AND l.birth_year = r.birth_year", ("admin2", "birth_year")),
    # fallbacks when places or dates are missing
    "family_given_initial": (
        "l.family_key = r.family_key AND substr(l.given_key, 1, 1) = substr(r.given_key, 1, 1)",
        ("family_key", "given_key"),
    ),
}

INCIDENT_RULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cercle_month": ("l.admin2 = r.admin2 AND l.start_month = r.start_month", ("admin2", "start_month")),
    "commune_year": ("l.admin3 = r.admin3 AND l.start_year = r.start_year", ("admin3", "start_year")),
    "settlement": ("l.settlement = r.settlement", ("settlement",)),
    "region_day": ("l.admin1 = r.admin1 AND l.start_day = r.start_day", ("admin1", "start_day")),
    "victim": ("l.victim_first = r.victim_first", ("victim_first",)),
    "day": ("l.start_day = r.start_day", ("start_day",)),
    "month": ("l.start_month = r.start_month", ("start_month",)),
}

# A strict rule assumed to admit almost no false matches, used to estimate the prior probability
# that two random records match (Splink's estimate_probability_two_random_records_match).
PERSON_DETERMINISTIC = (
    ("l.name_canon = r.name_canon AND l.admin3 = r.admin3 AND abs(l.birth_year - r.birth_year) <= 2"),
    ("name_canon", "admin3", "birth_year"),
)
PERSON_DETERMINISTIC_FALLBACK = (
    "l.name_canon = r.name_canon AND l.birth_year = r.birth_year",
    ("name_canon", "birth_year"),
)
INCIDENT_DETERMINISTIC = (
    "l.start_day = r.start_day AND l.admin3 = r.admin3 AND l.date_tol = 0",
    ("start_day", "admin3"),
)
INCIDENT_DETERMINISTIC_FALLBACK = (
    "l.start_day = r.start_day AND l.admin2 = r.admin2",
    ("start_day", "admin2"),
)


# Added to every person rule: two records of one report are two people (see ``constraints``).
DIFFERENT_REPORTS = "l.report_key <> r.report_key"


def select_rules(
    names: tuple[str, ...],
    catalogue: dict[str, tuple[str, tuple[str, ...]]],
    filled: set[str],
    condition: str | None = None,
) -> list[str]:
    """The SQL of the named rules whose columns hold data, each with ``condition`` if given."""
    rules = []
    for name in names:
        sql, columns = catalogue[name]
        if set(columns) <= filled:
            rules.append(f"({sql}) AND {condition}" if condition else sql)
    return rules


def person_settings(config: LinkageConfig, filled: set[str], link_type: str, dialect: str) -> SettingsCreator:
    comparisons: list[dict[str, Any]] = [name_comparison(dialect, config.term_frequencies)]
    if "birth_y" in filled:
        comparisons.append(birth_date_comparison())
    elif "birth_year" in filled:
        comparisons.append(birth_year_comparison())
    if "sex" in filled:
        comparisons.append(sex_comparison())
    has_places = bool(filled & {"admin1", "admin2", "admin3", "settlement", "lat", "postcode"})
    if "event_day" in filled or has_places:
        has_points = "lat" in filled and "lon" in filled
        has_postcode = "postcode" in filled
        if "event_day" in filled and has_postcode:
            # the postcode of a residence is not the place of an incident: compared on its own
            comparisons.append(exact_comparison("postcode", "postcode"))
            has_postcode = False
        comparisons.append(
            event_comparison(dialect, has_points, "event_day" in filled, has_places, has_postcode)
        )
    if "address" in filled:
        comparisons.append(address_comparison(dialect))
    if "violation_type" in filled:
        comparisons.append(violation_comparison(dialect))
    # No comparison of reports: pairs from one report are never scored (DIFFERENT_REPORTS).
    if "identifier" in filled:
        comparisons.append(exact_comparison("identifier", "identity document number"))
    if "phone" in filled:
        comparisons.append(exact_comparison("phone", "phone number"))
    blocking = select_rules(config.blocking or PERSON_BLOCKING, PERSON_RULES, filled, DIFFERENT_REPORTS)
    if not blocking:
        blocking = select_rules(("names", "family_given_initial"), PERSON_RULES, filled, DIFFERENT_REPORTS)
    return _settings(comparisons, blocking, link_type)


def incident_settings(
    config: LinkageConfig, filled: set[str], link_type: str, dialect: str
) -> SettingsCreator:
    comparisons: list[dict[str, Any]] = []
    if "start_day" in filled:
        comparisons.append(date_comparison("start_day", "incident start date"))
    if filled & {"admin1", "admin2", "admin3", "settlement", "lat"}:
        comparisons.append(place_comparison(dialect, "lat" in filled and "lon" in filled))
    if "violation_types" in filled:
        comparisons.append(
            array_comparison("violation_types", "violation_groups", "violation types", dialect)
        )
    if "perpetrators" in filled:
        comparisons.append(array_comparison("perpetrators", None, "alleged perpetrator categories", dialect))
    if "n_victims" in filled:
        comparisons.append(victims_comparison())
    if "title_words" in filled:
        comparisons.append(array_comparison("title_words", None, "words of the title", dialect))
    if "organisation" in filled:
        comparisons.append(exact_comparison("organisation", "reporting organisation"))
    if "victim_clusters" in filled:
        comparisons.append(victim_clusters_comparison(dialect, "violation_groups" in filled))
    blocking = select_rules(config.blocking or INCIDENT_BLOCKING, INCIDENT_RULES, filled)
    if not blocking:
        blocking = select_rules(("day", "month"), INCIDENT_RULES, filled)
    return _settings(comparisons, blocking, link_type)


def training_rules(config: LinkageConfig, kind: str, filled: set[str]) -> list[str]:
    if kind == "people":
        names = config.training_blocking or PERSON_TRAINING_BLOCKING
        rules = select_rules(names, PERSON_RULES, filled, DIFFERENT_REPORTS)
        return rules or select_rules(
            ("names", "family_given_initial"), PERSON_RULES, filled, DIFFERENT_REPORTS
        )
    names = config.training_blocking or INCIDENT_TRAINING_BLOCKING
    return select_rules(names, INCIDENT_RULES, filled) or select_rules(
        ("day", "month"), INCIDENT_RULES, filled
    )


def deterministic_rule(kind: str, filled: set[str]) -> str | None:
    options = (
        (PERSON_DETERMINISTIC, PERSON_DETERMINISTIC_FALLBACK)
        if kind == "people"
        else (INCIDENT_DETERMINISTIC, INCIDENT_DETERMINISTIC_FALLBACK)
    )
    for sql, columns in options:
        if set(columns) <= filled:
            return f"({sql}) AND {DIFFERENT_REPORTS}" if kind == "people" else sql
    return None


def _settings(
    comparisons: Sequence[dict[str, Any]], blocking: Sequence[str], link_type: str
) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="unique_id",
        comparisons=list(comparisons),
        # a rule as SQL is what Splink would wrap in a CustomRule itself; its annotation wants the creator
        blocking_rules_to_generate_predictions=[CustomRule(rule) for rule in blocking],
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=True,
        max_iterations=20,
        em_convergence=0.001,
    )
