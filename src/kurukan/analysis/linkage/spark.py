"""The linkage on Splink's Spark backend, for registries that outgrow one machine.

    from kurukan.analysis.linkage import LinkageConfig, dedupe_people
    result = dedupe_people(frame, LinkageConfig(backend="spark"))                 # local[2]
    result = dedupe_people(frame, LinkageConfig(backend="spark", spark_session=spark))  # a cluster

The model is the one of the DuckDB backend, not a copy: ``engine.run`` prepares the records in
pandas (names, phonetic keys, birth years, entries — every custom function runs there, before
Splink sees the data), builds the same comparisons and blocking rules (``model``, rendered in
Spark's dialect: Jaro–Winkler comes from the Scala UDF jar shipped with Splink, distance and array
levels from Splink's own level creators; the rest is SQL both engines read alike: ``abs``,
``greatest``, ``substr``, ``<>``), trains u, the prior and m with the same calls and seeds, then
collects the scored pairs to pandas for the constraints, the report context and clustering.
Only the Splink database API and the way a table is handed over differ.

When to use Spark
-----------------
DuckDB is the default and, on one machine, the faster engine (100,000 people in under a minute on
2 cores, ``docs/benchmarks-linkage.md``). Use Spark when the candidate pairs no longer fit one
machine's memory and disk — registries of more than a few million records — and a Spark cluster
(YARN, Kubernetes, Databricks, EMR, Dataproc) is at hand. What it costs: a Java 17 runtime and
``pip install 'kurukan[spark]'`` (pyspark, ~450 MB); 5–10 s to start a JVM; 0.1–0.2 s of overhead
per Spark job, and a run is ~450 of them (u sampling chunks, EM iterations), so on 2 cores Spark is
~10× slower than DuckDB at 100,000 records (337 s against 33 s) and far slower on small lists; the
records are still standardised in pandas on the driver, and the scored pairs above
``pairs_threshold`` are collected back to it for clustering (about 1 KB a pair).
``docs/linkage-spark.md`` has the measurements and the cluster settings.

Results agree with DuckDB's up to the last digits of EM (random sampling for u is engine-specific
even with the same seed); ``tests/analysis/test_linkage_spark.py`` checks that the clusters agree.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
import tempfile
import threading
import uuid
import warnings
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:  # pyspark is the optional `spark` extra
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import SparkSession

# Columns of ``prepare`` that hold lists of strings (possibly all empty in one input).
LIST_COLUMNS = frozenset(
    {"violations", "violation_groups", "violation_types", "perpetrators", "title_words", "victim_clusters"}
)

_LOCK = threading.Lock()
_LOCAL: SparkSession | None = None


def _silence_pyspark_on_pandas_3() -> None:
    """pyspark 4 warns that it "does not yet fully support pandas >= 3.0.0" and uses a pandas
    keyword (``copy``) that pandas 3 deprecates. Our tables cross as Arrow tables with explicit
    types, and what comes back is plain numbers and strings, so these say nothing to a user of the
    linkage. Only warnings raised inside pyspark's own modules are ignored."""
    for category in (FutureWarning, DeprecationWarning):
        warnings.filterwarnings("ignore", category=category, module=r"pyspark(\.|$)")


