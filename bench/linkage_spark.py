"""The person linkage on Splink's Spark backend (local[2]) against DuckDB: time, memory, agreement.

    .venv/bin/python bench/linkage_spark.py                          # the test's set, then 100,000 records
    .venv/bin/python bench/linkage_spark.py --sizes test 10000       # the test's set and ~10,000 records
    .venv/bin/python bench/linkage_spark.py --driver-memory 6g       # more memory for the Spark driver

Each (size, backend) runs in a fresh subprocess, so Spark's time includes starting its JVM (shown
apart as `start_s`) and each process's peak memory is its own: `rss_python_mib` is the Python
process's maximum resident set (DuckDB runs inside it), `rss_jvm_mib` the Spark driver JVM's (VmHWM
of the java process; local mode runs the executors in it). Both backends get the same records, the
same `LinkageConfig` (only `backend` differs) and the evaluation seed of `linkage_quality.py`, except
`test`, which is the set `tests/analysis/test_linkage_spark.py` uses (300 events, seed 11).

Printed: one JSON line per run (wall time, stage times, pairwise F1 against the truth), then per size
the pairwise agreement of the two backends' clusterings (precision/recall/F1 of Spark's clusters
against DuckDB's) and the Spark/DuckDB time ratio. Cluster ids go to bench/out/linkage_spark_*.csv.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from kurukan.analysis.linkage import LinkageConfig, dedupe_people, pairwise_scores
from kurukan.analysis.synthetic import PEOPLE_LINKAGE_COLUMNS, SyntheticConfig, people_records

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linkage_quality import EVAL_SEED, RECORDS_PER_EVENT  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def _records(size: str) -> pd.DataFrame:
    if size == "test":
        config = SyntheticConfig(n_events=300, seed=11)
    else:
        config = SyntheticConfig(n_events=max(1, round(int(size) / RECORDS_PER_EVENT)), seed=EVAL_SEED)
    return pd.DataFrame(people_records(config))


def _jvm_peak_mib() -> float | None:
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    process = getattr(gateway, "proc", None) if gateway is not None else None
    if process is None:
        return None
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def one(size: str, backend: str, threads: int, driver_memory: str) -> dict:
    frame = _records(size)
    start_s = 0.0
    if backend == "spark":
        from kurukan.analysis.linkage import spark

        started = time.perf_counter()
        spark.local_session(cores=threads, driver_memory=driver_memory)
        start_s = time.perf_counter() - started
    started = time.perf_counter()
    result = dedupe_people(
        frame, LinkageConfig(columns=PEOPLE_LINKAGE_COLUMNS, backend=backend, threads=threads)
    )
    run_s = time.perf_counter() - started
    clusters = result.clusters.set_index("id").loc[frame["record_id"], "cluster_id"].reset_index(drop=True)
    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"record_id": frame["record_id"], "cluster_id": clusters}).to_csv(
        OUT / f"linkage_spark_{size}_{backend}.csv", index=False
    )
    scores = pairwise_scores(clusters, frame["person_id"])
    line = {
        "size": size,
        "backend": backend,
        "records": len(frame),
        "start_s": round(start_s, 1),
        "run_s": round(run_s, 1),
        "total_s": round(start_s + run_s, 1),
        "stages_s": result.timings,
        "pairs": len(result.pairs),
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "rss_python_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if backend == "spark":
        line["rss_jvm_mib"] = _jvm_peak_mib()
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["test", "100000"], help="'test' or a record count")
    parser.add_argument("--backends", nargs="+", default=["duckdb", "spark"])
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads and Spark's local[N]")
    parser.add_argument("--driver-memory", default="4g", help="Spark driver JVM heap (local mode: all of it)")
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "BACKEND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one, args.threads, args.driver_memory)), flush=True)
        return
    for size in args.sizes:
        lines = {}
        for backend in args.backends:
            command = [sys.executable, __file__, "--one", size, backend, "--threads", str(args.threads)]
            command += ["--driver-memory", args.driver_memory]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            lines[backend] = json.loads(output.strip().splitlines()[-1])
            print(json.dumps(lines[backend]), flush=True)
        if {"duckdb", "spark"} <= set(lines):
            duck = pd.read_csv(OUT / f"linkage_spark_{size}_duckdb.csv")
            spark = pd.read_csv(OUT / f"linkage_spark_{size}_spark.csv")
            agreement = pairwise_scores(spark["cluster_id"], duck["cluster_id"])
            print(
                json.dumps(
                    {
                        "size": size,
                        "agreement_precision": round(agreement.precision, 4),
                        "agreement_recall": round(agreement.recall, 4),
                        "agreement_f1": round(agreement.f1, 4),
                        "time_ratio_spark_duckdb": round(
                            lines["spark"]["total_s"] / max(lines["duckdb"]["total_s"], 1e-9), 1
                        ),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
