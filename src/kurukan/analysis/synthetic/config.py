"""How much synthetic data to make, and how noisy: the one configuration object."""

from __future__ import annotations

from dataclasses import dataclass

from .model import (
    SOURCE_ORGS,
)

YEAR_WEIGHTS: dict[int, float] = {
    2012: 6, 2013: 5, 2014: 3, 2015: 4, 2016: 4, 2017: 5, 2018: 8,
    2019: 10, 2020: 11, 2021: 10, 2022: 13, 2023: 12, 2024: 11, 2025: 7,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyntheticConfig:
    n_events: int = 5000  # TRUE events; reports ≈ n_events × mean_reports_per_event
    seed: int = 42
    start_year: int = 2012
    end_year: int = 2025
    mean_reports_per_event: float = 1.45
    name_noise: float = 0.5  # 0 = every source spells names canonically; 1 = very noisy
    sources: tuple[str, ...] = SOURCE_ORGS
    unreported_events: bool = False  # True: events no organisation captured produce no report
    duplicate_rate: float = 0.03  # chance that an organisation files a second report of the same event

    def __post_init__(self) -> None:
        if not 2012 <= self.start_year <= self.end_year <= 2030:
            raise ValueError("start_year and end_year must satisfy 2012 <= start_year <= end_year <= 2030")
        unknown = set(self.sources) - set(SOURCE_ORGS)
        if unknown or not self.sources:
            raise ValueError(
                f"sources must be a non-empty subset of {SOURCE_ORGS}; unknown: {sorted(unknown)}"
            )
        if not 0.0 <= self.name_noise <= 1.0:
            raise ValueError("name_noise must be between 0 and 1")
        if self.mean_reports_per_event < 1.0:
            raise ValueError("mean_reports_per_event must be at least 1")
