"""Accuracy, time and memory of `kurukan.analysis.linkage` on synthetic data with known truth.

    .venv/bin/python bench/linkage_quality.py                 # 10,000 and 100,000 person records
    .venv/bin/python bench/linkage_quality.py --sizes 10000   # one size
    .venv/bin/python bench/linkage_quality.py --tune          # choose the threshold on the tuning seed
    .venv/bin/python bench/linkage_quality.py --kinds incidents incidents+victims --sizes 10000

    # FEBRL 1, 2 and 4 through `kurukan link` (needs the recordlinkage package, benchmark only):
    PYTHONPATH=src:var/bench-site .venv/bin/python bench/linkage_quality.py --kinds febrl1 febrl2 febrl4

Kinds ``febrl1``, ``febrl2`` (de-duplication, 1,000 and 5,000 records) and ``febrl4`` (two lists of
5,000) are the public FEBRL test sets (Christen 2008, "Febrl: a freely available record linkage
system"; shipped by the ``recordlinkage`` package under the ANU open-source licence). They run
through the command line as a user would (CSV files in, ``kurukan link dedupe|pair`` with a natural
mapping and the default threshold, clusters read back), beside the recordlinkage documentation's own
recipe, run in the same process: block on the given name, compare given name (exact), surname
(Jaro–Winkler ≥ 0.85), date of birth, suburb and state (exact), address (Jaro–Winkler ≥ 0.85), and
link pairs agreeing on more than 3 of the 6. Truth: the record number in ``rec-N-org|dup-k``.
recordlinkage is not a dependency of Kurukan: install it beside the benchmark, for example
``pip install --target var/bench-site --no-deps recordlinkage jellyfish scikit-learn joblib
threadpoolctl cloudpickle`` (its own requirements would replace this environment's pandas).

Kind ``incidents+victims`` first links the people of the same synthetic data, then links the
incident reports with the ``victim_clusters`` role (the people clusters of each report's victims);
its ``seconds`` include the people linkage (``people_seconds``).

Each line of JSON carries pairwise precision, recall and F1 at thresholds 0.5–0.99
(`p_r_f1_by_threshold`), read on the tuning seed to choose the threshold.

People are scored against `person_id`, incidents against `event_id`, pairwise (pairs of records put
in one cluster) and B-cubed (per record). The baseline, measured in the same run, links records with
the same normalised full name in the same commune (people) or the same start date and commune
(incidents). The threshold is chosen on a separate seed (--tune) and fixed here, so the evaluation
seed never informs a choice.

Wall time is the whole linkage call (standardisation, training, scoring, clustering) with DuckDB on
`--threads` threads; peak memory is the process's maximum resident set size (ru_maxrss), which
includes DuckDB's native allocations that tracemalloc cannot see, so each size runs in a fresh
subprocess.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import pandas as pd

from kurukan.analysis.linkage import LinkageConfig, bcubed_scores, dedupe_incidents, dedupe_people
from kurukan.analysis.linkage.names import canonical_family, canonical_given, given_name, normalise
from kurukan.analysis.synthetic import (
    INCIDENT_LINKAGE_COLUMNS,
    PEOPLE_LINKAGE_COLUMNS,
    SyntheticConfig,
    incident_records,
    people_records,
)

EVAL_SEED = 20240404  # resolution 52/42 was adopted on 4 April 2023; any fixed number would do
TUNING_SEED = 7
RECORDS_PER_EVENT = 3.88  # person records per true event at the generator's defaults (measured)

# None: the library's default, the threshold of maximum expected F1 chosen in each run
PEOPLE_THRESHOLD = None
INCIDENT_THRESHOLD = None
# With the victim_clusters role: F1 by threshold on the tuning seed (3,775 reports) rises to 0.99
# (0.958 at 0.9, 0.967 at 0.95, 0.972 at 0.99), where without it it is flat from 0.9 (0.936–0.941).
VICTIMS_THRESHOLD = 0.99


def _scores(predicted: pd.Series, truth: pd.Series) -> dict[str, float]:
    from kurukan.analysis.linkage import pairwise_scores

    pairwise = pairwise_scores(predicted, truth)
    bcubed = bcubed_scores(predicted, truth)
    return {
        "pairwise_precision": round(pairwise.precision, 4),
        "pairwise_recall": round(pairwise.recall, 4),
        "pairwise_f1": round(pairwise.f1, 4),
        "bcubed_precision": round(bcubed.precision, 4),
        "bcubed_recall": round(bcubed.recall, 4),
        "bcubed_f1": round(bcubed.f1, 4),
    }


def _people_baseline(frame: pd.DataFrame) -> pd.Series:
    given = frame["given_name"].fillna("").map(lambda v: canonical_given(given_name(v)))
    family = frame["family_name"].fillna("").map(lambda v: canonical_family(normalise(v)))
    key = given + "|" + family + "|" + frame["admin3_pcode"].fillna("")
    # a record with no name at all stays alone
    return key.where((given + family) != "", frame["record_id"])


def _incident_baseline(frame: pd.DataFrame) -> pd.Series:
    return frame["start_date"].fillna("") + "|" + frame["admin3_pcode"].fillna("")


def _victim_clusters(synthetic: SyntheticConfig, threads: int) -> tuple[pd.Series, float]:
    """Per report id, the people clusters (from a people linkage) of the victims it names."""
    people = pd.DataFrame(people_records(synthetic))
    config = LinkageConfig(
        columns=PEOPLE_LINKAGE_COLUMNS,
        id_column="record_id",
        match_threshold=PEOPLE_THRESHOLD,
        threads=threads,
    )
    started = time.perf_counter()
    result = dedupe_people(people, config)
    seconds = time.perf_counter() - started
    cluster = result.clusters.set_index("id")["cluster_id"].astype(str)
    people["cluster"] = people["record_id"].astype(str).map(cluster)
    lists = people.groupby("report_id")["cluster"].agg(lambda c: sorted(set(c.dropna())))
    return lists, seconds


def run_one(kind: str, n_records: int, seed: int, threads: int, threshold: float | None) -> dict:
    n_events = max(1, round(n_records / RECORDS_PER_EVENT))
    synthetic = SyntheticConfig(n_events=n_events, seed=seed)
    started = time.perf_counter()
    if kind == "people":
        frame = pd.DataFrame(people_records(synthetic))
        id_column, truth, columns = "record_id", "person_id", PEOPLE_LINKAGE_COLUMNS
        threshold = threshold or PEOPLE_THRESHOLD
    else:
        frame = pd.DataFrame(incident_records(synthetic))
        id_column, truth, columns = "report_id", "event_id", INCIDENT_LINKAGE_COLUMNS
        threshold = threshold or (VICTIMS_THRESHOLD if kind == "incidents+victims" else INCIDENT_THRESHOLD)
    generated = time.perf_counter() - started
    people_seconds = 0.0
    if kind == "incidents+victims":
        lists, people_seconds = _victim_clusters(synthetic, threads)
        frame["victim_clusters"] = frame["report_id"].map(lists)
        columns = {**columns, "victim_clusters": "victim_clusters"}
    config = LinkageConfig(columns=columns, id_column=id_column, match_threshold=threshold, threads=threads)
    started = time.perf_counter()
    result = (dedupe_people if kind == "people" else dedupe_incidents)(frame, config)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clusters = result.clusters.set_index("id").loc[frame[id_column].astype(str), "cluster_id"]
    started = time.perf_counter()
    baseline = _people_baseline(frame) if kind == "people" else _incident_baseline(frame)
    baseline_seconds = time.perf_counter() - started
    report = {
        "kind": kind,
        "records": len(frame),
        "true_entities": int(frame[truth].nunique()),
        "n_events": n_events,
        "seed": seed,
        "threshold": result.match_threshold,
        "threshold_chosen": threshold is None,
        "expected_precision": round(result.threshold_choice.expected_precision, 4),
        "expected_recall": round(result.threshold_choice.expected_recall, 4),
        "threads": threads,
        "seconds": round(seconds + people_seconds, 2),
        "people_seconds": round(people_seconds, 2),
        "stage_seconds": result.timings,
        "generate_seconds": round(generated, 2),
        "peak_rss_mib": round(peak_mib),
        "scored_pairs": len(result.pairs),
        "predicted_entities": int(clusters.nunique()),
        "splink": _scores(clusters.reset_index(drop=True), frame[truth]),
        "baseline": _scores(baseline, frame[truth]),
        "baseline_seconds": round(baseline_seconds, 2),
    }
    sweep = {}
    for t in (0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        again = result.clusters_at(t).set_index("id").loc[frame[id_column].astype(str), "cluster_id"]
        scores = _scores(again.reset_index(drop=True), frame[truth])
        sweep[t] = [scores["pairwise_precision"], scores["pairwise_recall"], scores["pairwise_f1"]]
    report["p_r_f1_by_threshold"] = sweep
    report["largest_cluster"] = int(clusters.value_counts().max())
    report["largest_true_entity"] = int(frame[truth].value_counts().max())
    return report


FEBRL_FIELDS = {  # role → FEBRL column: the mapping a user would write
    "given_name": "given_name",
    "family_name": "surname",
    "birth_date": "date_of_birth",
    "address": "address_1",
    "settlement": "suburb",
    "postcode": "postcode",
    "admin1": "state",
    "identifier": "soc_sec_id",
}


def _febrl_frames(kind: str) -> list[pd.DataFrame]:
    try:
        from recordlinkage import datasets
    except ImportError:
        sys.exit("FEBRL needs the recordlinkage package beside the benchmark: see the docstring.")
    loaded = {"febrl1": datasets.load_febrl1, "febrl2": datasets.load_febrl2, "febrl4": datasets.load_febrl4}
    frames = loaded[kind]()
    frames = list(frames) if isinstance(frames, tuple) else [frames]
    return [frame.reset_index().astype("string") for frame in frames]


def _febrl_truth(ids: pd.Series) -> pd.Series:
    return ids.str.extract(r"^rec-(\d+)-")[0]


def _recordlinkage_recipe(frames: list[pd.DataFrame]) -> pd.Series:
    """The recordlinkage documentation's recipe; returns a cluster label per record (all frames)."""
    import recordlinkage
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    indexed = [frame.set_index("rec_id") for frame in frames]
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates = indexer.index(*indexed)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", method="jarowinkler", threshold=0.85, label="address_1")
    features = compare.compute(candidates, *indexed)
    matches = features[features.sum(axis=1) > 3].index
    keys = pd.Index([f"{i}:{rid}" for i, frame in enumerate(frames) for rid in frame["rec_id"]])
    second = 1 if len(frames) == 2 else 0
    left = keys.get_indexer([f"0:{rid}" for rid in matches.get_level_values(0)])
    right = keys.get_indexer([f"{second}:{rid}" for rid in matches.get_level_values(1)])
    graph = coo_matrix(([1] * len(left), (left, right)), shape=(len(keys), len(keys)))
    return pd.Series(connected_components(graph, directed=False)[1])


