"""An estimate of how many victims no list recorded: its parameters, its progress, its result, its publication.

The result holds counts only (capture patterns, estimates, intervals): never a record id or a name, so an
estimate can be shown to anyone allowed to see it and, once an analyst publishes it, to the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.jobs import JobRun, JobRunQuerySet, JobStatus


class EstimateRunQuerySet(JobRunQuerySet):
    def published(self) -> EstimateRunQuerySet:
        return self.filter(published=True, status=JobStatus.DONE)


class EstimateRun(JobRun):
    # {"violation_type": "life", "date_from": "2022-01-01", "organisations": ["amdh", …], "method": …}
    parameters = models.JSONField(_("paramètres"), default=dict)
    # {"strata": [...], "total": {...}, "group_victims_excluded": n, ...}: see jobs.run_estimate
    result = models.JSONField(_("résultat"), null=True, blank=True)
    published = models.BooleanField(_("publiée"), default=False, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    objects = EstimateRunQuerySet.as_manager()  # type: ignore[misc]  # JobRun's, with published()

    class Meta(JobRun.Meta):
        verbose_name = _("estimation")
        verbose_name_plural = _("estimations")

    def __str__(self) -> str:
        return f"estimate {self.pk} ({self.status})"

    @property
    def is_publishable(self) -> bool:
        total = (self.result or {}).get("total") or {}
        return self.status == JobStatus.DONE and total.get("estimate") is not None
