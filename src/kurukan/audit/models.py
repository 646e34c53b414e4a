"""An append-only log of who did what, each entry chained to the one before by SHA-256.

Editing, deleting or reordering entries breaks the chain, which `kurukan audit verify` detects. Entries
carry ids and codes only, never a name or a narrative: the log must be safe to show an auditor.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class Action(models.TextChoices):
    CREATE = "create", _("création")
    CHANGE = "change", _("modification")
    DELETE = "delete", _("suppression")
    SUBMIT = "submit", _("soumission")
    VERIFY = "verify", _("vérification")
    VIEW = "view", _("consultation")
    SHARE = "share", _("partage")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")
    LOGIN = "login", _("connexion")
    LOGIN_FAILED = "login_failed", _("échec de connexion")
    LOGOUT = "logout", _("déconnexion")
    KEY_ROTATION = "key_rotation", _("rotation des clés")
    MERGE = "merge", _("fusion")
    SYSTEM = "system", _("système")


class AuditEvent(models.Model):
    sequence = models.BigIntegerField(_("numéro"), unique=True)
    at = models.DateTimeField(_("date"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), null=True, on_delete=models.SET_NULL
    )
    username = models.CharField(_("identifiant"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=60, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"

    def compute_hash(self) -> str:
        return chain_hash(
            self.previous_hash,
            {
                "sequence": self.sequence,
                "at": self.at.isoformat(),
                "user": self.user_id,
                "username": self.username,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "details": self.details,
            },
        )


def chain_hash(previous_hash: str, payload: dict) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()
