"""`kurukan xlsform [--output FILE] [--encrypt --organisation CODE]`: Kurukan's XLSForm."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kurukan.accounts.models import Organisation
from kurukan.fieldforms import encryption, xlsform


class Command(BaseCommand):
    help = (
        "Write Kurukan's XLSForm (French and English, from the live vocabularies and places) for KoboToolbox "
        "or ODK Central; their exports then import without any mapping. --encrypt puts the organisation's "
        "public key in the form (created on first use), so submissions are encrypted on the phone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", default="kurukan-incident.xlsx")
        parser.add_argument("--encrypt", action="store_true", help="Encrypted form (needs --organisation).")
        parser.add_argument("--organisation", metavar="CODE", help="Whose key encrypts the submissions.")

    def handle(self, *args, **options) -> None:
        public_key = ""
        try:
            if options["encrypt"]:
                code = options["organisation"] or ""
                if not Organisation.objects.filter(code=code).exists():
                    raise CommandError(
                        "--encrypt demande --organisation CODE, une organisation existante "
                        "(voir « kurukan organisations list »)."
                    )
                public_key = encryption.public_key_setting(encryption.private_key(code, create=True))
            xlsform.write(options["output"], public_key=public_key)
        except xlsform.NotReady as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(
                "Base de données non initialisée : lancez d'abord « kurukan migrate »."
            ) from exc
        encrypted = f", chiffré pour {options['organisation']}" if public_key else ""
        self.stdout.write(
            f"Formulaire XLSForm écrit dans {options['output']} ({xlsform.FORM_ID}{encrypted})."
        )
        if public_key:
            self.stdout.write(
                f"Clé privée : {encryption.key_path(options['organisation'])} — sauvegardez-la à part des données."
            )
