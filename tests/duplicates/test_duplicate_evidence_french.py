"""Every comparison level the linkage model can write is read in French on the review queue (issue #16)."""

from __future__ import annotations

import re
from pathlib import Path

import kurukan
from kurukan.duplicates.presenters import LEVELS, evidence_lines

MODEL = Path(kurukan.__file__).parent / "analysis" / "linkage" / "model.py"


def _levels_the_model_writes() -> set[str]:
    # Each level is declared as _level(<sql>, "<label>"), the label possibly on the next line.
    return set(re.findall(r'_level\(\s*(?:f?"[^"]*"|[^,]+),\s*"([^"]+)"', MODEL.read_text(), re.S))


def test_every_level_label_of_the_model_has_its_french_words():
    labels = _levels_the_model_writes()
    assert len(labels) > 20  # the pattern still finds the model's levels
    assert sorted(label for label in labels if label not in LEVELS) == []


def test_a_week_in_the_same_commune_reads_in_french():
    supports, _against = evidence_lines(
        [{"field": "date", "level": "within a week, same commune", "bf": 8.0}]
    )
    assert supports[0]["level"] == "à une semaine près, même commune"
