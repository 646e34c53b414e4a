"""`kurukan pull`: fetch new submissions from the saved KoboToolbox / ODK Central connections and import
them (cron: `*/30 * * * * kurukan pull --scheduled`). Pages add connections; this only runs them."""

from django.core.management.base import BaseCommand, CommandError

from kurukan.imports.models import ServerConnection
from kurukan.imports.pull import pull
from kurukan.imports.reading import FileRefused


class Command(BaseCommand):
    help = (
        "Pull new submissions from saved KoboToolbox / ODK Central connections into import jobs: "
        "pull ID [ID ...] | pull --scheduled (every connection marked automatic) | --list"
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="connection ids (see --list)")
        parser.add_argument("--scheduled", action="store_true", help="every connection marked automatic")
        parser.add_argument("--full", action="store_true", help="ask for every submission, not only new ones")
        parser.add_argument("--list", action="store_true", help="list the connections")

    def handle(self, *args, **options):
        everything = ServerConnection.objects.select_related("organisation").order_by("pk")
        if options["list"]:
            for c in everything:
                self.stdout.write(f"{c.pk}\t{c.kind}\t{c.organisation.code}\t{c.name}\t{c.last_message_en}")
            return
        if options["ids"]:
            chosen = list(everything.filter(pk__in=options["ids"]))
            missing = set(options["ids"]) - {c.pk for c in chosen}
            if missing:
                raise CommandError(f"no connection {sorted(missing)} (kurukan pull --list shows them).")
        elif options["scheduled"]:
            chosen = list(everything.filter(scheduled=True))
        else:
            raise CommandError("name the connections to pull (kurukan pull --list), or give --scheduled.")
        failed = 0
        for c in chosen:
            try:
                job = pull(c, full=options["full"])
            except FileRefused as problem:
                failed += 1
                self.stderr.write(f"{c.pk} {c.name}: {problem.message_en}")
                continue
            line = "no new submission" if job is None else f"job {job.pk} {job.status}: {job.summary_line}"
            self.stdout.write(f"{c.pk} {c.name}: {line}")
        if failed:
            raise CommandError(
                f"{failed} connection(s) could not be pulled; the reason is on each one's page."
            )
