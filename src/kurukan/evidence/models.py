"""Evidence: files kept by SHA-256 (storage.py) and the custody trail of who did what with each of them.

File names, descriptions and the people evidence came from or went to can identify someone: they are
encrypted at rest. The hash, size and media type stay in clear so integrity can be checked by anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan.accounts.models import OwnedRecord
from kurukan.audit.models import Action
from kurukan.fields import EncryptedTextField


class CustodyAction(models.TextChoices):
    RECEIVED = "received", _("reçu")
    VIEWED = "viewed", _("consulté")
    DOWNLOADED = "downloaded", _("téléchargé (copie)")
    EXPORTED = "exported", _("exporté")
    TRANSFERRED = "transferred", _("transféré")
    VERIFIED = "verified", _("intégrité vérifiée")

    @property
    def audit_action(self) -> str:
        return {
            "received": Action.CREATE,
            "viewed": Action.VIEW,
            "downloaded": Action.EXPORT,
            "exported": Action.EXPORT,
            "transferred": Action.SHARE,
            "verified": Action.VERIFY,
        }[self.value]


class EvidenceItem(OwnedRecord):
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        related_name="evidence_items",
    )
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True, editable=False)
    size = models.PositiveBigIntegerField(_("taille (octets)"), editable=False)
    original_name = EncryptedTextField(_("nom du fichier d'origine (protégé)"), blank=True)
    media_type = models.CharField(_("type de média"), max_length=127, default="application/octet-stream")
    description = EncryptedTextField(_("description (protégée)"), blank=True)
    received_from = EncryptedTextField(_("reçu de (protégé)"), blank=True)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reçu par"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("élément de preuve")
        verbose_name_plural = _("éléments de preuve")
        ordering = ["incident", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "sha256"], name="evidence_one_item_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} · {self.sha256[:12]}"


class CustodyEvent(models.Model):
    """Append-only: a custody trail that could be edited would prove nothing in court."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="custody_events")
    action = models.CharField(_("action"), max_length=20, choices=CustodyAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    counterparty = EncryptedTextField(_("de qui / à qui (protégé)"), blank=True)
    note = EncryptedTextField(_("note (protégée)"), blank=True)
    integrity_ok = models.BooleanField(_("intégrité confirmée"), null=True, blank=True)

    class Meta:
        verbose_name = _("événement de la chaîne de traçabilité")
        verbose_name_plural = _("chaîne de traçabilité")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.action} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Custody events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Custody events cannot be deleted.")
