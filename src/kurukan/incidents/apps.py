from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kurukan.incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kurukan.dbstats import analyze

        # Once per `migrate` (this app's signal only), not once per app.
        post_migrate.connect(lambda sender, using="default", **kw: analyze(using), sender=self, weak=False)