def run_febrl(kind: str, threads: int) -> dict:
    """FEBRL through `kurukan link`, as a user runs it, and the recordlinkage recipe beside it."""
    import tempfile
    from pathlib import Path

    frames = _febrl_frames(kind)
    fields = [f"--field={role}={column}" for role, column in FEBRL_FIELDS.items()]
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, frame in enumerate(frames):
            paths.append(Path(folder) / f"{kind}{'ab'[i] if len(frames) == 2 else ''}.csv")
            frame.to_csv(paths[-1], index=False)
        command = [sys.executable, "-m", "kurukan.analysis.linkage.cli"]
        command += ["pair" if len(frames) == 2 else "dedupe", *map(str, paths), "--id", "rec_id", *fields]
        command += ["--threads", str(threads), "--out-pairs", f"{folder}/pairs.csv"]
        command += ["--out-clusters", f"{folder}/clusters.csv"]
        started = time.perf_counter()
        finished = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if finished.returncode != 0:
            sys.exit(f"kurukan link failed on {kind}: {finished.stderr.strip()}")
        clusters = pd.read_csv(f"{folder}/clusters.csv", dtype=str, keep_default_na=False)
    said = [line for line in finished.stderr.splitlines() if line.startswith("threshold ")]
    truth = _febrl_truth(clusters["id"])
    started = time.perf_counter()
    baseline = _recordlinkage_recipe(frames)
    baseline_seconds = time.perf_counter() - started
    records = pd.concat([frame["rec_id"] for frame in frames], ignore_index=True)
    return {
        "kind": kind,
        "records": len(clusters),
        "true_entities": int(truth.nunique()),
        "seconds": round(seconds, 2),
        "threads": threads,
        "cli_said": said,
        "splink": _scores(clusters["cluster_id"], truth),
        "baseline": _scores(baseline, _febrl_truth(records)),
        "baseline_seconds": round(baseline_seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }


def _in_subprocess(kind: str, n_records: int, seed: int, threads: int) -> dict:
    command = [sys.executable, __file__, "--one", kind, str(n_records), str(seed), str(threads)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tune", action="store_true", help="use the tuning seed and print F1 by threshold")
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=["people", "incidents"],
        choices=["people", "incidents", "incidents+victims", "febrl1", "febrl2", "febrl4"],
    )
    parser.add_argument("--one", nargs=4, metavar=("KIND", "N", "SEED", "THREADS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, n, seed, threads = args.one
        print(json.dumps(run_one(kind, int(n), int(seed), int(threads), None)))
        return
    seed = TUNING_SEED if args.tune else EVAL_SEED
    febrl = [kind for kind in args.kinds if kind.startswith("febrl")]
    for kind in febrl:
        _print(run_febrl(kind, args.threads))
    for n in args.sizes if len(febrl) < len(args.kinds) else []:
        for kind in args.kinds:
            if kind in febrl:
                continue
            _print(_in_subprocess(kind, n, seed, args.threads))


def _print(report: dict) -> None:
    print(json.dumps(report), flush=True)
    s, b = report["splink"], report["baseline"]
    print(
        f"# {report['kind']:9} {report['records']:>7,} records  F1 {s['pairwise_f1']:.3f} "
        f"(P {s['pairwise_precision']:.3f} R {s['pairwise_recall']:.3f}; B³ {s['bcubed_f1']:.3f})  "
        f"baseline F1 {b['pairwise_f1']:.3f}  ratio {s['pairwise_f1'] / max(b['pairwise_f1'], 1e-9):.2f}  "
        f"{report['seconds']:.1f} s (baseline {report['baseline_seconds']:.1f} s)  {report['peak_rss_mib']} MiB",
        file=sys.stderr,
        flush=True,
    )


if __name__ == "__main__":
    main()
