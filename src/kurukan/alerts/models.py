"""Early-warning alerts: a cercle or commune whose weekly count rose beyond what its own history predicts.

Each alert keeps its evidence (the count, the expected count and the count from which the rule alerts) so
that a coordinator can judge it; it names an area and a week, never a record. Alerts are computed per
organisation over its own records (seen whole by its coordinators), and over every record for
administrators (`organisation` empty).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Organisation, Role
from kurukan.places.models import AdminUnit


class AlertQuerySet(models.QuerySet["Alert"]):
    def for_user(self, user) -> AlertQuerySet:
        """Coordinators read their organisation's alerts, administrators every alert; nobody else any."""
        if not user.is_authenticated:
            return self.none()
        if user.role == Role.ADMINISTRATOR:
            return self
        if user.role == Role.COORDINATOR and user.organisation_id is not None:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Alert(models.Model):
    class Rule(models.TextChoices):
        MODEL = "model", _("modèle quasi-Poisson saisonnier")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    area = models.ForeignKey(AdminUnit, verbose_name=_("zone"), on_delete=models.PROTECT, related_name="+")
    week = models.DateField(_("semaine du"))  # its Monday
    rule = models.CharField(_("règle"), max_length=10, choices=Rule.choices, default=Rule.MODEL)
    observed = models.PositiveIntegerField(_("incidents observés"))
    expected = models.FloatField(_("incidents attendus"))
    upper = models.FloatField(_("seuil d'alerte"))
    window_weeks = models.PositiveSmallIntegerField(_("semaines comptées"), default=1)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-week", "-observed"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "area", "week", "rule", "window_weeks"], name="unique_alert_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.week}: {self.observed} > {self.upper}"


class AlertSubscription(models.Model):
    """A coordinator (or administrator) who wants the weekly alerts by email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("abonné le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement aux alertes")
        verbose_name_plural = _("abonnements aux alertes")

    def __str__(self) -> str:
        return f"alerts → user {self.user_id}"
