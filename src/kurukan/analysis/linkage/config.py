"""Configuration of a linkage run: which input column plays which role, thresholds, blocking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Roles a column of a person list can play. The names are the vocabulary of `--field ROLE=COLUMN`.
PERSON_ROLES: tuple[str, ...] = (
    "given_name",
    "family_name",
    "full_name",
    "sex",
    "age",
    "age_estimated",
    "birth_year",
    "birth_date",  # date of birth, full or partial: compared part by part (see model.birth_comparison)
    "date",  # of the incident the record reports: with a place, compared as "the same event"
    "date_precision",
    "admin1",
    "admin2",
    "admin3",
    "settlement",
    "latitude",
    "longitude",
    "identifier",
    "phone",
    "address",  # street and number of a residence
    "postcode",
    "violation_type",
    "report",
    "text",
)

INCIDENT_ROLES: tuple[str, ...] = (
    "start_date",
    "end_date",
    "date_precision",
    "admin1",
    "admin2",
    "admin3",
    "settlement",
    "latitude",
    "longitude",
    "violation_types",
    "perpetrator_categories",
    "n_victims",
    "title",
    "organisation",  # who filed the report: an organisation seldom files one event twice
    "text",
    # ids of the clusters, from a prior people linkage, of the victims the report names (a list, or
    # text separated by | ; or ,): two reports sharing a matched victim describe one event
    "victim_clusters",
)

# Candidate-pair (blocking) rules by name; a rule whose columns are all empty in the data is skipped.
# Names alone are weak evidence in Mali (a handful of family names covers much of the country), so
# every name rule is anchored by a place, a birth decade, a date or the other name.
PERSON_BLOCKING: tuple[str, ...] = (
    "commune_family",  # same commune (admin3) and family-name sound key
    "names_decade",  # given and family sound keys, same birth decade
    "names_decade_shifted",  # … decades shifted by five years, so ±5 years never falls between two
    "cercle_month_given",  # same cercle (admin2), incident month and given-name key
    "commune_given",  # same commune and given-name key (catches family-name misspellings)
    "cercle_day_sex",  # same cercle, same incident day and sex (the same event, names garbled)
    "swapped_names",  # the same two names, in either order
    "identifier",
    "phone",
    # lists of residents (skipped, like every rule, when their columns are empty)
    "birth_date",  # the same full date of birth
    "postcode_given",
    "postcode_family",
    "address",
    "given_birth_year",  # these two need a birth_date role: with ages alone a birth year is too common
    "family_birth_year",
)

# Blocking rules for EM training: each leaves out the comparisons it conditions on, so together
# they estimate every comparison at least once.
# Each is narrow enough that true matches are a fair share of its pairs even at national scale (on
# names alone, namesakes swamp them and EM finds no match class). Not "same commune and month": its
# pairs are mostly co-victims of one incident, and EM would learn "same incident", not "same person".
PERSON_TRAINING_BLOCKING: tuple[str, ...] = (
    "names_birth_year",
    "names_cercle",
    "cercle_birth_year",
    "birth_date",  # lists with dates of birth: trains names, places, addresses
)

INCIDENT_BLOCKING: tuple[str, ...] = (
    "cercle_month",  # same cercle and incident month
    "commune_year",  # same commune and year
    "settlement",
    "region_day",  # same region and start day
    "victim",  # a victim cluster in common (the first of each report's sorted list); needs victim_clusters
)
INCIDENT_TRAINING_BLOCKING: tuple[str, ...] = ("day", "cercle_month")


@dataclass
class LinkageConfig:
    """How to read the input and how hard to look for duplicates.

    ``columns`` maps a role (see ``PERSON_ROLES``, ``INCIDENT_ROLES``) to an input column; a role
    left out is treated as unknown for every record. When ``columns`` is empty, any input column
    named exactly like a role is used for it.
    """

    columns: dict[str, str] = field(default_factory=dict)
    id_column: str = "record_id"
    # Pairs at or above this posterior match probability are linked into one entity; None: the
    # threshold of maximum expected F1 (see ``threshold``).
    match_threshold: float | None = None
    # Scored pairs below this probability are not returned (they are neither links nor worth review).
    pairs_threshold: float = 0.1
    blocking: tuple[str, ...] | None = None  # None: PERSON_BLOCKING or INCIDENT_BLOCKING
    training_blocking: tuple[str, ...] | None = None
    # Random pairs sampled to estimate u; blocked pairs sampled for each EM session.
    max_pairs_u: float = 2e6
    max_pairs_em: float = 3e5
    # Above this many records, m is estimated on whole cercles holding about this many (engine).
    training_records: int = 15_000
    # The deterministic rule used to estimate the prior match probability is assumed to find this
    # share of the true matches.
    deterministic_recall: float = 0.6
    term_frequencies: bool = True
    # Keep, between two reports, a one-to-one assignment of their entries (see ``constraints``).
    one_to_one: bool = True
    # People: a pair of victims of two reports that share another confidently matched victim is
    # scored against the prior of victims of one incident (see ``context``).
    report_context: bool = True
    # Incidents: a cluster of more than ``max_chain`` reports whose links cover less than
    # ``min_density`` of its pairs is a chain of similar events and is split (0: never).
    max_chain: int = 8
    min_density: float = 0.3
    seed: int = 42
    threads: int = 2  # DuckDB threads; on Spark, the cores of the local session when one is started
    # "duckdb" (one machine, the default) or "spark" (see ``spark``: registries of several million
    # records, a cluster). ``spark_session``: an existing SparkSession; None starts a local one.
    backend: str = "duckdb"
    spark_session: Any = field(default=None, repr=False, compare=False)
    # Decisions of reviewers on earlier pairs (``learning.Reviews``): m and calibration learn from
    # them. One list de-duplicated only.
    reviews: Any = None
    # Also blend m with the m of the confirmed pairs. Off by default: measured, it lowers F1 (the queue
    # shows the likeliest pairs, so confirmed pairs over-state agreement; docs/benchmarks-linkage.md).
    learn_m: bool = False
    # strptime format of every date column (e.g. "%d.%m.%Y"); None: ISO, YYYYMMDD or DD/MM/YYYY.
    date_format: str | None = None
    # Year ages refer to when a record has no incident date.
    reference_year: int = 2024
    progress: bool = False
