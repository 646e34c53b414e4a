"""De-duplication: linkage runs, the candidate pairs they propose, and the merges reviewers confirm.

Nothing here holds a name. A pair is two record ids, a probability and, per comparison, the agreement
level and its Bayes factor ("same birth year", ×12.5): enough to explain the score, never the values.
A merge deletes nothing: it points the duplicate at the survivor (`merged_into`) and can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.jobs import JobRun


class Kind(models.TextChoices):
    PEOPLE = "people", _("Personnes")
    INCIDENTS = "incidents", _("Incidents")


class Decision(models.TextChoices):
    PENDING = "pending", _("À examiner")
    CONFIRMED = "confirmed", _("Confirmé : même personne ou même incident")
    REJECTED = "rejected", _("Rejeté : différents")
    DEFERRED = "deferred", _("Reporté")


DEFAULT_THRESHOLD = 0.5


class LinkageRun(JobRun):
    """One search for duplicates of one kind, over the records its requester may see."""

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    threshold = models.FloatField(_("probabilité minimale proposée"), default=DEFAULT_THRESHOLD)
    n_records = models.PositiveIntegerField(_("fiches comparées"), default=0)
    n_pairs = models.PositiveIntegerField(_("paires proposées"), default=0)
    # What the run learnt from reviewers' decisions and the threshold it chose (``jobs.learned_summary``):
    # counts, comparison names and probabilities only, never a record.
    learned = models.JSONField(_("appris des décisions"), default=dict, blank=True)

    class Meta(JobRun.Meta):
        verbose_name = _("recherche de doublons")
        verbose_name_plural = _("recherches de doublons")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.kind}, {self.status})"


class CandidatePair(models.Model):
    """Two records a run found alike. `left_id` < `right_id`; they are Person or Incident ids by `kind`.

    One row per pair of records, whatever the number of runs: a later run refreshes the score of a
    pending or deferred pair and leaves a decided one alone.
    """

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="pairs")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    left_id = models.PositiveBigIntegerField()
    right_id = models.PositiveBigIntegerField()
    probability = models.FloatField(_("probabilité"))
    # [{"field": "name", "level": "same name or known variant", "bf": 41.2}, …], strongest first
    evidence = models.JSONField(_("éléments de preuve"), default=list)
    decision = models.CharField(
        _("décision"), max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paire candidate")
        verbose_name_plural = _("paires candidates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "left_id", "right_id"], name="pair_once_per_kind"),
            models.CheckConstraint(condition=models.Q(left_id__lt=models.F("right_id")), name="pair_ordered"),
        ]
        indexes = [models.Index(fields=["kind", "decision", "-probability"], name="pair_queue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.left_id}–{self.right_id} ({self.probability:.2f})"


class Merge(models.Model):
    """A confirmed pair put into effect: `duplicate_id` points at `survivor_id` until undone."""

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    pair = models.ForeignKey(CandidatePair, on_delete=models.PROTECT, related_name="merges")
    survivor_id = models.PositiveBigIntegerField()
    duplicate_id = models.PositiveBigIntegerField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("fusionné le"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("fusion")
        verbose_name_plural = _("fusions")
        ordering = ["-merged_at", "-id"]
        indexes = [models.Index(fields=["kind", "duplicate_id"], name="merge_duplicate")]

    def __str__(self) -> str:
        return f"{self.kind} {self.duplicate_id} → {self.survivor_id}"

    @property
    def active(self) -> bool:
        return self.undone_at is None
