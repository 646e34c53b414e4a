from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabulariesConfig(AppConfig):
    name = "kurukan.vocabularies"
    verbose_name = _("Vocabulaires")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import choices
        from .models import Term

        # Lists kept per process (choices.py) are read again after any change of a term or a migration.
        post_save.connect(choices.changed, sender=Term, dispatch_uid="choices-term-saved")
        post_delete.connect(choices.changed, sender=Term, dispatch_uid="choices-term-deleted")
        post_migrate.connect(choices.migrated, sender=self, dispatch_uid="choices-migrated")
