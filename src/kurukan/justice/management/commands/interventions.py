import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kurukan.justice.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Interventions past their deadline with no answer, once a day (cron): `kurukan interventions remind "
        "[--on YYYY-MM-DD]` emails each organisation's coordinators the list of those to chase up."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])
        parser.add_argument("--on", help="The day to judge deadlines on (default: today).")

    def handle(self, *args, **options):
        if options["on"]:
            try:
                today = dt.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"--on : « {options['on']} » n'est pas une date AAAA-MM-JJ.") from exc
        else:
            today = timezone.localdate()
        result = send_reminders(today)
        self.stdout.write(
            f"Le {today.isoformat()} : {result.overdue} interventions en retard, "
            f"{result.emails} courriels de rappel envoyés."
        )
