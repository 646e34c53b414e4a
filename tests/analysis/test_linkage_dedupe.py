"""De-duplication and linkage of person and incident records whose truth we know."""

import random

import pandas as pd
import pytest

from kurukan.analysis.linkage import (
    LinkageConfig,
    LinkageInputError,
    bcubed_scores,
    dedupe_incidents,
    dedupe_people,
    link_people,
    pairwise_scores,
)

GIVEN = {
    "male": [
        "Amadou",
        "Moussa",
        "Oumar",
        "Boubacar",
        "Ibrahim",
        "Seydou",
        "Adama",
        "Youssouf",
        "Issa",
        "Modibo",
    ],
    "female": ["Fatoumata", "Aïssata", "Kadidia", "Hawa", "Djénéba", "Mariam", "Aminata", "Rokia", "Bintou"],
}
VARIANTS = {
    "Amadou": "Hamadou",
    "Oumar": "Omar",
    "Boubacar": "Aboubacar",
    "Fatoumata": "Fatimata",
    "Aïssata": "Aïchata",
    "Kadidia": "Kadiatou",
    "Hawa": "Awa",
    "Djénéba": "Dieneba",
    "Maïga": "Maiga",
    "Traoré": "Traore",
    "Coulibaly": "Koulibaly",
    "Diallo": "Djallo",
}
FAMILY = ["Maïga", "Traoré", "Coulibaly", "Diarra", "Keïta", "Cissé", "Diallo", "Touré", "Sangaré", "Dembélé"]
FAMILY += [
    "Konaté",
    "Doumbia",
    "Sidibé",
    "Dicko",
    "Guindo",
    "Ag Ghaly",
    "Samaké",
    "Kanté",
    "Bagayoko",
    "Togo",
]
PEOPLE_COLUMNS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "sex": "sex",
    "age": "age",
    "date": "date",
    "admin1": "admin1",
    "admin2": "admin2",
    "admin3": "admin3",
}


def people_frame(n_people: int = 300, seed: int = 3) -> pd.DataFrame:
    """Person records: each person reported one to three times, with variant spellings, estimated
    ages and the odd swapped name; `person` is the truth."""
    rng = random.Random(seed)
    rows = []
    for person in range(n_people):
        sex = rng.choice(["male", "female"])
        given, family = rng.choice(GIVEN[sex]), rng.choice(FAMILY)
        age = rng.randint(8, 75)
        region = rng.randint(1, 8)
        cercle = f"ML{region:02d}{rng.randint(1, 6):02d}"
        commune = f"{cercle}{rng.randint(1, 12):02d}"
        day = pd.Timestamp("2015-01-01") + pd.Timedelta(days=rng.randint(0, 3000))
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            g = VARIANTS.get(given, given) if rng.random() < 0.3 else given
            f = VARIANTS.get(family, family) if rng.random() < 0.3 else family
            if rng.random() < 0.05:
                g, f = f, g
            rows.append(
                {
                    "record_id": f"R{len(rows):05d}",
                    "person": person,
                    "given_name": g,
                    "family_name": f.upper() if rng.random() < 0.3 else f,
                    "sex": sex,
                    "age": str(age + rng.randint(-2, 2)) if rng.random() < 0.85 else "",
                    "date": str((day + pd.Timedelta(days=rng.choice([0, 0, 0, 1]))).date()),
                    "admin1": f"ML{region:02d}",
                    "admin2": cercle,
                    "admin3": commune,
                }
            )
    return pd.DataFrame(rows)


def config(**overrides) -> LinkageConfig:
    return LinkageConfig(columns=PEOPLE_COLUMNS, id_column="record_id", **overrides)


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    frame = people_frame()
    hand = [
        ("H1", "Amadou", "Maïga", "male", "34", "2019-03-02", "ML0701", "ML070101"),
        ("H2", "Hamadou", "Maiga", "male", "about 35", "2019-03-02", "ML0701", "ML070101"),
        ("H3", "Amadou", "Maïga", "male", "71", "2016-11-20", "ML0304", "ML030402"),
    ]
    extra = pd.DataFrame(
        [
            dict(
                zip(
                    ["record_id", "given_name", "family_name", "sex", "age", "date", "admin2", "admin3"],
                    row,
                    strict=False,
                )
            )
            | {"person": f"hand-{row[0]}", "admin1": row[6][:4]}
            for row in hand
        ]
    )
    extra.loc[extra.record_id == "H2", "person"] = "hand-H1"
    return pd.concat([frame, extra], ignore_index=True)


@pytest.fixture(scope="module")
def result(people):
    return dedupe_people(people, config())


def cluster_of(result, record_id: str) -> str:
    clusters = result.clusters.set_index("id")["cluster_id"]
    return clusters[record_id]


def test_amadou_maiga_34_and_hamadou_maiga_about_35_are_one_person(result):
    assert cluster_of(result, "H1") == cluster_of(result, "H2")


