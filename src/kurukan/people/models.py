"""People: victims, witnesses, sources and individual alleged perpetrators.

Identifying fields are encrypted at rest; the fields statistics need (sex, birth year, categories) are not.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kurukan import crypto, versions
from kurukan.accounts.models import OwnedRecord
from kurukan.fields import EncryptedTextField
from kurukan.ids import new_public_id
from kurukan.vocabularies.models import Term


class Sex(models.TextChoices):
    FEMALE = "female", _("Femme / fille")
    MALE = "male", _("Homme / garçon")
    UNKNOWN = "unknown", _("Inconnu")


def _person_id() -> str:
    return new_public_id("P")


class Person(OwnedRecord):
    public_id = models.CharField(
        _("identifiant"), max_length=20, unique=True, default=_person_id, editable=False
    )
    given_name = EncryptedTextField(_("prénom(s)"), blank=True)
    family_name = EncryptedTextField(_("nom de famille"), blank=True)
    other_names = EncryptedTextField(_("autres noms, surnoms"), blank=True)
    phone = EncryptedTextField(_("téléphone"), blank=True)
    id_number = EncryptedTextField(_("numéro d'identité (NINA, carte)"), blank=True)
    address = EncryptedTextField(_("adresse"), blank=True)
    name_index = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    sex = models.CharField(_("sexe"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    birth_year_estimated = models.BooleanField(_("année estimée"), default=False)
    categories = models.ManyToManyField(
        Term, verbose_name=_("catégories"), blank=True, limit_choices_to={"vocabulary": "victim_category"}
    )
    # Set when the identity was erased (on request or by a retention rule): the fields above are empty in
    # this row and in every history row; the non-identifying facts stay (kurukan.people.retention).
    identity_erased_on = models.DateField(_("identité effacée le"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné dans"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = versions.HistoricalRecords(excluded_fields=["name_index"])

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")

    def __str__(self) -> str:
        return self.public_id

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def save(self, *args, **kwargs) -> None:
        self.name_index = crypto.blind_index(self.full_name)
        super().save(*args, **kwargs)

    @classmethod
    def index_for(cls, full_name: str) -> str:
        return crypto.blind_index(full_name)


class ConsentPurpose(models.TextChoices):
    STORE = "store", _("Conserver les informations")
    SHARE_UN = "share_un", _("Partager avec les Nations Unies")
    SHARE_PARTNER = "share_partner", _("Partager avec une organisation partenaire nommée")
    PUBLISH_ANONYMISED = "publish_anonymised", _("Publier sous forme anonymisée")
    REFER = "refer", _("Orienter vers des services")
    PROCEEDINGS = "proceedings", _("Prendre part à une procédure judiciaire")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Donné")
    REFUSED = "refused", _("Refusé")
    REVOKED = "revoked", _("Révoqué")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Oral")
    WRITTEN = "written", _("Écrit")
    GUARDIAN = "guardian", _("Par un parent ou tuteur (enfant)")


class Consent(models.Model):
    """A person's answer for one purpose (and, for sharing with a partner, one named organisation).

    One row per person, purpose and partner: a revocation changes the row in place, takes effect at once
    and the earlier answer stays in its history (simple_history). Read it through kurukan.people.consent.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("objet"), max_length=24, choices=ConsentPurpose.choices)
    partner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation partenaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("réponse"), max_length=10, choices=ConsentStatus.choices, default=ConsentStatus.GIVEN
    )
    method = models.CharField(
        _("recueilli"), max_length=10, choices=ConsentMethod.choices, default=ConsentMethod.VERBAL
    )
    recorded_on = models.DateField(_("recueilli le"))
    revoked_on = models.DateField(_("révoqué le"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        # One row per person, purpose and partner: kept by kurukan.people.consent.record (a NULL partner
        # defeats a unique constraint on SQLite and PostgreSQL < 15).

    def __str__(self) -> str:
        return f"{self.purpose}: {self.status}"

    @property
    def in_force(self) -> bool:
        return self.status == ConsentStatus.GIVEN


class RetentionKind(models.TextChoices):
    SOURCE_IDENTITIES = "source_identities", _("Identités des sources")
    VICTIM_IDENTITIES = "victim_identities", _("Identités des victimes et témoins")
    # Counted from the draft's last change, not from the facts: a draft nobody touched for `years` is deleted.
    ABANDONED_DRAFTS = "abandoned_drafts", _("Brouillons abandonnés")


class RetentionRule(models.Model):
    """How long an organisation keeps one kind of identity once its incidents are closed, counted from the
    date of the facts (their end, else their start). Applied by `kurukan retention run` (cron)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type de données"), max_length=24, choices=RetentionKind.choices)
    years = models.PositiveSmallIntegerField(_("conservées pendant (années après les faits)"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle de conservation")
        verbose_name_plural = _("règles de conservation")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_retention_rule_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.kind} {self.years}"
