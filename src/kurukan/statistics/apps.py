from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "kurukan.statistics"
    label = "statistics"
    verbose_name = _("Statistiques")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import aggregates, facts

        post_migrate.connect(aggregates.ensure_triggers, sender=self, dispatch_uid="statistics_triggers")
        post_migrate.connect(facts.ensure_triggers, sender=self, dispatch_uid="statistics_fact_triggers")
