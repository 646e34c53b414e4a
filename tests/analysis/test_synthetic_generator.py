"""The synthetic generator: determinism, valid codes and places, plausible shares, the hidden truth."""

from __future__ import annotations

import csv
import datetime
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

import kurukan
from kurukan.analysis.synthetic import (
    METHODS,
    NAME_VARIANTS,
    SOURCE_ORGS,
    VICTIM_STATUSES,
    IncidentReport,
    SyntheticConfig,
    events,
    generate,
)
from kurukan.analysis.synthetic.names import canonical_key
from kurukan.analysis.synthetic.places import gazetteer

ROOT = Path(kurukan.__file__).parent
CONFIG = SyntheticConfig(n_events=1500, seed=7)


def _codes(name: str, leaves_only: bool = True) -> set[str]:
    with (ROOT / "vocabularies" / "data" / name).open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["code"] for r in rows if r.get("parent") or not leaves_only}


def _verification(vocabulary: str) -> set[str]:
    with (ROOT / "vocabularies" / "data" / "verification.csv").open(encoding="utf-8") as f:
        return {r["code"] for r in csv.DictReader(f) if r["vocabulary"] == vocabulary}


@lru_cache(maxsize=1)
def _reports() -> tuple[IncidentReport, ...]:
    return tuple(generate(CONFIG))


@pytest.fixture
def reports() -> tuple[IncidentReport, ...]:
    return _reports()


def test_the_same_seed_gives_the_same_reports_and_another_seed_does_not(reports):
    assert tuple(generate(CONFIG)) == reports
    other = tuple(generate(SyntheticConfig(n_events=50, seed=8)))
    assert [r.title for r in other] != [r.title for r in reports[: len(other)]]


def test_a_slice_of_events_is_the_same_as_in_the_full_stream(reports):
    middle = tuple(generate(CONFIG, start=700, stop=760))
    expected = tuple(r for r in reports if 701 <= int(r.event_id[1:]) <= 760)
    assert middle == expected
    assert tuple(generate(SyntheticConfig(n_events=760, seed=7), start=700)) == expected


def test_ids_are_unique_and_do_not_reveal_the_event(reports):
    assert len({r.report_id for r in reports}) == len(reports)
    records = [v.record_id for r in reports for viol in r.violations for v in viol.victims]
    assert len(set(records)) == len(records)
    multi = Counter(r.event_id for r in reports).most_common(1)[0][0]
    same_event = sorted(r.report_id for r in reports if r.event_id == multi)
    assert len(same_event) > 1 and len({rid[:4] for rid in same_event}) > 1
    assert all(multi[1:] not in rid for rid in same_event)


def test_every_code_exists_in_the_vocabularies(reports):
    violation_types = _codes("violation_types.csv")
    perpetrators = _codes("perpetrator_categories.csv", leaves_only=False)
    victim_categories = _codes("victim_categories.csv", leaves_only=False)
    statuses, standards, reliability = (_verification(v) for v in ("status", "standard", "reliability"))
    for r in reports:
        assert r.status in ("draft", "submitted", "under_verification", "closed")
        assert r.confidentiality in ("public", "internal", "restricted", "strictly_confidential")
        assert r.source_org in SOURCE_ORGS
        assert r.date_precision in _verification("date_precision")
        for s in r.sources:
            assert s.reliability in reliability
            assert s.language in ("fr", "bm", "ff", "son", "tmh", "ar")
        for v in r.violations:
            assert v.type_code in violation_types
            assert set(v.method_codes) <= set(METHODS)
            assert v.verification_status in statuses
            assert (
                (v.standard_of_proof in standards)
                if v.verification_status == "verified"
                else (v.standard_of_proof is None)
            )
            for p in v.perpetrators:
                assert p.category_code in perpetrators
                assert p.involvement in ("direct", "command", "complicity", "unknown")
            for victim in v.victims:
                assert set(victim.categories) <= victim_categories
                assert victim.status_after in VICTIM_STATUSES
                assert victim.sex in ("female", "male", "unknown")


def test_every_place_is_in_the_gazetteer_and_consistent(reports):
    gazetteer = ROOT / "places" / "data" / "ocha2015" / "mli_populated_places_ocha2015.csv"
    with gazetteer.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    communes = {r["admin3Pcod"]: (r["admin1Pcod"], r["admin2Pcod"]) for r in rows}
    settlements = {r["pcode"]: r["admin3Pcod"] for r in rows}
    for r in reports:
        assert communes[r.admin3_pcode] == (r.admin1_pcode, r.admin2_pcode)
        if r.settlement_pcode is not None:
            assert settlements[r.settlement_pcode] == r.admin3_pcode
            assert r.geo_precision == 1
        else:
            assert r.geo_precision in (2, 3)
        assert 10.0 < r.latitude < 25.5 and -12.5 < r.longitude < 4.5


def test_dates_are_within_the_period_and_follow_their_precision(reports):
    lo, hi = datetime.date(2012, 1, 1), datetime.date(2025, 12, 31)
    for r in reports:
        assert lo <= r.start_date <= hi
        assert r.end_date is None or r.start_date <= r.end_date <= hi
        if r.date_precision == "month":
            assert r.start_date.day == 1
        if r.date_precision == "year":
            assert (r.start_date.month, r.start_date.day) == (1, 1)
        for s in r.sources:
            assert s.reported_on >= r.start_date - datetime.timedelta(days=15)
    narrow = tuple(generate(SyntheticConfig(n_events=200, seed=1, start_year=2020, end_year=2021)))
    assert {r.start_date.year for r in narrow} <= {2020, 2021}


