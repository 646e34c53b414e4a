import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kurukan.alerts.actions import monday, run_early_warning


class Command(BaseCommand):
    help = (
        "Early warning, once a week (cron): `kurukan alerts run [--week YYYY-MM-DD]` tests last week's counts "
        "in every cercle and commune against their history, stores the alerts and emails subscribers."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--week", help="A day of the week to test (default: last week).")

    def handle(self, *args, **options):
        if options["week"]:
            try:
                week = dt.date.fromisoformat(options["week"])
            except ValueError as exc:
                raise CommandError(f"--week : « {options['week']} » n'est pas une date AAAA-MM-JJ.") from exc
        else:
            week = monday(timezone.localdate()) - dt.timedelta(weeks=1)
        result = run_early_warning(week)
        self.stdout.write(
            f"Semaine du {result.week.isoformat()} : {result.areas} séries de zones examinées, "
            f"{result.alerts} alertes, {result.emails} courriels envoyés."
        )
