"""Learning from reviewers: decisions on some pairs improve the links among records nobody reviewed."""

import numpy as np
import pandas as pd
import pytest

from kurukan.analysis import synthetic
from kurukan.analysis.linkage import LinkageConfig, Reviews, dedupe_people, pairwise_scores

# A list of victims without report ids: the model cannot tell co-victims of one incident from one
# person reported twice as well as with them, which is where reviewers help.
COLUMNS = {role: column for role, column in synthetic.PEOPLE_LINKAGE_COLUMNS.items() if role != "report"}


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.DataFrame(synthetic.people_records(synthetic.SyntheticConfig(n_events=450, seed=3)))


@pytest.fixture(scope="module")
def held_out(people) -> pd.Series:
    """Half of the true persons: no decision ever concerns their records; F1 is read on them."""
    persons = people["person_id"].unique()
    chosen = set(np.random.default_rng(0).choice(persons, size=len(persons) // 2, replace=False))
    return people.loc[people["person_id"].isin(chosen), "record_id"]


def held_out_f1(result, people, held_out):
    truth = people.set_index("record_id")["person_id"]
    clusters = result.clusters.set_index("id").loc[held_out, "cluster_id"].reset_index(drop=True)
    return pairwise_scores(clusters, truth.loc[held_out].reset_index(drop=True)).f1


def decisions(result, people, held_out, n: int) -> Reviews:
    """``n`` pairs of the review queue, outside the held-out persons, decided as the truth says."""
    truth = people.set_index("record_id")["person_id"]
    queue = result.pairs[result.pairs["one_to_one"]]
    held = set(held_out)
    queue = queue[~queue["id_l"].isin(held) & ~queue["id_r"].isin(held)]
    sample = queue.sample(n=n, random_state=1)
    same = sample["id_l"].map(truth).to_numpy() == sample["id_r"].map(truth).to_numpy()
    return Reviews(
        confirmed=list(zip(sample["id_l"][same], sample["id_r"][same], strict=True)),
        rejected=list(zip(sample["id_l"][~same], sample["id_r"][~same], strict=True)),
    )


@pytest.mark.slow
def test_200_reviewer_decisions_raise_f1_on_pairs_nobody_reviewed(people, held_out):
    config = LinkageConfig(columns=COLUMNS, id_column="record_id")
    before = dedupe_people(people, config)
    reviews = decisions(before, people, held_out, 200)
    assert len(reviews) == 200 and reviews.rejected  # both kinds of decision
    after = dedupe_people(people, LinkageConfig(columns=COLUMNS, id_column="record_id", reviews=reviews))
    f1_before, f1_after = held_out_f1(before, people, held_out), held_out_f1(after, people, held_out)
    assert f1_after >= f1_before + 0.01, (f1_before, f1_after)
    learned = after.learned
    assert (learned.n_confirmed, learned.n_rejected) == (len(reviews.confirmed), len(reviews.rejected))
    assert learned.calibration is not None and not learned.m_from_reviews  # m only when asked


def test_asked_to_learn_m_the_confirmed_pairs_move_it_and_say_where(people):
    small = people.head(800)
    before = dedupe_people(small, LinkageConfig(columns=COLUMNS, id_column="record_id"))
    confirmed = [tuple(pair) for pair in before.pairs[["id_l", "id_r"]].head(30).to_numpy()]
    config = LinkageConfig(columns=COLUMNS, id_column="record_id", reviews=Reviews(confirmed), learn_m=True)
    after = dedupe_people(small, config)
    assert after.learned.m_from_reviews and after.learned.m_changes
    assert set(after.learned.m_changes) <= set(after.comparisons)


def test_too_few_decisions_leave_the_model_as_it_was(people, held_out):
    small = people.head(400)
    config = LinkageConfig(columns=COLUMNS, id_column="record_id")
    before = dedupe_people(small, config)
    reviews = Reviews(confirmed=[tuple(before.pairs.iloc[0][["id_l", "id_r"]])], rejected=[])
    after = dedupe_people(small, LinkageConfig(columns=COLUMNS, id_column="record_id", reviews=reviews))
    assert not after.learned.m_from_reviews and after.learned.calibration is None
    assert after.pairs["match_probability"].tolist() == before.pairs["match_probability"].tolist()
