from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.places.loader import OCHA_2015, PopulationFileError, load_ocha2015, load_population


class Command(BaseCommand):
    help = (
        "Load Mali's admin units (regions, cercles, communes) and gazetteer: `kurukan places load`; "
        "load a population table for rates per 100,000: `kurukan places population FILE.csv`."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "population"])
        parser.add_argument("file", nargs="?", help="population: CSV with pcode, year, population columns.")
        parser.add_argument("--set", default=OCHA_2015, choices=[OCHA_2015], help="Boundary set to load.")

    def handle(self, *args, **options):
        if options["action"] == "population":
            return self._population(options["file"])
        with tqdm(total=18769, unit=" localités", disable=options["verbosity"] < 1, file=self.stderr) as bar:
            result = load_ocha2015(progress=bar.update)
        self.stdout.write(
            f"Limites administratives : {result.units_created} créées, {result.units_updated} mises à jour ; "
            f"localités : {result.settlements_created} créées, {result.settlements_updated} mises à jour ; "
            f"correspondances : {result.crosswalk_rows}."
        )

    def _population(self, file: str | None) -> None:
        if not file:
            raise CommandError("Indiquer le fichier : kurukan places population FICHIER.csv")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            count = load_population(path)
        except PopulationFileError as exc:
            raise CommandError(f"Aucune ligne chargée.\n{exc}") from exc
        self.stdout.write(f"Population : {count} lignes chargées (unité, année).")
