from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from kurukan.accounts.demo import create_demo_users
from kurukan.incidents.models import Incident
from kurukan.incidents.synthetic_loader import load_synthetic


class Command(BaseCommand):
    help = (
        "Set up a demo: encryption keys, database, Mali's reference data, ~5,000 synthetic incidents and one "
        "login per role; then serve the site (unless --no-serve)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--events", type=int, default=3500, help="True events to generate (≈1.4 reports each)."
        )
        parser.add_argument("--seed", type=int, default=52_42)
        parser.add_argument("--no-serve", action="store_true")

    def handle(self, *args, **options):
        call_command("keys", "init", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Base de données à jour.")
        call_command("places", "load", verbosity=options["verbosity"])
        call_command("collectstatic", interactive=False, verbosity=0)
        if not Incident.objects.exists():
            with tqdm(unit=" incidents", file=self.stderr, desc="Données de démonstration") as bar:
                stats = load_synthetic(options["events"], seed=options["seed"], progress=bar.update)
            self.stdout.write(
                f"Démonstration : {stats.incidents} incidents, {stats.violations} violations, "
                f"{stats.victims} victimes chargés."
            )
        else:
            self.stdout.write(f"{Incident.objects.count()} incidents déjà présents : données conservées.")
        call_command("schools", "demo", "--seed", str(options["seed"]))  # schools where the incidents are, attacks linked
        users = create_demo_users()
        self.stdout.write("\nComptes de démonstration / demo logins:")
        for username, password, label in users:
            self.stdout.write(f"  {username:<14} {password}   {label}")
        from django.conf import settings

        if not settings.REQUIRE_2FA:
            self.stdout.write(
                "Double authentification désactivée pour cette démonstration (KURUKAN_REQUIRE_2FA=0) ; "
                "elle est obligatoire par défaut."
            )
        if not options["no_serve"]:
            call_command("serve")
