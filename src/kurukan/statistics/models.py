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
    # The violation's fact row (no column: joined on violation_id), so a figure filters and groups the rows
    # on the flat facts without reading the violation and its incident.
    fact = models.ForeignObject(
        "ViolationFact",
        on_delete=models.DO_NOTHING,
        from_fields=["violation"],
        to_fields=["violation"],
        related_name="+",
        null=True,
    )

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


class ViolationFact(models.Model):
    """One row per violation, flat: everything a figure filters or groups on (issue #10, item 11).

    Written by database triggers in the same transaction as the write that changes it (`facts.py`): a
    violation added, changed or deleted; its incident's dates, places, status, merge, organisation or
    confidentiality; a source added or removed. The level flags are the `ViolationQuerySet` rules
    (`counted`, `documented`, `verified`), computed in SQL; a test compares both on every write path.
    Perpetrators are read from their own table (several per violation). No foreign key constraint: the
    triggers own the rows, and the relations only let the ORM join and read codes.
    """

    violation = models.OneToOneField(
        "incidents.Violation",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="fact",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    reported = models.BooleanField()
    documented = models.BooleanField()
    verified = models.BooleanField()
    start_date = models.DateField()
    end_date = models.DateField(null=True)
    # The period codes the breakdowns use, None when the date is not known that precisely (rules.py).
    year = models.IntegerField(null=True)
    quarter = models.IntegerField(null=True)  # 20223: 2022, third quarter
    month = models.IntegerField(null=True)  # 202203
    region = models.ForeignKey(
        "places.AdminUnit",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    cercle = models.ForeignKey(
        "places.AdminUnit",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    commune = models.ForeignKey(
        "places.AdminUnit",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    type = models.ForeignKey(
        "vocabularies.Term",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    counted_by = models.CharField(max_length=10)
    verification_status = models.CharField(max_length=20)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    confidentiality = models.CharField(max_length=24)

    def __str__(self) -> str:
        return str(self.violation_id)


class FactPerpetrator(models.Model):
    """The perpetrators table (`incidents.Perpetrator`), read from the fact rows: joined on the violation id
    straight to the fact row, not through the violation. Not managed: no table of its own, never written."""

    violation = models.ForeignKey(
        ViolationFact, on_delete=models.DO_NOTHING, db_constraint=False, related_name="perpetrators"
    )
    category = models.ForeignKey(
        "vocabularies.Term", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    actor = models.ForeignKey(
        "actors.Actor", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        managed = False
        db_table = "incidents_perpetrator"

    def __str__(self) -> str:
        return str(self.pk)
