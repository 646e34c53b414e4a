from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "kurukan.justice"
    verbose_name = _("Justice : procédures et interventions")
