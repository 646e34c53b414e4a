from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "kurukan.recommendations"
    verbose_name = _("Suivi des recommandations")
    default_auto_field = "django.db.models.BigAutoField"
