"""Import jobs, the external ids that make re-imports idempotent, and the quarantine of rejected rows.

A job reads one file (kept under the data directory until the job ends) and counts every row it read
into exactly one of created, updated, unchanged, quarantined or skipped. `rows_done` is the resume point:
it moves in the same transaction as each batch's records, so a job killed mid-batch resumes after the
last batch that committed, without writing anything twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Confidentiality, Organisation
from kurukan.fields import EncryptedTextField
from kurukan.jobs import JobRun, JobRunQuerySet


class ImportJob(JobRun):
    # None for a system-wide register (recommendations): no organisation owns what it writes.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confidentiality = models.CharField(
        _("confidentialité"),
        max_length=24,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )
    format = models.CharField(_("format"), max_length=20)
    filename = models.CharField(_("fichier"), max_length=255)
    # Where the uploaded file waits for the worker; removed when the job is done.
    path = models.CharField(max_length=500, blank=True)
    rows_read = models.PositiveIntegerField(_("lignes lues"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("créées"), default=0)
    updated = models.PositiveIntegerField(_("mises à jour"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangées"), default=0)
    quarantined = models.PositiveIntegerField(_("en quarantaine"), default=0)
    skipped = models.PositiveIntegerField(_("écartées"), default=0)
    # {"reason code": count}, e.g. {"acled_battle": 3}: counts only
    skipped_reasons = models.JSONField(default=dict, blank=True)
    # A partner's layout read through a saved mapping to the template's columns (format "template").
    mapping = models.ForeignKey(
        "imports.ColumnMapping", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = JobRunQuerySet.as_manager()  # type: ignore[misc]  # the same manager, typed for this model

    class Meta(JobRun.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"import {self.pk} ({self.format}, {self.status})"

    def summary(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "skipped": self.skipped,
        }

    @property
    def summary_line(self) -> str:
        """The line the command line ends with; its words are an interface (issue #9), never translated."""
        return ", ".join(f"{name} {count}" for name, count in self.summary().items())


class ExternalId(models.Model):
    """A record's id in another system ("acled" → "MLI-EXAMPLE-1"): one row per (source, key, organisation)."""

    source = models.CharField(_("source"), max_length=20)
    key = models.CharField(_("identifiant"), max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="external_keys")
    # A hash of what the source said last time: the same digest again means "unchanged".
    digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("identifiant externe")
        verbose_name_plural = _("identifiants externes")
        constraints = [
            models.UniqueConstraint(fields=["source", "key", "organisation"], name="external_id_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key}"


class QuarantinedRow(models.Model):
    """A row that could not go in, kept with its error until a user corrects it. Encrypted: it may hold names."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="quarantine")
    row_number = models.PositiveIntegerField(_("ligne"))
    field = models.CharField(_("champ"), max_length=100)
    # The whole row as {column: value} (JSON), the faulty value, and the messages: all may quote a name.
    values = EncryptedTextField(_("valeurs"))
    value = EncryptedTextField(_("valeur"), blank=True)
    message_fr = EncryptedTextField(_("message (français)"))
    message_en = EncryptedTextField(_("message (anglais)"))
    # [{"pcode": "ML0401", "name": "Djenné (Mopti)"}, …] when a place name matched several places or none
    candidates = models.JSONField(default=list, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ligne en quarantaine")
        verbose_name_plural = _("lignes en quarantaine")
        ordering = ["job", "row_number"]
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="quarantine_row_once")]

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_number}"


class ServerKind(models.TextChoices):
    KOBO = "kobo", "KoboToolbox"
    ODK = "odk", "ODK Central"


class ServerConnection(models.Model):
    """A saved connection to one form on a KoboToolbox or ODK Central server, pulled into import jobs.

    The credentials are encrypted at rest like the records (a token opens every submission of the form,
    names included) and never shown again, logged or audited. `watermark` is the latest submission time
    seen: the next pull asks only for submissions at or after it (external ids absorb the overlap).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("serveur"), max_length=10, choices=ServerKind.choices)
    url = models.URLField(_("adresse du serveur"), max_length=500)
    project = models.CharField(_("projet (ODK Central)"), max_length=40, blank=True)
    form_id = models.CharField(_("formulaire"), max_length=200)
    # ODK Central: the account's e-mail (HTTP Basic); empty with a KoboToolbox token or an ODK bearer token.
    username = EncryptedTextField(_("identifiant"), blank=True)
    secret = EncryptedTextField(_("jeton ou mot de passe"))
    confidentiality = models.CharField(
        _("confidentialité des fiches importées"),
        max_length=24,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )
    scheduled = models.BooleanField(_("relevé automatique (kurukan pull --scheduled)"), default=True)
    watermark = models.CharField(max_length=40, blank=True)
    last_pulled_at = models.DateTimeField(null=True, blank=True)
    # What the last pull or test said, in both languages (our message, never the server's body: it may
    # quote a submission).
    last_message_fr = models.CharField(max_length=500, blank=True)
    last_message_en = models.CharField(max_length=500, blank=True)
    last_job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("connexion à un serveur de formulaires")
        verbose_name_plural = _("connexions à des serveurs de formulaires")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def last_message(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "fr").startswith("en")
        return (self.last_message_en if english else self.last_message_fr) or self.last_message_fr


class ColumnMapping(models.Model):
    """A partner's spreadsheet layout mapped once to the template's columns, found again by its header.

    `signature` is a hash of the folded column names (not the names: a header may carry a person's name in
    a badly made sheet); `columns` maps each of the file's columns (folded) to a template column, or "" to
    leave it out. The next file with the same columns is read through it without asking."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=120)
    signature = models.CharField(max_length=64)
    columns = EncryptedTextField(_("correspondance des colonnes (JSON)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correspondance de colonnes")
        verbose_name_plural = _("correspondances de colonnes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "signature"], name="column_mapping_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, str]:
        import json

        return json.loads(self.columns)