def require_pyspark() -> None:
    """Raise a clear error when the `spark` extra or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "The Spark backend needs pyspark: pip install 'kurukan[spark]' (and a Java 17+ runtime)."
        ) from exc
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise RuntimeError("The Spark backend needs a Java 17+ runtime (`java` on PATH or JAVA_HOME).")
    _silence_pyspark_on_pandas_3()
    py4j = logging.getLogger("py4j")
    if py4j.level == logging.NOTSET:  # its INFO lines (connections closing at exit) are not for users
        py4j.setLevel(logging.WARNING)


def local_session(
    cores: int = 2, driver_memory: str = "2g", conf: dict[str, str] | None = None
) -> SparkSession:
    """A local SparkSession for one machine, created once per process and reused.

    ``local[cores]``; shuffle partitions 2 × cores (Spark's default of 200 is for clusters and makes
    every small query pay for 200 tasks); no web UI, no console progress bar; the driver bound to
    127.0.0.1 (nothing listens on the network); warehouse, scratch and checkpoint directories in a
    temporary directory removed at exit; Splink's similarity UDF jar on the classpath; Python workers
    run by this interpreter unless ``PYSPARK_PYTHON`` says otherwise. An existing
    active session (a notebook's, spark-submit's) is returned as it is, with the jar added.
    ``driver_memory`` and ``conf`` (more Spark settings, which win over these) only apply when this
    call starts the JVM.
    """
    global _LOCAL
    require_pyspark()
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    with _LOCK:
        if _LOCAL is not None and _LOCAL.sparkContext._jsc is not None:
            return _LOCAL
        active = SparkSession.getActiveSession()
        if active is not None:
            _ensure_jar(active)
            return active
        scratch = tempfile.mkdtemp(prefix="kurukan-spark-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Spark runs Python workers (Splink registers the u counts from a Python list), with
        # `python3` from PATH unless told otherwise: a different Python version fails the run
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        partitions = str(max(2, 2 * int(cores)))
        builder = (
            SparkSession.builder.master(f"local[{int(cores)}]")
            .appName("kurukan-linkage")
            .config("spark.driver.memory", driver_memory)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", partitions)
            .config("spark.default.parallelism", partitions)
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
            .config("spark.local.dir", os.path.join(scratch, "local"))
            .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={scratch}")
            .config("spark.jars", similarity_jar_location())
            .config("spark.log.level", "ERROR")
        )
        for key, value in (conf or {}).items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        session.sparkContext.setCheckpointDir(os.path.join(scratch, "checkpoints"))
        _LOCAL = session
        return session


def _ensure_jar(session: SparkSession) -> None:
    """Put Splink's similarity UDFs (Jaro–Winkler, …) on the session's classpath if they are not."""
    from splink.backends.spark import similarity_jar_location

    try:
        session.udf.registerJavaFunction(
            "jaro_winkler", "uk.gov.moj.dash.linkage.JaroWinklerSimilarity", _double()
        )
    except Exception:  # the class is not on the classpath: add the jar to this session
        session.sql(f"ADD JAR '{similarity_jar_location()}'")


def _double() -> Any:
    from pyspark.sql.types import DoubleType

    return DoubleType()


def spark_api(session: SparkSession | None = None, cores: int = 2) -> Any:
    """Splink's ``SparkAPI`` on ``session`` (default: ``local_session(cores)``).

    Intermediate tables break their lineage as Parquet files in the session's checkpoint directory
    (Splink's default, and what a cluster needs); a session without one persists them in memory and
    on local disk instead.
    """
    require_pyspark()
    from splink.backends.spark import SparkAPI

    class TrackedSparkAPI(SparkAPI):
        """Splink's SparkAPI, remembering the tables it creates: Splink leaves them as temporary
        views (and Parquet files, or cached data) in the session when the backend is Spark."""

        created: list[str]

        def _cleanup_for_execute_sql(self, table: Any, templated_name: str, physical_name: str) -> Any:
            self.created.append(physical_name)
            return super()._cleanup_for_execute_sql(table, templated_name, physical_name)

        def _table_registration(self, input: Any, table_name: str) -> None:
            self.created.append(table_name)  # inputs, and the u counts Splink registers
            super()._table_registration(input, table_name)

    session = session or local_session(cores)
    _ensure_jar(session)
    has_checkpoints = not session.sparkContext._jsc.sc().getCheckpointDir().isEmpty()
    api = TrackedSparkAPI(
        spark_session=session,
        break_lineage_method="parquet" if has_checkpoints else "persist",
        num_partitions_on_repartition=int(session.conf.get("spark.sql.shuffle.partitions") or 200),
    )
    api.created = []
    return api


def to_spark(session: SparkSession, frame: pd.DataFrame) -> SparkDataFrame:
    """A Spark DataFrame of a prepared frame with explicit column types: an all-empty column would
    otherwise have no type (Spark's void, which Parquet cannot write)."""
    fields = []
    for column in frame.columns:
        series = frame[column]
        if column in LIST_COLUMNS or series.map(lambda v: isinstance(v, list)).any():
            kind = pa.list_(pa.string())
            if not pd.api.types.is_object_dtype(series.dtype):
                # all empty (a role not mapped), typed as text by the engine for DuckDB: Arrow casts
                # no text column to a list, so hand it over as Python objects, None for empty
                frame = frame.assign(**{column: series.astype(object).where(series.notna(), None)})
        elif pd.api.types.is_bool_dtype(series.dtype):
            kind = pa.bool_()
        elif pd.api.types.is_integer_dtype(series.dtype):
            kind = pa.int64()
        elif pd.api.types.is_float_dtype(series.dtype):
            kind = pa.float64()
        else:
            kind = pa.string()
        fields.append(pa.field(str(column), kind))
    table = pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)
    return session.createDataFrame(table)


class Backend:
    """What ``engine.run`` needs from Spark: the API, table registration and clean-up."""

    dialect = "spark"

    def __init__(self, session: SparkSession | None, cores: int) -> None:
        self.api = spark_api(session, cores)
        self._token = uuid.uuid4().hex[:8]

    def register(self, frame: pd.DataFrame, name: str) -> Any:
        # Views live in the session, which other runs share: give this run's their own names.
        table = f"{name}_{self._token}"
        return self.api.register(to_spark(self.api.spark, frame), dataset_display_name=name, table_name=table)

    def close(self) -> None:
        """Drop this run's views and Splink's tables, with their cached data or Parquet files."""
        try:
            created = list(dict.fromkeys(self.api.created))
            for view in created:
                self.api.spark.catalog.dropTempView(view)  # uncaches it when persisted
            # Parquet copies in a local checkpoint directory: remove them, a worker runs many times
            checkpoints = self.api.spark.sparkContext._jsc.sc().getCheckpointDir()
            if not checkpoints.isEmpty() and checkpoints.get().startswith("file:"):
                directory = checkpoints.get().removeprefix("file:")
                for name in created:
                    shutil.rmtree(os.path.join(directory, name), ignore_errors=True)
        except Exception:  # noqa: S110 - clean-up must not hide the run's own error or result
            pass
