"""Reparation claims under Act No. 2022-041 (15 November 2022) on victims of the crisis.

A claim is filed for one victim (a Person) — by the victim or an heir — for one or more of the violations
they suffered, and moves through a dated status history to a decision and payments. The single-compensation
rule that ties claims together lives in `actions.py`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan.accounts.models import OwnedRecord
from kurukan.fields import EncryptedTextField
from kurukan.ids import new_public_id


class ClaimStatus(models.TextChoices):
    REGISTERED = "registered", _("Enregistrée")
    UNDER_REVIEW = "under_review", _("En cours d'examen")
    ELIGIBLE = "eligible", _("Éligible")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
    GRANTED = "granted", _("Réparation accordée")
    PAID = "paid", _("Payée")

    @classmethod
    def counting(cls) -> set[str]:
        """Statuses that hold a violation for the victim: every claim except one found not eligible, so a
        second claim waits for the first to be refused instead of racing it to payment."""
        return {cls.REGISTERED, cls.UNDER_REVIEW, cls.ELIGIBLE, cls.GRANTED, cls.PAID}

    @classmethod
    def found_eligible(cls) -> set[str]:
        return {cls.ELIGIBLE, cls.GRANTED, cls.PAID}


class Measure(models.TextChoices):
    """The five forms of reparation of the UN Basic Principles (A/RES/60/147, §§ 19–23) the Act follows."""

    COMPENSATION = "compensation", _("Indemnisation")
    RESTITUTION = "restitution", _("Restitution")
    REHABILITATION = "rehabilitation", _("Réadaptation")
    SATISFACTION = "satisfaction", _("Satisfaction")
    NON_REPETITION = "non_repetition", _("Garanties de non-répétition")


class Relationship(models.TextChoices):
    SELF = "self", _("La victime elle-même")
    SPOUSE = "spouse", _("Conjoint ou conjointe")
    CHILD = "child", _("Enfant")
    PARENT = "parent", _("Père ou mère")
    SIBLING = "sibling", _("Frère ou sœur")
    OTHER = "other", _("Autre ayant droit")


def _claim_reference() -> str:
    return new_public_id("REP")


class ClaimQuerySet(models.QuerySet["Claim"]):
    def counting(self) -> ClaimQuerySet:
        """The claims that block a second claim for the same victim and violation (ClaimStatus.counting)."""
        return self.filter(status__in=ClaimStatus.counting())


class Claim(OwnedRecord):
    reference = models.CharField(
        _("référence"), max_length=24, unique=True, default=_claim_reference, editable=False
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("victime"), on_delete=models.PROTECT, related_name="claims"
    )
    violations = models.ManyToManyField(
        "incidents.Violation", verbose_name=_("violations"), related_name="claims"
    )
    relationship = models.CharField(
        _("demandeur"), max_length=12, choices=Relationship.choices, default=Relationship.SELF
    )
    # An heir's name identifies a family as surely as the victim's: encrypted like the Person's names.
    claimant_name = EncryptedTextField(_("nom de l'ayant droit"), blank=True)
    harm = EncryptedTextField(_("préjudice subi"))
    measures_requested = models.JSONField(_("mesures demandées"), default=list)
    measures_granted = models.JSONField(_("mesures accordées"), default=list, blank=True)
    amount_requested = models.PositiveBigIntegerField(_("montant demandé (FCFA)"), null=True, blank=True)
    amount_granted = models.PositiveBigIntegerField(_("montant accordé (FCFA)"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.REGISTERED, db_index=True
    )
    deciding_body = models.CharField(_("organe de décision"), max_length=200, blank=True)
    decided_on = models.DateField(_("date de la décision"), null=True, blank=True)
    filed_on = models.DateField(_("déposée le"))
    history = HistoricalRecords()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de réparation")
        verbose_name_plural = _("demandes de réparation")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def public_id(self) -> str:
        """The reference, under the name the audit log and shared templates read identifiers by."""
        return self.reference

    @property
    def paid_total(self) -> int:
        return self.payments.aggregate(total=Sum("amount"))["total"] or 0


class StatusChange(models.Model):
    """One dated step of a claim: the history the Act's commission and the victim can both read."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("statut"), max_length=16, choices=ClaimStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("observation"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.status}"


class Payment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("payé le"))
    amount = models.PositiveBigIntegerField(_("montant (FCFA)"))
    reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount}"
