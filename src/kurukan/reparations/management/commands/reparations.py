"""`kurukan reparations figures`: victims registered, found eligible and paid, from the one definition
(kurukan.statistics.reparations) the page and the API use."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kurukan.accounts.models import User
from kurukan.statistics.reparations import FIELDS, claim_table, claim_table_for


class Command(BaseCommand):
    help = (
        "Reparation figures: victims registered, found eligible and paid (once per violation, merged records "
        "once), by region, violation_type or sex; without --user, every organisation's claims."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        figures = sub.add_parser("figures", help="victims registered, found eligible and paid")
        figures.add_argument("--by", choices=FIELDS, help="one breakdown")
        figures.add_argument(
            "--user", metavar="NAME", help="count what this user may count (their organisation)"
        )
        figures.add_argument("--json", action="store_true", help="JSON instead of a table")

    def handle(self, *args, **options):
        by = [options["by"]] if options["by"] else []
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("--user %(name)s : utilisateur inconnu.") % {"name": options["user"]})
            result = claim_table_for(user, by)
        else:
            result = claim_table(by)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        measures = ["registered", "eligible", "paid"]
        lines = [[*by, *measures]]
        for row in result.rows:
            lines.append(
                [*("—" if row[n] is None else str(row[n]) for n in by), *(str(row[m]) for m in measures)]
            )
        label = ["Total", *[""] * (len(by) - 1)] if by else []
        lines.append([*label, *(str(result.total[m]) for m in measures)])
        widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
        for line in lines:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
