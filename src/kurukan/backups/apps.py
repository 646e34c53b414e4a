from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Encrypted backups and restores: owns the `backup` and `restore` commands (they moved from evidence)."""

    name = "kurukan.backups"
    verbose_name = _("Sauvegardes")
