from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServerConfig(AppConfig):
    name = "kurukan.server"
    verbose_name = _("Serveur")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
