"""`kurukan statistics`: any figure of the counting rules, on the command line (issue #10, item 10)."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kurukan.accounts.models import User
from kurukan.places.models import AdminUnit
from kurukan.statistics import aggregates
from kurukan.statistics.counting import FIELDS, CountingError, Filters, Scope, table
from kurukan.vocabularies.models import Term

CLI_MEASURES = ("victims", "violations", "incidents")


class Command(BaseCommand):
    help = (
        "Count victims, violations or incidents as the counting rules say (docs/statistics.md), broken down "
        "by fields; without --user, every record is counted (an administrator's view)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            choices=("rebuild", "refresh", "check"),
            help="rebuild: recompute the victims aggregate; refresh: write the rows of the violations changed "
            "since (cron); check: compare the aggregate with a recount",
        )
        parser.add_argument("--measure", choices=CLI_MEASURES, default="victims")
        parser.add_argument("--by", default="", help=f"FIELD[,FIELD…] among {', '.join(FIELDS)}")
        parser.add_argument("--verified", action="store_true", help="verified violations only")
        parser.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD")
        parser.add_argument("--region", metavar="PCODE")
        parser.add_argument("--type", dest="violation_type", metavar="CODE")
        parser.add_argument("--user", metavar="NAME", help="count what this user may see")
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
        parser.add_argument("--json", action="store_true", help="the same as --format json")

    def handle(self, *args, **options):
        if options["action"] == "rebuild":
            n = aggregates.rebuild()
            self.stdout.write(_("Agrégats recalculés : %(n)s violations.") % {"n": n})
            return
        if options["action"] == "refresh":
            n = aggregates.refresh()
            self.stdout.write(_("Agrégats mis à jour : %(n)s violations.") % {"n": n})
            return
        if options["action"] == "check":
            differences = aggregates.recount_differences()
            for line in differences[:50]:
                self.stdout.write(line)
            if differences:
                raise CommandError(
                    _(
                        "%(n)s écarts entre les agrégats et un recomptage : lancez « kurukan statistics rebuild »."
                    )
                    % {"n": len(differences)}
                )
            self.stdout.write(_("Agrégats à jour : identiques au recomptage."))
            return
        by = [name.strip() for name in options["by"].split(",") if name.strip()]
        filters = Filters(
            date_from=_day(options["date_from"], "--from"),
            date_to=_day(options["date_to"], "--to"),
            place=_region(options["region"]),
            violation_type=_type(options["violation_type"]),
            level="verified" if options["verified"] else "documented",
        )
        if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
            raise CommandError(_("--to précède --from : donnez une fin de période après son début."))
        try:
            result = table(options["measure"], by=by, filters=filters, scope=_scope(options["user"]))
        except CountingError as error:
            raise CommandError(_("Comptage impossible : %(error)s.") % {"error": error}) from error
        out_format = "json" if options["json"] else options["format"]
        if out_format == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        elif out_format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow([*by, "value"])
            for row in result.rows:
                writer.writerow([*("" if row[n] is None else row[n] for n in by), row["value"]])
        else:
            self._table(result, by)

    def _table(self, result, by: list[str]) -> None:
        lines = [[*by, "value"]] + [
            [*("—" if row[n] is None else str(row[n]) for n in by), str(row["value"])] for row in result.rows
        ]
        widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
        if by:
            for line in lines:
                self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))
        self.stdout.write(
            _("Total (%(measure)s) : %(total)s") % {"measure": result.measure, "total": result.total}
        )


def _day(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("%(option)s %(value)s : date invalide, écrivez-la AAAA-MM-JJ (par exemple 2022-03-14).")
            % {"option": option, "value": value}
        ) from error


def _region(pcode: str | None) -> AdminUnit | None:
    if not pcode:
        return None
    unit = AdminUnit.objects.current().filter(pcode=pcode).first()
    if unit is None:
        raise CommandError(
            _(
                "--region %(pcode)s : P-code inconnu ; les régions du Mali vont de ML01 (Kayes) à ML09 (Bamako)."
            )
            % {"pcode": pcode}
        )
    return unit


def _type(code: str | None) -> Term | None:
    if not code:
        return None
    found = Term.objects.filter(vocabulary="violation_type", code=code).first()
    if found is None:
        raise CommandError(
            _("--type %(code)s : type inconnu ; par exemple life, life.summary_execution, sexual.rape.")
            % {"code": code}
        )
    return found


def _scope(username: str | None) -> Scope:
    if not username:
        return Scope.everything()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("--user %(name)s : aucun utilisateur actif de ce nom.") % {"name": username})
    return Scope.for_user(user)
