from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "kurukan.places"
    verbose_name = _("Lieux")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kurukan.vocabularies import choices

        from .models import AdminUnit, BoundarySet

        # The region lists are kept per process (vocabularies/choices.py): read again after a change.
        for model in (AdminUnit, BoundarySet):
            post_save.connect(choices.changed, sender=model, dispatch_uid=f"choices-{model.__name__}-saved")
            post_delete.connect(
                choices.changed, sender=model, dispatch_uid=f"choices-{model.__name__}-deleted"
            )
