"""`kurukan export incidents|violations|victims|cases|interventions|claims`: the lists' exports from the command
line, same rules."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kurukan.accounts.models import Role, User
from kurukan.exports import actions
from kurukan.exports.formats import Format
from kurukan.exports.registers import RegisterLevel, RegisterQuery
from kurukan.exports.rows import Level
from kurukan.incidents.models import VerificationStatus
from kurukan.incidents.queries import IncidentFilterForm, IncidentFilters
from kurukan.justice.models import FollowUpStatus
from kurukan.places.models import AdminUnit
from kurukan.reparations.models import ClaimStatus
from kurukan.vocabularies.models import Term


class Command(BaseCommand):
    help = (
        "Export the incidents a user may see (the list's filters) as CSV, XLSX, GeoJSON, HXL or JSON. Without "
        "--user it is an administrator's export, audited as such. Victims (names) need --reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("level", choices=[*Level.values, *RegisterLevel.values])
        parser.add_argument("--format", choices=Format.values, default=Format.CSV)
        parser.add_argument("--user", help="Export as this user: what they may see, audited in their name.")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="Period start.")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="Period end.")
        parser.add_argument("--region", metavar="PCODE", help="Region, cercle or commune P-code (ML05).")
        parser.add_argument("--type", dest="violation_type", metavar="CODE", help="violation_type code.")
        parser.add_argument("--verified", action="store_true", help="Verified violations only.")
        parser.add_argument("--output", metavar="FILE", help="Write here (default: standard output).")
        parser.add_argument("--reason", default="", help="Why the names are needed (victims, claims).")
        parser.add_argument(
            "--status", default="", help="Interventions: follow-up status code; claims: claim status code."
        )
        parser.add_argument("--overdue", action="store_true", help="Interventions past their deadline only.")

    def handle(self, *args, **options) -> None:
        user = self._user(options["user"])
        register = options["level"] in RegisterLevel.values
        export = actions.Export(
            user=user,
            level=options["level"],
            fmt=options["format"],
            filters=IncidentFilters() if register else self._filters(options),
            query=self._register_query(options) if register else RegisterQuery(),
            reason=options["reason"],
            via="command line" if user.pk else "command line, administrator",
        )
        try:
            pieces = actions.export_records(export)
            target = self._write(pieces, options["output"])
        except PermissionDenied as exc:
            what = "les demandes de réparation" if register else "les victimes"
            raise CommandError(
                f"{user.username} ne peut pas exporter {what} : rôle de saisie ou administrateur requis."
            ) from exc
        except ValidationError as exc:
            raise CommandError(exc.messages[0] + " Option --reason.") from exc
        except ImproperlyConfigured as exc:
            raise CommandError(f"{exc} Lancez d'abord « kurukan keys init ».") from exc
        self.stderr.write(
            f"{export.level} : {export.rows_written} lignes exportées ({export.fmt}) → {target}"
        )

    def _register_query(self, options: dict) -> RegisterQuery:
        """Cases, interventions and claims take their lists' filters, not the incidents' ones."""
        level = options["level"]
        incident_only = {"date_from": "--from", "date_to": "--to", "violation_type": "--type"}
        if level != RegisterLevel.CLAIMS:
            incident_only["region"] = "--region"
        wrong = [flag for name, flag in incident_only.items() if options[name]]
        if options["verified"]:
            wrong.append("--verified")
        if options["overdue"] and level != RegisterLevel.INTERVENTIONS:
            wrong.append("--overdue")
        if options["status"] and level == RegisterLevel.CASES:
            wrong.append("--status")
        if options["format"] == Format.GEOJSON:
            wrong.append("--format geojson")
        if wrong:
            raise CommandError(f"{', '.join(wrong)} : option sans effet sur l'export {level}, retirez-la.")
        status = options["status"].strip()
        known = FollowUpStatus.values if level == RegisterLevel.INTERVENTIONS else ClaimStatus.values
        if status and status not in known:
            raise CommandError(f"--status {status} : statut inconnu ({', '.join(known)}).")
        region = (options["region"] or "").strip().upper()
        if region and not AdminUnit.objects.current().regions().filter(pcode=region).exists():
            raise CommandError(
                f"--region {region} : P-code de région inconnu (une région s'écrit comme ML05)."
            )
        return RegisterQuery(status=status, overdue=options["overdue"], region=region)

    def _user(self, username: str | None) -> User:
        if not username:
            # No account: the operator at the console is the administrator, and the audit event says so.
            return User(username="", role=Role.ADMINISTRATOR, is_active=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Utilisateur « {username} » inconnu ou désactivé : vérifiez l'identifiant.")
        return user

    def _filters(self, options: dict) -> IncidentFilters:
        data = {
            "date_from": options["date_from"] or "",
            "date_to": options["date_to"] or "",
            "verification_status": VerificationStatus.VERIFIED if options["verified"] else "",
        }
        if options["region"]:
            unit = AdminUnit.objects.current().filter(pcode=options["region"].strip().upper()).first()
            if unit is None:
                raise CommandError(
                    f"--region {options['region']} : P-code inconnu (une région s'écrit comme ML05)."
                )
            data["place"] = f"unit:{unit.pk}"
        if options["violation_type"]:
            term = Term.objects.of("violation_type").filter(code=options["violation_type"]).first()
            if term is None:
                raise CommandError(
                    f"--type {options['violation_type']} : code inconnu du vocabulaire violation_type "
                    "(exemple : life.summary_execution)."
                )
            data["violation_type"] = str(term.pk)
        form = IncidentFilterForm({k: v for k, v in data.items() if v})
        if not form.is_valid():
            names = {"date_from": "--from", "date_to": "--to", "place": "--region"}
            problems = [f"{names.get(f, f)} : {m}" for f, messages in form.errors.items() for m in messages]
            raise CommandError(" ; ".join(problems))
        return IncidentFilters.from_form(form)

    def _write(self, pieces, output: str | None) -> str:
        if not output:
            for piece in pieces:
                sys.stdout.buffer.write(piece)
            sys.stdout.buffer.flush()
            return "sortie standard"
        path = Path(output)
        # Written beside the target and renamed at the end: a failed export never leaves half a file.
        handle, partial = tempfile.mkstemp(dir=path.parent or Path.cwd(), prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                for piece in pieces:
                    out.write(piece)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        return str(path)