def test_child_category_iff_the_reported_age_is_under_18(reports):
    for r in reports:
        for v in r.violations:
            for victim in v.victims:
                age = victim.age
                if age is None and victim.birth_year is not None:
                    age = r.start_date.year - victim.birth_year
                assert ("child" in victim.categories) == (age is not None and age < 18)


def test_shares_are_plausible_for_mali(reports):
    events_by_region = Counter({r.event_id: r.admin1_pcode for r in reports}.values())
    centre_north = sum(
        n for code, n in events_by_region.items() if code in ("ML04", "ML05", "ML06", "ML07", "ML08")
    )
    assert centre_north / sum(events_by_region.values()) >= 0.6
    n_events = len({r.event_id for r in reports})
    assert 1.3 <= len(reports) / n_events <= 1.6
    n_violations = sum(len(r.violations) for r in reports)
    n_victims = sum(len(v.victims) for r in reports for v in r.violations)
    assert 1.3 <= n_violations / len(reports) <= 1.8
    assert 1.6 <= n_victims / n_violations <= 2.5
    victims = [v for r in reports for viol in r.violations for v in viol.victims]
    women = sum(v.sex == "female" for v in victims) / len(victims)
    children = sum("child" in v.categories for v in victims) / len(victims)
    assert 0.15 <= women <= 0.45 and 0.05 <= children <= 0.30
    years = Counter(r.start_date.year for r in reports)
    assert sum(years[y] for y in range(2019, 2025)) / len(reports) >= 0.5
    types = Counter(v.type_code for r in reports for v in r.violations)
    assert types["life.killing_civilians"] + types["life.summary_execution"] > types["sexual.rape"] > 0
    kayes = Counter(v.type_code for r in reports if r.admin1_pcode == "ML01" for v in r.violations)
    elsewhere = Counter(v.type_code for r in reports if r.admin1_pcode != "ML01" for v in r.violations)
    assert kayes["liberty.descent_slavery"] > elsewhere["liberty.descent_slavery"]
    with_groups = sum(bool(v.groups) for r in reports for v in r.violations)
    assert 0.05 <= with_groups / n_violations <= 0.5


def test_state_actors_match_the_period(reports):
    for r in reports:
        for v in r.violations:
            for p in v.perpetrators:
                if p.category_code == "state.foreign_military":
                    assert r.start_date.year >= 2021
                if p.actor_name == "EIGS":
                    assert r.start_date.year >= 2014


def test_reports_of_one_event_share_its_people_under_other_spellings(reports):
    by_event = defaultdict(list)
    for r in reports:
        by_event[r.event_id].append(r)
    spellings = defaultdict(set)
    shared_people = 0
    for group in by_event.values():
        if len(group) < 2:
            continue
        assert len({r.admin2_pcode for r in group}) == 1
        people = [{v.person_id for viol in r.violations for v in viol.victims} for r in group]
        shared_people += len(set.intersection(*people)) if all(people) else 0
        for r in group:
            for viol in r.violations:
                for v in viol.victims:
                    spellings[v.person_id].add((v.given_name, v.family_name))
    assert shared_people > 100
    varied = [s for s in spellings.values() if len(s) > 1]
    assert len(varied) > 0.2 * len([s for s in spellings.values()])
    variant_forms = {form for forms in NAME_VARIANTS.values() for form in forms}
    seen = {name for forms in spellings.values() for pair in forms for name in pair}
    assert len(seen & variant_forms) > 30
    # a variant still normalises to something close: most pairs share a normalised family name
    same_key = sum(len({canonical_key(f) for _, f in forms}) == 1 for forms in varied)
    assert same_key / len(varied) > 0.2


def test_without_name_noise_every_source_spells_alike():
    config = SyntheticConfig(n_events=300, seed=3, name_noise=0.0)
    spellings = defaultdict(set)
    for r in generate(config):
        for viol in r.violations:
            for v in viol.victims:
                spellings[v.person_id].add((v.given_name, v.family_name))
    assert all(len(s) == 1 for s in spellings.values())


def test_truth_keeps_people_no_report_named_and_events_are_captured_by_several_lists():
    truth = list(events(SyntheticConfig(n_events=400, seed=11)))
    assert all(e.reports for e in truth)
    named = {v.person_id for e in truth for r in e.reports for viol in r.violations for v in viol.victims}
    everyone = {p.person_id for e in truth for p in e.persons}
    assert named < everyone
    lists = Counter(len({r.source_org for r in e.reports}) for e in truth)
    assert lists[1] > lists[2] > lists[3] > 0
    dropped = list(events(SyntheticConfig(n_events=400, seed=11, unreported_events=True)))
    assert sum(not e.reports for e in dropped) > 20


def test_config_rejects_nonsense():
    with pytest.raises(ValueError):
        SyntheticConfig(sources=("bbc",))
    with pytest.raises(ValueError):
        SyntheticConfig(start_year=2020, end_year=2019)


def test_public_summaries_name_no_victim_and_no_village_when_restricted(reports):
    names_in_narratives = 0
    for r in reports:
        for viol in r.violations:
            for v in viol.victims:
                full = f"{v.given_name} {v.family_name}".strip()
                if len(full) > 6:
                    assert full not in r.public_summary
                    names_in_narratives += full in r.narrative
        if r.settlement_pcode:
            village = f"à {gazetteer().settlements[r.settlement_pcode].name}"
            restricted = r.confidentiality in ("restricted", "strictly_confidential")
            assert (village in r.public_summary) != restricted
    assert names_in_narratives > 100
