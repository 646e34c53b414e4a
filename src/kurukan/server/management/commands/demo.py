import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from kurukan.accounts.demo import create_demo_users
from kurukan.actors.loader import load_actors
from kurukan.actors.models import Actor
from kurukan.incidents.models import Incident
from kurukan.incidents.synthetic_loader import load_synthetic
from kurukan.justice.demo import load_demo as load_justice_demo
from kurukan.people.demo import load_demo as load_protection_demo
from kurukan.recommendations.demo import load_demo as load_recommendations_demo
from kurukan.reparations.demo import load_demo as load_reparations_demo
from kurukan.reports.demo import load_demo as load_reports_demo
from kurukan.server.supervise import kurukan_command, run_together
from kurukan.vocabularies.loader import load_vocabularies
from kurukan.vocabularies.models import Term


def load_marker() -> Path:
    """Present while the demo data is being loaded: left behind, it says the last load was interrupted."""
    return Path(settings.DATA_DIR) / "demo-load.incomplete"


def empty_demo_database() -> None:
    """Back to a fresh install: reference data loaded, no incident, no user."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        # A new file is the only way to also empty the free-text index tables Django does not know about.
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        return
    call_command("flush", interactive=False, verbosity=0)
    # flush empties the tables the migrations filled: load the same reference data again.
    load_vocabularies(Term)
    load_actors(Actor, Term)


class Command(BaseCommand):
    help = (
        "Set up a demo: encryption keys, database, Mali's reference data, ~5,000 synthetic incidents and one "
        "login per role; then serve the site with the background worker beside it (unless --no-serve)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--events", type=int, default=3500, help="True events to generate (≈1.4 reports each)."
        )
        parser.add_argument("--seed", type=int, default=52_42)
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument(
            "--restart",
            action="store_true",
            help="After an interrupted load, empty the demo database and load it again without asking.",
        )

    def handle(self, *args, **options):
        call_command("keys", "init", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        if load_marker().exists():
            self.start_again(options["restart"])
        self.stdout.write("Base de données à jour.")
        call_command("places", "load", verbosity=options["verbosity"])
        call_command("collectstatic", interactive=False, verbosity=0)
        if not Incident.objects.exists():
            self.load(options["events"], options["seed"])
        else:
            self.stdout.write(f"{Incident.objects.count()} incidents déjà présents : données conservées.")
        # Schools where the incidents are, synthetic attacks on schools linked to them (idempotent).
        call_command("schools", "demo", "--seed", str(options["seed"]))
        users = create_demo_users()
        load_recommendations_demo()
        load_reparations_demo()
        load_justice_demo()  # judicial cases and interventions
        users += load_protection_demo()
        load_reports_demo()  # last: its bulletin counts every register
        self.stdout.write("\nComptes de démonstration / demo logins:")
        for username, password, label in users:
            self.stdout.write(f"  {username:<14} {password}   {label}")
        if not settings.REQUIRE_2FA:
            self.stdout.write(
                "Double authentification désactivée pour cette démonstration (KURUKAN_REQUIRE_2FA=0) ; "
                "elle est obligatoire par défaut."
            )
        if not options["no_serve"]:
            self.stdout.write(
                "Serveur web et travailleur de tâches de fond démarrés ensemble ; Ctrl+C arrête les deux."
            )
            self.stdout.flush()
            code = run_together(
                {
                    "kurukan serve": kurukan_command("serve"),
                    "kurukan db_worker": kurukan_command("db_worker", "--verbosity", "0"),
                },
                self.stdout,
            )
            if code:
                raise CommandError(f"Arrêt : un des processus a échoué (code {code}).", returncode=code)

    def load(self, events: int, seed: int) -> None:
        marker = load_marker()
        marker.write_text(f"events={events} seed={seed}\n", encoding="utf-8")
        with tqdm(unit=" incidents", file=self.stderr, desc="Données de démonstration") as bar:
            stats = load_synthetic(events, seed=seed, progress=bar.update)
        marker.unlink()
        self.stdout.write(
            f"Démonstration : {stats.incidents} incidents, {stats.violations} violations, "
            f"{stats.victims} victimes chargés."
        )

    def start_again(self, restart: bool) -> None:
        present = Incident.objects.count()
        self.stdout.write(
            f"Le chargement précédent des données de démonstration a été interrompu : seuls {present} incidents "
            "ont été chargés. / The previous demo load was interrupted."
        )
        if not restart:
            if not sys.stdin.isatty():
                raise CommandError(
                    "Relancez avec `kurukan demo --restart` pour vider la base de démonstration et recommencer "
                    "le chargement. / Run `kurukan demo --restart` to empty the demo database and load it again."
                )
            answer = input("Vider la base de démonstration et recommencer ? / Start again? [o/N] ")
            if answer.strip().lower() not in {"o", "oui", "y", "yes"}:
                raise CommandError("Données incomplètes conservées ; rien n'a été servi. / Nothing changed.")
        empty_demo_database()
        load_marker().unlink()
        self.stdout.write(
            "Base de démonstration vidée : nouveau chargement. / Demo database emptied: loading again."
        )
