"""`kurukan xlsform [--output FILE]`: Kurukan's XLSForm for KoboToolbox and ODK Central."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kurukan.fieldforms import xlsform


class Command(BaseCommand):
    help = (
        "Write Kurukan's XLSForm (French and English, from the live vocabularies and places) for KoboToolbox "
        "or ODK Central; their exports then import without any mapping."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", default="kurukan-incident.xlsx")

    def handle(self, *args, **options) -> None:
        try:
            xlsform.write(options["output"])
        except DatabaseError as exc:
            raise CommandError(
                "Base de données non initialisée : lancez d'abord « kurukan migrate »."
            ) from exc
        self.stdout.write(f"Formulaire XLSForm écrit dans {options['output']} ({xlsform.FORM_ID}).")
