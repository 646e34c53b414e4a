from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kurukan.accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the audit receivers)
