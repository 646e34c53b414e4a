"""A report run: what was asked (kind, period, level, regions, organisations, language, format), by whom, the
fingerprint of the figures it read and the SHA-256 of the file it wrote.

The fingerprint hashes every figure the report printed, so recomputing the figures later and hashing them
again says whether the data behind the report changed. The audit chain's head at generation time is kept
beside it (which event the data stood at), but not hashed in: generating and downloading are themselves
audited, so the head moves with every look at a report. The data's version (`actions.data_version`: the
audit head without the reports' own events, the last version-history rows…) is kept too: the page counts the
figures again only when it moved.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kurukan.accounts.models import Organisation
from kurukan.jobs import JobRun, JobRunQuerySet


class Kind(models.TextChoices):
    PERIODIC = "periodic", _("Rapport périodique de situation")
    CHILDREN = "children", _("Tableaux enfants et conflits armés")
    BULLETIN = "bulletin", _("Bulletin public")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    XLSX = "xlsx", "XLSX (Excel)"


class Report(JobRun):
    kind = models.CharField(_("rapport"), max_length=12, choices=Kind.choices)
    file_format = models.CharField(_("format"), max_length=5, choices=FileFormat.choices, default="pdf")
    date_from = models.DateField(_("du"))
    date_to = models.DateField(_("au"))
    language = models.CharField(_("langue"), max_length=2, default="fr")
    verified_only = models.BooleanField(_("violations vérifiées seulement"), default=False)
    # Several regions (P-codes) or organisations at once; none means all of Mali, every organisation.
    regions = models.JSONField(_("régions (P-codes)"), default=list, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="+"
    )
    # Counted over everything (the command line without --user), not over the requester's view.
    everything = models.BooleanField(default=False)
    published = models.BooleanField(_("publié"), default=False)
    # The figures printed, {"key": number}, and their hash: "regenerate" compares against them.
    figures = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(_("empreinte des données"), max_length=64, blank=True)
    audit_head = models.CharField(_("tête de la chaîne d'audit"), max_length=80, blank=True)
    # The data's version when the figures were counted (actions.data_version), and the last "changed
    # since?" answer with the version it was counted at: the page recounts only when the version moved.
    data_version = models.CharField(max_length=64, blank=True)
    checked_version = models.CharField(max_length=64, blank=True)
    checked_changed = models.BooleanField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256 du fichier"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("taille"), default=0)
    regenerated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="regenerations"
    )

    objects = JobRunQuerySet.as_manager()  # type: ignore[misc]  # the same manager, typed for this model

    class Meta(JobRun.Meta):
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")

    def __str__(self) -> str:
        return f"report {self.pk} ({self.kind}, {self.status})"

    @property
    def level(self) -> str:
        return "verified" if self.verified_only else "documented"

    @property
    def filename(self) -> str:
        return (
            f"kurukan-{self.kind}-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}-{self.pk}.{self.file_format}"
        )

    def parameters(self) -> dict:
        """The parameters as the audit log and the API show them (no identity in them)."""
        return {
            "kind": self.kind,
            "format": self.file_format,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "lang": self.language,
            "verified": self.verified_only,
            "regions": list(self.regions),
            "organisations": self.organisation_codes(),
        }

    def organisation_codes(self) -> list[str]:
        if self.pk is None:
            return []
        return sorted(organisation.code for organisation in self.organisations.all())
