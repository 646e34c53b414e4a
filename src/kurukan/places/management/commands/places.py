from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.places.loader import OCHA_2015, load_ocha2015


class Command(BaseCommand):
    help = "Load Mali's admin units (regions, cercles, communes) and gazetteer: `kurukan places load`."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--set", default=OCHA_2015, choices=[OCHA_2015], help="Boundary set to load.")

    def handle(self, *args, **options):
        if options["action"] != "load":
            raise CommandError("unknown action")
        with tqdm(total=18769, unit=" localités", disable=options["verbosity"] < 1, file=self.stderr) as bar:
            result = load_ocha2015(progress=bar.update)
        self.stdout.write(
            f"Limites administratives : {result.units_created} créées, {result.units_updated} mises à jour ; "
            f"localités : {result.settlements_created} créées, {result.settlements_updated} mises à jour ; "
            f"correspondances : {result.crosswalk_rows}."
        )
