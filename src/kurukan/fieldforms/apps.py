from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldFormsConfig(AppConfig):
    name = "kurukan.fieldforms"
    label = "fieldforms"
    verbose_name = _("Formulaires de terrain")
