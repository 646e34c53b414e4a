"""An estimate of how many victims no list recorded: its parameters, its progress, its result, its publication.

The result holds counts only (capture patterns, estimates, intervals): never a record id or a name, so an
estimate can be shown to anyone allowed to see it and, once an analyst publishes it, to the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminée")
    FAILED = "failed", _("Échec")


class EstimateRunQuerySet(models.QuerySet["EstimateRun"]):
    def published(self) -> EstimateRunQuerySet:
        return self.filter(published=True, status=RunStatus.DONE)


class EstimateRun(models.Model):
    # {"violation_type": "life", "date_from": "2022-01-01", "organisations": ["amdh", …], "method": …}
    parameters = models.JSONField(_("paramètres"), default=dict)
    status = models.CharField(_("statut"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    # {"strata": [...], "total": {...}, "group_victims_excluded": n, ...}: see jobs.run_estimate
    result = models.JSONField(_("résultat"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    published = models.BooleanField(_("publiée"), default=False, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    objects = EstimateRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("estimation")
        verbose_name_plural = _("estimations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"estimate {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def is_publishable(self) -> bool:
        total = (self.result or {}).get("total") or {}
        return self.status == RunStatus.DONE and total.get("estimate") is not None
