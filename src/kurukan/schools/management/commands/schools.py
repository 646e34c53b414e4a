"""`kurukan schools closed` (the register's figure on a date) and `kurukan schools import` (a cluster list)."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from kurukan.statistics import schools as figures


def _day(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--on {text} n'est pas une date : écrivez-la AAAA-MM-JJ, ex. 2024-01-31."
        ) from None


class Command(BaseCommand):
    help = (
        "Schools closed on a date, by region or cercle: `kurukan schools closed [--on DATE] [--by region|cercle] "
        "[--json]`; import an education-cluster list: `kurukan schools import FILE [--organisation CODE]`; "
        "`kurukan schools demo` adds synthetic schools where the demo's incidents are."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        closed = actions.add_parser("closed", help="écoles fermées à une date")
        closed.add_argument("--on", metavar="DATE", help="AAAA-MM-JJ (par défaut aujourd'hui)")
        closed.add_argument("--by", choices=["region", "cercle"], default="region")
        closed.add_argument("--json", action="store_true", help="une sortie JSON pour les scripts")
        imported = actions.add_parser("import", help="importer une liste d'écoles (CSV ou XLSX)")
        imported.add_argument("file")
        imported.add_argument(
            "--organisation", metavar="CODE", help="l'organisation à qui appartiennent les états importés"
        )
        demo = actions.add_parser(
            "demo", help="écoles synthétiques dans les communes des incidents de démonstration"
        )
        demo.add_argument("--seed", type=int, default=11)

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)  # the command speaks the site's language (French first)
        if options["action"] == "closed":
            return self.closed(_day(options["on"]), options["by"], options["json"])
        if options["action"] == "demo":
            return self.demo(options["seed"])
        return self.import_file(options["file"], options["organisation"])

    def closed(self, day: dt.date, by: str, as_json: bool) -> None:
        if day > timezone.localdate():
            raise CommandError(f"--on {day.isoformat()} est dans le futur : choisissez une date passée.")
        table = figures.closed_on(day, by)
        if as_json:
            rows = [{by: row[by], "value": row["value"], "pupils": row["pupils"]} for row in table.rows]
            payload = {"on": day.isoformat(), "by": by, "rows": rows, "total": table.total}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        label = {"region": "Région", "cercle": "Cercle"}[by]
        self.stdout.write(f"Écoles fermées le {day.isoformat()}, par {by} :")
        self.stdout.write(f"  {label:<24} {'P-code':<10} {'écoles':>7} {'élèves':>9} {'enseignants':>12}")
        for row in table.rows:
            self.stdout.write(
                f"  {row['name']:<24} {row[by]:<10} {row['value']:>7} {row['pupils']:>9} {row['teachers']:>12}"
            )
        self.stdout.write(
            f"{table.total} écoles fermées, {table.pupils} élèves privés d'école, {table.teachers} enseignants."
        )

    def demo(self, seed: int) -> None:
        from kurukan.schools.synthetic import demo_communes, load_synthetic_schools

        load = load_synthetic_schools(demo_communes(), seed=seed)
        self.stdout.write(
            f"Démonstration : {load.schools} écoles, {load.entries} états, {load.linked} attaques liées à une école."
        )

    def import_file(self, path: str, organisation: str | None) -> None:
        """Through the intake machinery: an import job, its quarantine corrected at /imports/<job>/."""
        from kurukan.imports.models import QuarantinedRow
        from kurukan.jobs import JobStatus
        from kurukan.schools.intake import import_schools

        try:
            job = import_schools(path, organisation_code=organisation)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if job.status != JobStatus.DONE:
            raise CommandError(job.stage)
        rows = QuarantinedRow.objects.filter(job=job, resolved_at__isnull=True).order_by("row_number")
        for row in rows:
            self.stderr.write(row.message_fr)
        self.stdout.write(job.stage)
        if job.quarantined:
            raise CommandError(
                f"{job.quarantined} lignes en quarantaine : corrigez-les sur /imports/{job.pk}/ "
                "ou corrigez le fichier et réimportez-le."
            )
