from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReparationsConfig(AppConfig):
    name = "kurukan.reparations"
    verbose_name = _("Réparations")
