"""Train, score and cluster with Splink on DuckDB (default) or Spark (``spark``, same model).

The method is the Fellegi–Sunter model of record linkage (Fellegi & Sunter, "A Theory for Record
Linkage", JASA 64(328), 1969) as implemented by Splink (Linacre et al., Ministry of Justice, UK;
https://github.com/moj-analytical-services/splink):

* Each candidate pair is described by a comparison vector: one agreement level per comparison
  (name, birth year, sex, date, place, violation, …).
* Comparisons are assumed **conditionally independent given match status**: within true matches,
  and within non-matches, agreeing on place says nothing about agreeing on name. The match weight
  is then the sum of log2(m/u) over comparisons plus the log-odds of the prior. Names and place are
  not independent in Mali (family names cluster by region), so the weights of name *and* place
  agreeing are somewhat overstated; the name comparison is one comparison rather than two so that
  given and family name do not double-count, and term-frequency adjustment lowers the weight of
  common names.
* u (level frequencies among non-matches) is estimated on random pairs, assumed to be almost all
  non-matches (``estimate_u_using_random_sampling``).
* m (level frequencies among matches) is estimated without labels by expectation maximisation over
  blocked pairs (``estimate_parameters_using_expectation_maximisation``); each training blocking
  rule leaves out the comparisons it conditions on.
* The prior probability that two random records match comes from a strict deterministic rule and
  an assumed recall for it (``estimate_probability_two_random_records_match``).
* Only pairs produced by the prediction blocking rules are ever scored: a true match that no rule
  brings together is missed, whatever its score would have been. For people, every rule also
  requires the two records to come from different reports (``constraints``).

After scoring, what is known about how the records arise is applied (``constraints``, ``context``):

* the entries of one report are distinct people, and one person listed under several violations
  of one report is one entry;
* between two reports, a greedy one-to-one assignment of entries (``one_to_one`` column);
* people: victim pairs between two reports that share another confidently matched victim are scored
  against the prior of victims of one incident rather than of two random records (``context``);
* entities are built by adding links at or above the match threshold strongest first, refusing a
  link that would put two entries of one report in one entity; for incidents, a large entity whose
  links are sparse (a chain of similar events) is split at its weakest links.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.exceptions import SplinkException

from . import constraints, context, learning, model, threshold
from .config import LinkageConfig
from .prepare import UNIQUE_ID, prepare_incidents, prepare_people
from .result import LinkageResult

logger = logging.getLogger(__name__)
_SPLINK_LOGGER = logging.getLogger("splink")


class _Stages:
    """Stage-by-stage progress on stderr (a tqdm bar) when asked, and timings always."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.timings: dict[str, float] = {}
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=total, file=sys.stderr, unit="step", leave=False)
        self._name: str | None = None
        self._start = time.perf_counter()

    def start(self, name: str) -> None:
        self._finish()
        self._name = name
        self._start = time.perf_counter()
        if self._bar is not None:
            self._bar.set_description(name)

    def _finish(self) -> None:
        if self._name is not None:
            self.timings[self._name] = round(time.perf_counter() - self._start, 3)
            if self._bar is not None:
                self._bar.update(1)

    def close(self) -> None:
        self._finish()
        self._name = None
        if self._bar is not None:
            self._bar.close()


def _filled_columns(frames: Sequence[pd.DataFrame]) -> set[str]:
    """Columns that hold at least one value in every input frame."""
    filled = set(frames[0].columns)
    for frame in frames:
        filled &= {c for c in frame.columns if frame[c].notna().any()}
    return filled


