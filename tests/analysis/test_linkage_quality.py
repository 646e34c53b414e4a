"""Accuracy on the synthetic generator's records, whose true person and event we know."""

import pandas as pd
import pytest

from kurukan.analysis import synthetic
from kurukan.analysis.linkage import (
    LinkageConfig,
    bcubed_scores,
    dedupe_incidents,
    dedupe_people,
    pairwise_scores,
)

COLUMNS = synthetic.PEOPLE_LINKAGE_COLUMNS
# without the organisation role, as this test has always scored the incidents
INCIDENT_COLUMNS = {
    role: column for role, column in synthetic.INCIDENT_LINKAGE_COLUMNS.items() if role != "organisation"
}


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.DataFrame(synthetic.people_records(synthetic.SyntheticConfig(n_events=450, seed=3)))


@pytest.fixture(scope="module")
def result(people):
    return dedupe_people(people, LinkageConfig(columns=COLUMNS, id_column="record_id"))


def predicted(result, frame: pd.DataFrame, id_column: str = "record_id") -> pd.Series:
    return result.clusters.set_index("id").loc[frame[id_column], "cluster_id"].reset_index(drop=True)


def test_people_f1_is_at_least_0_9_on_2000_synthetic_records_at_the_default_threshold(people, result):
    assert 1_500 <= len(people) <= 3_000
    assert LinkageConfig().match_threshold is None  # chosen by maximum expected F1
    assert result.threshold_choice.threshold == result.match_threshold
    pairwise = pairwise_scores(predicted(result, people), people["person_id"])
    assert pairwise.f1 >= 0.9, pairwise
    assert bcubed_scores(predicted(result, people), people["person_id"]).f1 >= 0.95


def test_two_entries_of_one_report_never_share_a_cluster(people, result):
    frame = people.assign(cluster=predicted(result, people).to_numpy())
    identity = ["given_name", "family_name", "sex", "age", "birth_year"]
    entries = frame.drop_duplicates(["report_id", *identity]).astype({"age": str, "birth_year": str})
    per_cluster = entries.groupby(["cluster", "report_id"]).size()
    assert per_cluster.max() == 1


def test_a_victim_listed_under_two_violations_of_one_report_is_one_person(people, result):
    frame = people.assign(cluster=predicted(result, people).to_numpy())
    several = frame[frame.duplicated(["report_id", "person_id"], keep=False)]
    assert not several.empty
    assert (several.groupby(["report_id", "person_id"])["cluster"].nunique() == 1).all()


def test_pairs_of_one_report_are_never_scored(people, result):
    report = people.set_index("record_id")["report_id"]
    pairs = result.pairs
    assert (report.loc[pairs["id_l"]].to_numpy() != report.loc[pairs["id_r"]].to_numpy()).all()


def test_reclustering_at_the_run_threshold_gives_the_run_clusters(result):
    again = result.clusters_at(result.match_threshold).set_index("id")["cluster_id"]
    assert again.loc[result.clusters["id"]].tolist() == result.clusters["cluster_id"].tolist()


def test_the_report_context_is_evidence_a_reviewer_sees(result):
    assert "reports" in result.comparisons
    shared = result.pairs.index[result.pairs["reports_bf"] > 1]
    assert len(shared) > 0
    fields = {e.field: e for e in result.evidence(int(shared[0]))}
    assert fields["reports"].level == "the two reports share another matched victim"
    assert fields["reports"].supports_match


def test_incidents_of_4000_reports_form_no_giant_cluster_and_f1_is_at_least_0_85():
    frame = pd.DataFrame(synthetic.incident_records(synthetic.SyntheticConfig(n_events=1_000, seed=3)))
    result = dedupe_incidents(frame, LinkageConfig(columns=INCIDENT_COLUMNS, id_column="report_id"))
    clusters = predicted(result, frame, "report_id")
    assert clusters.value_counts().max() <= 2 * frame.groupby("event_id").size().max()
    assert pairwise_scores(clusters, frame["event_id"]).f1 >= 0.85
