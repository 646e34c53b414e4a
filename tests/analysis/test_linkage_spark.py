"""The linkage on Splink's Spark backend finds the people the DuckDB backend finds.

Needs pyspark (the `spark` extra: `pip install -e '.[dev,spark]'`) and a Java 17+ runtime. CI installs
both, so a missing one fails here with what to install, instead of the test quietly reporting a skip.
One local Spark session (``local[2]``) serves the module and is stopped at its end; the Spark run is
most of the module's time (50–90 s on the shared 2-core machine, JVM start included: ~450 small
Spark jobs, see docs/linkage-spark.md).
"""

import importlib.util
import shutil

import pandas as pd
import pytest

from kurukan.analysis import synthetic
from kurukan.analysis.linkage import LinkageConfig, dedupe_people, pairwise_scores

pytestmark = pytest.mark.slow

COLUMNS = synthetic.PEOPLE_LINKAGE_COLUMNS
INSTALL = (
    "The Spark backend test needs {what}. Install it: {how}. CI installs both "
    "(`pip install -e '.[dev,spark]'` and a Java 17 runtime, Debian package openjdk-17-jre-headless)."
)


def _check_requirements() -> None:
    assert importlib.util.find_spec("pyspark") is not None, INSTALL.format(
        what="pyspark", how=".venv/bin/pip install -e '.[spark]'"
    )
    assert shutil.which("java") is not None, INSTALL.format(
        what="a Java 17+ runtime (`java` on PATH)", how="apt-get install openjdk-17-jre-headless"
    )


@pytest.fixture(scope="module")
def session():
    _check_requirements()
    from kurukan.analysis.linkage import spark

    session = spark.local_session(cores=2)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.DataFrame(synthetic.people_records(synthetic.SyntheticConfig(n_events=300, seed=11)))


@pytest.fixture(scope="module")
def on_duckdb(people):
    return dedupe_people(people, LinkageConfig(columns=COLUMNS))


@pytest.fixture(scope="module")
def on_spark(people, session):
    return dedupe_people(people, LinkageConfig(columns=COLUMNS, backend="spark", spark_session=session))


def clusters(result, frame: pd.DataFrame) -> pd.Series:
    return result.clusters.set_index("id").loc[frame["record_id"], "cluster_id"].reset_index(drop=True)


def test_spark_and_duckdb_put_the_same_records_together(people, on_duckdb, on_spark):
    assert 1_000 <= len(people) <= 2_000
    agreement = pairwise_scores(clusters(on_spark, people), clusters(on_duckdb, people))
    assert agreement.f1 >= 0.98, agreement


def test_both_backends_reach_the_quality_bound(people, on_duckdb, on_spark):
    for result in (on_duckdb, on_spark):
        scores = pairwise_scores(clusters(result, people), people["person_id"])
        assert scores.f1 >= 0.9, scores


def test_spark_runs_the_same_model(on_duckdb, on_spark):
    duck, spark = on_duckdb.model, on_spark.model
    assert on_spark.comparisons == on_duckdb.comparisons

    def rules(model):
        return [rule["blocking_rule"] for rule in model["blocking_rules_to_generate_predictions"]]

    assert rules(spark) == rules(duck)
    # the prior comes from counting the pairs of one deterministic rule: exactly the same
    assert spark["probability_two_random_records_match"] == pytest.approx(
        duck["probability_two_random_records_match"], rel=1e-9
    )
    # m by EM agrees closely; u is sampled from random pairs, and which pairs a seed draws is
    # engine-specific, so u is not compared level by level
    for c_duck, c_spark in zip(duck["comparisons"], spark["comparisons"], strict=True):
        levels = zip(c_duck["comparison_levels"], c_spark["comparison_levels"], strict=True)
        for l_duck, l_spark in levels:
            assert l_spark["label_for_charts"] == l_duck["label_for_charts"]
            if "m_probability" in l_duck:
                assert l_spark["m_probability"] == pytest.approx(l_duck["m_probability"], abs=0.05), (
                    c_duck["output_column_name"],
                    l_duck["label_for_charts"],
                )


def test_both_backends_score_the_same_candidate_pairs(on_duckdb, on_spark):
    duck = set(zip(on_duckdb.pairs["id_l"], on_duckdb.pairs["id_r"], strict=True))
    spark = set(zip(on_spark.pairs["id_l"], on_spark.pairs["id_r"], strict=True))
    assert len(duck & spark) >= 0.95 * len(duck | spark)


def test_a_spark_run_leaves_no_tables_in_the_session(session, on_spark):
    left = [t.name for t in session.catalog.listTables() if t.name.startswith(("records_", "__splink__"))]
    assert left == []


def test_an_unknown_backend_is_refused(people):
    with pytest.raises(ValueError, match="backend"):
        dedupe_people(people.head(50), LinkageConfig(columns=COLUMNS, backend="polars"))
