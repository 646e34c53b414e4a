"""Learning from reviewers: F1 on held-out persons after 0, 50, 200 and 1,000 simulated decisions.

    PYTHONPATH=src .venv/bin/python bench/linkage_learning.py                 # ~7,700 person records
    PYTHONPATH=src .venv/bin/python bench/linkage_learning.py --events 500    # smaller

The synthetic Malian victims (``kurukan.analysis.synthetic``), mapped without the ``report`` role: a
list that does not say which report each victim comes from, where the model confuses co-victims of
one incident with one person reported twice. Half of the true persons are held out; decisions are
drawn at random from the review queue (pairs scored ≥ 0.1 that survive the one-to-one assignment)
among the other half, and decided as the truth says. Pairwise precision, recall and F1 are read on
the held-out persons only, so no decided pair is scored. The baseline (0 decisions) runs in the same
process; each size runs with the default (calibration only) and with ``learn_m=True`` (m blended with
the confirmed pairs' too), to show which part helps.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from kurukan.analysis import synthetic
from kurukan.analysis.linkage import LinkageConfig, Reviews, dedupe_people, pairwise_scores

COLUMNS = {role: column for role, column in synthetic.PEOPLE_LINKAGE_COLUMNS.items() if role != "report"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20240404)
    parser.add_argument("--decisions", type=int, nargs="+", default=[50, 200, 1_000])
    args = parser.parse_args()
    people = pd.DataFrame(
        synthetic.people_records(synthetic.SyntheticConfig(n_events=args.events, seed=args.seed))
    )
    truth = people.set_index("record_id")["person_id"]
    persons = people["person_id"].unique()
    held = set(np.random.default_rng(0).choice(persons, size=len(persons) // 2, replace=False))
    held_ids = people.loc[people["person_id"].isin(held), "record_id"]

    def scores(result) -> dict:
        clusters = result.clusters.set_index("id").loc[held_ids, "cluster_id"].reset_index(drop=True)
        s = pairwise_scores(clusters, truth.loc[held_ids].reset_index(drop=True))
        return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

    started = time.perf_counter()
    base = dedupe_people(people, LinkageConfig(columns=COLUMNS, id_column="record_id"))
    report = {"records": len(people), "decisions": 0, "threshold": base.match_threshold, **scores(base)}
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report), flush=True)
    queue = base.pairs[base.pairs["one_to_one"]]
    queue = queue[~queue["id_l"].map(truth).isin(held) & ~queue["id_r"].map(truth).isin(held)]
    for n in args.decisions:
        sample = queue.sample(n=min(n, len(queue)), random_state=1)
        same = sample["id_l"].map(truth).to_numpy() == sample["id_r"].map(truth).to_numpy()
        reviews = Reviews(
            confirmed=list(zip(sample["id_l"][same], sample["id_r"][same], strict=True)),
            rejected=list(zip(sample["id_l"][~same], sample["id_r"][~same], strict=True)),
        )
        for variant in ("m and calibration", "calibration only"):
            started = time.perf_counter()
            learn_m = variant == "m and calibration"
            config = LinkageConfig(columns=COLUMNS, id_column="record_id", reviews=reviews, learn_m=learn_m)
            result = dedupe_people(people, config)
            report = {
                "records": len(people),
                "decisions": len(reviews),
                "confirmed": len(reviews.confirmed),
                "rejected": len(reviews.rejected),
                "variant": variant,
                "threshold": result.match_threshold,
                "calibration": result.learned.calibration,
                **scores(result),
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
