from django.core.management.base import BaseCommand
from django.db import transaction

from kurukan.vocabularies.loader import load_vocabularies


class Command(BaseCommand):
    help = "Refresh the controlled vocabularies from the shipped files (adds and relabels, never deletes)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, **options):
        with transaction.atomic():  # all or nothing; the saved terms bump the choices' version once
            result = load_vocabularies()
        self.stdout.write(f"Vocabulaires : {result.created} termes ajoutés, {result.updated} mis à jour.")