def test_a_namesake_elsewhere_and_decades_older_is_another_person(result):
    assert cluster_of(result, "H3") != cluster_of(result, "H1")


def test_the_clusters_recover_the_known_people(people, result):
    predicted = result.clusters.set_index("id").loc[people["record_id"], "cluster_id"].reset_index(drop=True)
    pairwise = pairwise_scores(predicted, people["person"])
    assert pairwise.precision >= 0.9
    assert pairwise.recall >= 0.9
    assert bcubed_scores(predicted, people["person"]).f1 >= 0.95


def test_every_record_gets_exactly_one_cluster(people, result):
    assert sorted(result.clusters["id"]) == sorted(people["record_id"])
    sizes = result.clusters.groupby("cluster_id")["id"].transform("size")
    assert (sizes == result.clusters["cluster_size"]).all()


def test_each_pair_carries_evidence_for_and_against_a_reviewer_can_read(result):
    pairs = result.pairs
    assert {"id_l", "id_r", "match_probability", "match_weight", "evidence"} <= set(pairs.columns)
    assert {"name_level", "name_bf", "birth_year_level", "event_level"} <= set(pairs.columns)
    row = int(pairs.index[(pairs["id_l"].isin(["H1", "H2"])) & (pairs["id_r"].isin(["H1", "H2"]))][0])
    evidence = result.evidence(row)
    assert {e.field for e in evidence} == set(result.comparisons)
    name = next(e for e in evidence if e.field == "name")
    assert name.level == "same name or known variant"
    assert name.bayes_factor > 10
    for_match, against = result.evidence_for_and_against(row)
    assert for_match and all(e.bayes_factor > 1 for e in for_match)
    assert all(e.bayes_factor < 1 for e in against)


def test_reclustering_at_a_stricter_threshold_never_merges_more(result):
    strict = result.clusters_at(0.99)
    assert strict["cluster_id"].nunique() >= result.clusters["cluster_id"].nunique()


def test_linking_two_lists_finds_the_people_in_both(people):
    first = people.drop_duplicates("person", keep="first")
    second = people[~people.index.isin(first.index)].drop_duplicates("person")
    linked = link_people(first, second, config(), sources=("ngo", "un"))
    assert set(linked.clusters["source"]) == {"ngo", "un"}
    truth = pd.concat([first.assign(source="ngo"), second.assign(source="un")])
    key = truth["source"] + "/" + truth["record_id"]
    clusters = linked.clusters.assign(key=linked.clusters["source"] + "/" + linked.clusters["id"])
    predicted = clusters.set_index("key").loc[key, "cluster_id"].reset_index(drop=True)
    assert pairwise_scores(predicted, truth["person"].reset_index(drop=True)).f1 >= 0.9
    assert (linked.pairs["source_l"] != linked.pairs["source_r"]).all()


def test_a_missing_mapped_column_is_named_with_the_fix(people):
    with pytest.raises(LinkageInputError, match="column 'prenom' \\(role given_name\\)"):
        dedupe_people(people, LinkageConfig(columns={"given_name": "prenom"}, id_column="record_id"))


def incidents_frame(n_events: int = 250, seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    types = ["life.killing_civilians", "liberty.abduction", "integrity.torture", "protected.attack_school"]
    rows = []
    for event in range(n_events):
        region = rng.randint(1, 8)
        cercle = f"ML{region:02d}{rng.randint(1, 6):02d}"
        commune = f"{cercle}{rng.randint(1, 12):02d}"
        day = pd.Timestamp("2015-01-01") + pd.Timedelta(days=rng.randint(0, 3000))
        kind = rng.choice(types)
        victims = rng.randint(1, 30)
        for _ in range(rng.choice([1, 1, 2, 3])):
            precise = rng.random() < 0.8
            rows.append(
                {
                    "report_id": f"I{len(rows):05d}",
                    "event": event,
                    "start_date": str(day.date()) if precise else day.strftime("%Y-%m"),
                    "admin1": f"ML{region:02d}",
                    "admin2": cercle,
                    "admin3": commune,
                    "violation_types": kind + ("|integrity.maiming" if rng.random() < 0.3 else ""),
                    "n_victims": str(max(1, victims + rng.randint(-2, 2))),
                }
            )
    return pd.DataFrame(rows)


def test_reports_of_one_incident_are_grouped():
    frame = incidents_frame()
    columns = {c: c for c in ("start_date", "admin1", "admin2", "admin3", "violation_types", "n_victims")}
    result = dedupe_incidents(frame, LinkageConfig(columns=columns, id_column="report_id"))
    predicted = result.clusters.set_index("id").loc[frame["report_id"], "cluster_id"].reset_index(drop=True)
    assert bcubed_scores(predicted, frame["event"]).f1 >= 0.9
