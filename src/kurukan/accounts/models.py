"""Organisations and users. Roles decide what a user may do; kurukan.accounts.access decides what they see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    # Restricted and strictly confidential records stay out of public figures unless the organisation that
    # owns them decides otherwise (even counted, a rare case in a small place can point at a person).
    public_figures_include_confidential = models.BooleanField(
        _("compter ses dossiers restreints et strictement confidentiels dans les chiffres publics"),
        default=False,
    )
    # A UN entity (the human-rights office, a peace operation, UNICEF…): identities shared with it need the
    # person's consent to share with the United Nations, not a consent naming it as a partner
    # (kurukan.people.consent.persons_allowing_share). Set by an administrator; docs/security.md.
    un_entity = models.BooleanField(_("entité des Nations Unies"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrateur")
    COORDINATOR = "coordinator", _("Coordinateur (vérification)")
    MONITOR = "monitor", _("Chargé de monitoring")
    ANALYST = "analyst", _("Analyste")
    FOCAL_POINT = "focal_point", _("Point focal de suivi")
    # Need-to-know (issue #15): sees the survivors of sexual violence and child victims of its organisation.
    PROTECTION_SPECIALIST = "protection", _("Spécialiste VBG / protection de l'enfance")
    VIEWER = "viewer", _("Lecteur")


class User(AbstractUser):
    """A person signed in. What their role lets them see or do is decided in kurukan.accounts.access, never
    here: a rule on the user alone cannot check the record's organisation, and that is how records leak."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Interne")
    RESTRICTED = "restricted", _("Restreint")
    STRICTLY_CONFIDENTIAL = "strictly_confidential", _("Strictement confidentiel")


class OwnedRecord(models.Model):
    """What every protected record has: an owning organisation, a confidentiality level, an author."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    confidentiality = models.CharField(
        _("confidentialité"), max_length=24, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("créé par"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class IncidentShare(models.Model):
    """An explicit, revocable grant of one organisation's incident to another organisation.

    Kept with the access rules (not with incidents) because it only ever answers "who may read this".
    Identities travel only when the share says so: by default the other organisation sees the record
    de-identified, as the GBVIMS/Primero rule on sharing case files asks.
    """

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT)
    include_identities = models.BooleanField(_("avec les identités"), default=False)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("partagé le"), auto_now_add=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("partage")
        verbose_name_plural = _("partages")
        indexes = [models.Index(fields=["organisation", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.organisation_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CountShare(models.Model):
    """One organisation lets another see its counts — never its records — in the other's figures, under the
    public figures' small-cell rule, as the GBVIMS information-sharing protocols do. Revocable."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation qui partage"), on_delete=models.PROTECT, related_name="+"
    )
    shared_with = models.ForeignKey(
        Organisation, verbose_name=_("partagé avec"), on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("partagé le"), auto_now_add=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("partage de chiffres")
        verbose_name_plural = _("partages de chiffres")

    def __str__(self) -> str:
        return f"counts of {self.organisation_id} → {self.shared_with_id}"
