"""The constraints from how records arise: one report's entries are distinct people, one-to-one
between two reports, no cluster holding two entries of one report."""

import pandas as pd

from kurukan.analysis.linkage.constraints import constrained_clusters, one_to_one


def records(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(id, report, entry) rows."""
    frame = pd.DataFrame(rows, columns=["id", "report", "entry"])
    frame.insert(1, "key", frame["id"])
    return frame


def pairs(*rows: tuple[str, str, float]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["id_l", "id_r", "match_probability"])
    return frame.sort_values("match_probability", ascending=False).reset_index(drop=True)


def test_a_victim_of_report_a_is_at_most_one_victim_of_report_b():
    recs = records(("a1", "A", "A1"), ("b1", "B", "B1"), ("b2", "B", "B2"))
    scored = pairs(("a1", "b1", 0.97), ("a1", "b2", 0.95))
    assert one_to_one(scored, recs).tolist() == [True, False]


def test_a_victim_listed_twice_in_report_b_keeps_both_records():
    recs = records(("a1", "A", "A1"), ("b1", "B", "B1"), ("b1v", "B", "B1"))
    scored = pairs(("a1", "b1", 0.97), ("a1", "b1v", 0.95))
    assert one_to_one(scored, recs).tolist() == [True, True]
    clusters = constrained_clusters(scored, recs, 0.9)
    assert clusters.nunique() == 1


def test_a_chain_through_another_report_is_cut_at_its_weakest_link():
    # a1 and a2 are two victims of report A; c links to both, more strongly to a1
    recs = records(("a1", "A", "A1"), ("a2", "A", "A2"), ("c", "C", "C1"))
    scored = pairs(("a1", "c", 0.99), ("a2", "c", 0.93))
    clusters = constrained_clusters(scored, recs, 0.9)
    assert clusters["a1"] == clusters["c"]
    assert clusters["a2"] != clusters["a1"]


def test_a_longer_chain_is_cut_too():
    recs = records(("a1", "A", "A1"), ("a2", "A", "A2"), ("b", "B", "B1"), ("c", "C", "C1"))
    scored = pairs(("a1", "b", 0.99), ("b", "c", 0.98), ("c", "a2", 0.95))
    clusters = constrained_clusters(scored, recs, 0.9)
    assert clusters["a1"] == clusters["b"] == clusters["c"]
    assert clusters["a2"] != clusters["a1"]


def test_pairs_below_the_threshold_are_not_links():
    recs = records(("a", "A", "A1"), ("b", "B", "B1"))
    clusters = constrained_clusters(pairs(("a", "b", 0.5)), recs, 0.9)
    assert clusters["a"] != clusters["b"]


def test_a_long_thin_chain_of_incidents_is_split_and_a_dense_group_is_not():
    # twelve reports, each linked only to the next (a chain), and five reports all linked together
    ids = [f"c{i}" for i in range(12)] + [f"d{i}" for i in range(5)]
    recs = records(*[(i, i, i) for i in ids])
    chain = [(f"c{i}", f"c{i + 1}", 0.95 + i / 1000) for i in range(11)]
    dense = [(f"d{i}", f"d{j}", 0.97) for i in range(5) for j in range(i + 1, 5)]
    clusters = constrained_clusters(pairs(*chain, *dense), recs, 0.9, max_chain=8, min_density=0.3)
    assert clusters[[f"c{i}" for i in range(12)]].nunique() > 1
    assert clusters[[f"d{i}" for i in range(5)]].nunique() == 1
