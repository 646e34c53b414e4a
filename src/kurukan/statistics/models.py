"""The victims aggregate (issue #10, item 11): victims counted once per violation, kept by the database.

Counting victims live is a DISTINCT over (violation, person at the root of its merges, fields) across every
victim record: seconds on a national-size registry. `VictimCount` holds, for each violation, its victims
already counted by sex, age group and child/adult (and, in separate rows, by victim category), group members
included; `counting.table` sums these rows over the counted violations instead. What may change a row —
a victim, a group, a person's sex, birth year, categories or merges, the incident's date — is caught by
database triggers (every write path, the bulk ones included) that move the violation to `LiveCount`:
counted live until `aggregates.refresh` writes its rows again. See `aggregates.py` and docs/statistics.md.
"""

from __future__ import annotations

from django.db import models


class VictimCount(models.Model):
    """Victims of one violation with these victim fields (people once per violation, group members)."""

    violation = models.ForeignKey(
        "incidents.Violation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # False: one row per (sex, age group, child); True: the same, also split by victim category (a person
    # with two categories is in two rows), read only by breakdowns by victim category.
    per_category = models.BooleanField(default=False)
    sex = models.CharField(max_length=10)
    age_group = models.CharField(max_length=10)
    child = models.CharField(max_length=10)
    # None: no category (a row of its own, as the live count answers); only in per-category rows.
    victim_category = models.CharField(max_length=64, null=True)  # noqa: DJ001
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["violation", "per_category"], name="stat_victimcount_violation")]

    def __str__(self) -> str:
        return f"{self.violation_id}: {self.value}"


class LiveCount(models.Model):
    """A violation whose victims are counted live: changed since its rows were written (`pending`), or one
    whose victims the rows cannot hold exactly (the same person with two ages or sexes in it)."""

    violation_id = models.BigIntegerField(primary_key=True)
    pending = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["violation_id"], name="stat_livecount_pending", condition=models.Q(pending=True)
            )
        ]

    def __str__(self) -> str:
        return str(self.violation_id)
