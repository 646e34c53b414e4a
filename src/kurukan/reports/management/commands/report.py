"""`kurukan report periodic|children|bulletin`: a report from the command line, the same job as the page's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kurukan.accounts.models import User
from kurukan.reports import actions, documents
from kurukan.reports.models import FileFormat, Kind


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"date invalide « {value} » : écrivez-la AAAA-MM-JJ, par exemple 2023-01-31."
        ) from None


class Command(BaseCommand):
    help = (
        "Produce a report (periodic situation report, children and armed conflict tables, public bulletin) and "
        "print the file's path and SHA-256. Without --user it counts every record (an administrator's report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--lang", choices=("fr", "en"), default="fr")
        parser.add_argument("--format", dest="file_format", choices=FileFormat.values, default=FileFormat.PDF)
        parser.add_argument("--verified", action="store_true", help="Verified violations only.")
        parser.add_argument("--user", help="Count what this user may see, audited in their name.")
        parser.add_argument(
            "--output", metavar="FILE", help="Copy the file here (it is also kept by Kurukan)."
        )

    def handle(self, *args, **options) -> None:
        start, end = _date(options["date_from"]), _date(options["date_to"])
        if start > end:
            raise CommandError("--to précède --from : mettez la fin de la période après son début.")
        if missing := documents.missing_renderer(options["file_format"]):
            raise CommandError(missing)
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"utilisateur inconnu ou désactivé « {options['user']} » (option --user).")
        report = actions.start_report(
            user=user,
            kind=options["kind"],
            date_from=start,
            date_to=end,
            file_format=options["file_format"],
            language=options["lang"],
            verified=options["verified"],
            everything=user is None,
        )
        report = actions.run_report(report)
        if report.status != "done":
            raise CommandError(report.stage)
        path = Path(report.path)
        if options["output"]:
            target = Path(options["output"])
            try:
                shutil.copyfile(path, target)
            except OSError as exc:
                raise CommandError(
                    f"impossible d'écrire {target} ({exc.strerror}) : option --output."
                ) from None
            path = target
        self.stdout.write(f"{path}\n{report.sha256}")
