"""Probabilistic record linkage (de-duplication) of people and incidents, with Splink on DuckDB.

The same killing is reported by a family to an NGO, by a monitor to the UN and by the press; the
same victim appears as "Amadou Maïga, 34" and "Hamadou Maiga, about 35". This package scores
candidate pairs of records with the Fellegi–Sunter model (Fellegi & Sunter 1969), estimated from the
data itself with Splink (u by random sampling, m by expectation maximisation), and groups records
into entities by connected components at a probability threshold. See ``engine`` for the method
and its assumptions, ``names`` for Malian name standardisation, ``model`` for the comparisons.

    from kurukan.analysis.linkage import LinkageConfig, dedupe_people
    result = dedupe_people(frame, LinkageConfig(id_column="record_id", columns={...}))
    result.pairs, result.clusters, result.evidence(0)

No Django import here: this runs in a notebook, a task worker or the ``kurukan link`` command.
"""

from __future__ import annotations

import pandas as pd

from .config import INCIDENT_ROLES, PERSON_ROLES, LinkageConfig
from .engine import run
from .evaluation import Scores, bcubed_scores, pairwise_scores
from .learning import Learned, Reviews
from .messages import LinkageInputError
from .names import canonical_family, canonical_given, normalise, phonetic_key, split_full_name
from .result import Evidence, LinkageResult

__all__ = [
    "INCIDENT_ROLES",
    "PERSON_ROLES",
    "Evidence",
    "LinkageConfig",
    "LinkageInputError",
    "LinkageResult",
    "Learned",
    "Reviews",
    "Scores",
    "bcubed_scores",
    "canonical_family",
    "canonical_given",
    "dedupe_incidents",
    "dedupe_people",
    "link_incidents",
    "link_people",
    "normalise",
    "pairwise_scores",
    "phonetic_key",
    "split_full_name",
]


def dedupe_people(frame: pd.DataFrame, config: LinkageConfig | None = None) -> LinkageResult:
    """Find the records of one list that describe the same person."""
    return run("people", [frame], config or LinkageConfig())


def link_people(
    frame_a: pd.DataFrame,
    frame_b: pd.DataFrame,
    config: LinkageConfig | None = None,
    sources: tuple[str, str] = ("a", "b"),
) -> LinkageResult:
    """Find the people of list A who are also in list B; ``sources`` names the lists in the result.
    Records are not de-duplicated within a list."""
    return run("people", [frame_a, frame_b], config or LinkageConfig(), sources=sources)


def dedupe_incidents(frame: pd.DataFrame, config: LinkageConfig | None = None) -> LinkageResult:
    """Find the incident reports that describe the same event."""
    return run("incidents", [frame], config or LinkageConfig())


def link_incidents(
    frame_a: pd.DataFrame,
    frame_b: pd.DataFrame,
    config: LinkageConfig | None = None,
    sources: tuple[str, str] = ("a", "b"),
) -> LinkageResult:
    """Find the incidents of list A that are also reported in list B."""
    return run("incidents", [frame_a, frame_b], config or LinkageConfig(), sources=sources)