def _for_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed columns, so that an all-empty column still registers with a usable type."""
    out = frame.copy()
    for column in out.columns:
        if column in ("lat", "lon"):
            out[column] = out[column].astype("Float64")
        elif out[column].dtype == "float64" and out[column].isna().all():
            out[column] = out[column].astype("string")  # a text column with no value in any record
        elif out[column].dtype == object and not out[column].map(lambda v: isinstance(v, list)).any():
            out[column] = out[column].astype("string")
    return out


class _DuckDB:
    """One in-memory DuckDB database per run."""

    dialect = "duckdb"

    def __init__(self, threads: int) -> None:
        self.connection = duckdb.connect()
        self.connection.execute(f"SET threads = {int(threads)}")
        self.api = DuckDBAPI(self.connection)

    def register(self, frame: pd.DataFrame, name: str) -> Any:
        return self.api.register(frame, dataset_display_name=name)

    def close(self) -> None:
        self.connection.close()


def _backend(config: LinkageConfig) -> Any:
    """The Splink database API of ``config.backend``; everything else in ``run`` is shared."""
    if config.backend == "duckdb":
        return _DuckDB(config.threads)
    if config.backend == "spark":
        from . import spark  # pyspark is optional (the `spark` extra)

        return spark.Backend(config.spark_session, config.threads)
    raise ValueError(f"Unknown linkage backend {config.backend!r}: use 'duckdb' or 'spark'.")


def _level_tables(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """gamma value → level label, per comparison (the null level is -1, the others count down)."""
    tables = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        table = {-1: "unknown"}
        for position, level in enumerate(non_null):
            table[len(non_null) - 1 - position] = level["label_for_charts"]
        tables[comparison["output_column_name"]] = table
    return tables


def _pairs_frame(raw: pd.DataFrame, settings: dict[str, Any], linking: bool) -> pd.DataFrame:
    levels = _level_tables(settings)
    out = pd.DataFrame(
        {
            "id_l": raw["unique_id_l"].astype(str),
            "id_r": raw["unique_id_r"].astype(str),
        }
    )
    if linking:
        out.insert(0, "source_l", raw["source_dataset_l"].astype(str))
        out.insert(2, "source_r", raw["source_dataset_r"].astype(str))
    out["match_probability"] = raw["match_probability"].astype(float).round(6)
    out["match_weight"] = raw["match_weight"].astype(float).round(4)
    summaries = []
    for name, table in levels.items():
        weight = raw[f"mw_{name}"].astype(float)
        if f"mw_tf_adj_{name}" in raw.columns:
            weight = weight + raw[f"mw_tf_adj_{name}"].astype(float).fillna(0.0)
        out[f"{name}_level"] = raw[f"gamma_{name}"].map(table)
        out[f"{name}_bf"] = np.round(np.exp2(weight), 4)
        factor = out[f"{name}_bf"].map("{:.3g}".format).astype(str)  # str also when there is no pair
        summaries.append(name + ": " + out[f"{name}_level"] + " (×" + factor + ")")
    out["evidence"] = pd.concat(summaries, axis=1).agg("; ".join, axis=1) if summaries and len(out) else ""
    return out.sort_values("match_probability", ascending=False, kind="stable").reset_index(drop=True)


def _records_frame(prepared: Sequence[pd.DataFrame], linking: bool) -> pd.DataFrame:
    """One row per input record: ``id`` (``source``), ``key``, ``report`` and ``entry``."""
    frames = []
    for frame in prepared:
        out = pd.DataFrame({"id": frame[UNIQUE_ID].astype(str)})
        if linking:
            out.insert(0, "source", frame["source_dataset"].astype(str))
        out["key"] = constraints.record_keys(out)
        out["report"] = frame["report_key"].astype(str)
        out["entry"] = frame["entry"].astype(str)
        frames.append(out)
    return pd.concat(frames, ignore_index=True)


def run(
    kind: str,
    frames: Sequence[pd.DataFrame],
    config: LinkageConfig,
    where: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
) -> LinkageResult:
    """Prepare, train, score and cluster. ``kind`` is "people" or "incidents"; one frame dedupes,
    two frames are linked to each other (no de-duplication within each)."""
    linking = len(frames) > 1
    where = list(where or [f"input {i + 1}" for i in range(len(frames))])
    stages = _Stages(total=7, enabled=config.progress)
    backend = None
    try:
        stages.start("prepare")
        prepare = prepare_people if kind == "people" else prepare_incidents
        names: Sequence[str | None] = (
            (sources or [f"s{i + 1}" for i in range(len(frames))]) if linking else [None]
        )
        prepared = [
            prepare(frame, config, where=w, source=s)
            for frame, w, s in zip(frames, where, names, strict=False)
        ]
        filled = _filled_columns(prepared)
        link_type = "link_only" if linking else "dedupe_only"

        if _SPLINK_LOGGER.level == logging.NOTSET:
            # Splink's warnings (a level never seen in training, …) are for model builders, not users
            _SPLINK_LOGGER.setLevel(logging.ERROR)
        backend = _backend(config)
        tables = [
            backend.register(_for_duckdb(frame), f"records_{i + 1}") for i, frame in enumerate(prepared)
        ]
        builder = model.person_settings if kind == "people" else model.incident_settings
        settings: SettingsCreator = builder(config, filled, link_type, backend.dialect)
        subset = _training_subset(prepared, filled, config)
        if subset is not None:
            # Train m on a few whole cercles, then carry the model to all records (see below).
            train_tables = [
                backend.register(_for_duckdb(frame), f"training_{i + 1}") for i, frame in enumerate(subset)
            ]
            training = train_tables if linking else train_tables[0]
        else:
            training = tables if linking else tables[0]
        trained_settings = _train(training, settings, kind, filled, config, stages)
        learned = None
        if config.reviews is not None and not linking:
            stages.start("reviews")
            learned = learning.Learned(len(config.reviews.confirmed), len(config.reviews.rejected))
            if config.learn_m:
                reviewed = Linker(tables[0], trained_settings, log_level=None)
                trained_settings = learning.m_from_reviews(
                    reviewed, trained_settings, config.reviews, learned
                )
        linker = Linker(tables if linking else tables[0], trained_settings, log_level=None)
        if subset is not None:
            stages.start("prior")
            _estimate_prior(linker, kind, filled, config)
            stages.start("u")
            linker.training.estimate_u_using_random_sampling(max_pairs=config.max_pairs_u, seed=config.seed)

        stages.start("predict")
        predictions = linker.inference.predict(
            threshold_match_probability=config.pairs_threshold, warning_mode="never"
        )
        trained = linker.misc.save_model_to_json()
        raw_pairs = predictions.as_pandas_dataframe()
        backend.close()
        backend = None
        stages.start("cluster")
        pairs = _pairs_frame(raw_pairs, trained, linking)
        records = _records_frame(prepared, linking)
        comparisons = [c["output_column_name"] for c in trained["comparisons"]]
        pairs["one_to_one"] = (
            constraints.one_to_one(pairs, records) if config.one_to_one else np.ones(len(pairs), dtype=bool)
        )
        if kind == "people" and config.report_context and "event" in comparisons:
            pairs, lambda_event = context.rescore(
                pairs, records, float(trained["probability_two_random_records_match"]), "event"
            )
            comparisons.append(context.NAME)
            trained["probability_same_incident_victims_match"] = lambda_event
        result = LinkageResult(
            pairs=pairs,
            clusters=pd.DataFrame(),
            comparisons=comparisons,
            match_threshold=config.match_threshold if config.match_threshold is not None else 0.9,
            pairs_threshold=config.pairs_threshold,
            model=trained,
            timings=stages.timings,
            records=records,
            max_chain=config.max_chain if kind == "incidents" else 0,
            min_density=config.min_density,
        )
        probabilities = None
        if learned is not None and config.reviews is not None:
            learned.calibration = learning.fit_calibration(result.pairs, config.reviews)
            if learned.calibration is not None:
                probabilities = learning.calibrated(result.pairs, learned.calibration)
        result.learned = learned
        if config.match_threshold is None:
            stages.start("threshold")
            result.threshold_choice = threshold.choose_threshold(result, probabilities=probabilities)
            result.match_threshold = result.threshold_choice.threshold
        else:
            result.threshold_choice = threshold.expected_scores(result, config.match_threshold, probabilities)
        result.clusters = result.clusters_at(result.match_threshold)
    finally:
        stages.close()
        if backend is not None:  # a run that failed on the way
            backend.close()
    return result


def _train(
    tables: Any,
    settings: SettingsCreator,
    kind: str,
    filled: set[str],
    config: LinkageConfig,
    stages: _Stages,
) -> dict[str, Any]:
    """Prior, u and m (EM) on ``tables``; returns the trained model.

    An EM session that fails (no pairs in small data, or m of a level underflowing when EM drifts
    to another latent class) is skipped and the model before it is kept: Splink drops the
    comparisons a session conditions on while it runs, and a session that raises would otherwise
    leave the model without them.
    """
    trainer = Linker(tables, settings, log_level=None)
    stages.start("prior")
    _estimate_prior(trainer, kind, filled, config)
    stages.start("u")
    trainer.training.estimate_u_using_random_sampling(max_pairs=config.max_pairs_u, seed=config.seed)
    good = trainer.misc.save_model_to_json()
    stages.start("m (EM)")
    for rule in model.training_rules(config, kind, filled):
        try:
            trainer.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=config.max_pairs_em, estimate_without_term_frequencies=True
            )
        except (SplinkException, ValueError) as exc:
            logger.warning("EM session on %s skipped: %s", rule, exc)
            trainer = Linker(tables, good, log_level=None)
            continue
        trained = trainer.misc.save_model_to_json()
        if not _plausible_prior(float(trained["probability_two_random_records_match"])):
            logger.warning("EM session on %s skipped: it found every pair a match", rule)
            trainer = Linker(tables, good, log_level=None)
            continue
        good = trained
    return good


def _training_subset(
    prepared: Sequence[pd.DataFrame], filled: set[str], config: LinkageConfig
) -> list[pd.DataFrame] | None:
    """The records of randomly chosen whole cercles, about ``config.training_records`` of them.

    Why whole cercles rather than random records: EM needs true matches to be a fair share of the
    blocked training pairs. Sampling records keeps that share unchanged (matches and namesakes are
    both pairs, both thinned by the square of the rate), and in a national list namesakes from
    across the country swamp the matches, so EM converges on some other latent class. Within a few
    cercles, a person's records stay together and namesakes are as rare as in a small list. m (how
    often a true match agrees) does not depend on the list's size; u and the prior, which do, are
    estimated again on all records.
    """
    total = sum(len(frame) for frame in prepared)
    if total <= config.training_records or "admin2" not in filled:
        return None
    counts = pd.concat([frame["admin2"] for frame in prepared]).value_counts()
    order = counts.sample(frac=1.0, random_state=config.seed)
    chosen = order.index[order.cumsum() <= config.training_records]
    return [frame[frame["admin2"].isin(chosen)].reset_index(drop=True) for frame in prepared]


def _estimate_prior(linker: Linker, kind: str, filled: set[str], config: LinkageConfig) -> None:
    rule = model.deterministic_rule(kind, filled)
    if rule is None:
        return
    settings = linker._settings_obj  # Splink exposes no setter for the prior
    before = settings._probability_two_random_records_match
    try:
        linker.training.estimate_probability_two_random_records_match(
            [rule], recall=config.deterministic_recall
        )
    except (ValueError, SplinkException) as exc:  # too few or too many deterministic matches
        logger.warning("prior not estimated, Splink's default kept: %s", exc)
    if not _plausible_prior(settings._probability_two_random_records_match):
        # a handful of records: "every pair matches" is not an estimate, and a prior of 1 has no odds
        settings._probability_two_random_records_match = before


def _plausible_prior(value: float) -> bool:
    """Most pairs of records are not one person or event: a prior of ½ or more is a failed estimate."""
    return 0 < value < 0.5
