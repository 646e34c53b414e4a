"""`kurukan report periodic|children|bulletin`: a report from the command line, the same job as the page's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kurukan.accounts.models import Organisation, Role, User
from kurukan.places.models import AdminUnit, Level
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
            "--region",
            dest="regions",
            action="append",
            default=[],
            metavar="PCODE",
            help="A region's P-code (ML05 for Mopti); repeat it for several regions. Default: all of Mali.",
        )
        parser.add_argument(
            "--organisation",
            dest="organisations",
            action="append",
            default=[],
            metavar="CODE",
            help="An organisation's code; repeat it for several. Default: every organisation.",
        )
        parser.add_argument(
            "--output", metavar="FILE", help="Copy the file here (it is also kept by Kurukan)."
        )

    def _scope(self, options: dict, user) -> tuple[list[str], list[Organisation]]:
        """The regions and organisations asked for, checked as the page's form checks them."""
        regions = list(dict.fromkeys(code.strip().upper() for code in options["regions"]))
        current = set(
            AdminUnit.objects.current()
            .filter(level=Level.REGION, pcode__in=regions)
            .values_list("pcode", flat=True)
        )
        if unknown := [code for code in regions if code not in current]:
            raise CommandError(
                f"région inconnue « {unknown[0]} » (option --region) : donnez le P-code d'une région actuelle, "
                "par exemple ML05 pour Mopti."
            )
        codes = list(dict.fromkeys(options["organisations"]))
        found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        if unknown := [code for code in codes if code not in found]:
            raise CommandError(
                f"organisation inconnue « {unknown[0]} » (option --organisation) : donnez son code, "
                f"parmi {', '.join(Organisation.objects.order_by('code').values_list('code', flat=True))}."
            )
        if codes and user is not None and user.role != Role.ADMINISTRATOR:
            raise CommandError(
                "--organisation est réservé aux administrateurs : retirez-la, ou retirez --user pour un "
                "rapport d'administrateur."
            )
        if (regions or codes) and options["kind"] == Kind.BULLETIN:
            raise CommandError(
                "le bulletin public donne les chiffres publics de tout le Mali : retirez --region et "
                "--organisation, ou choisissez un autre rapport."
            )
        return regions, [found[code] for code in codes]

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
        regions, organisations = self._scope(options, user)
        report = actions.start_report(
            user=user,
            regions=regions,
            organisations=organisations,
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
