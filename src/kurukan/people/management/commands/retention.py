from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kurukan.people.models import Person, RetentionKind
from kurukan.people.retention import apply, erase_identity, plan


class Command(BaseCommand):
    help = (
        "Retention of identities (cron, e.g. nightly): `kurukan retention run [--dry-run]` erases the identities "
        "the organisations' retention rules say are no longer kept (incidents closed, on no legal hold); "
        "`kurukan retention erase P-XXXX` erases one person's identity on their request. Only public ids are "
        "printed, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "erase"])
        parser.add_argument("person", nargs="?", help="erase: the person's public id (P-…)")
        parser.add_argument(
            "--dry-run", action="store_true", help="run: list what would be erased, change nothing"
        )

    def handle(self, *args, **options):
        if options["action"] == "erase":
            person = Person.objects.filter(public_id=options["person"] or "").first()
            if person is None:
                raise CommandError(
                    f"Personne « {options['person']} » introuvable : donnez son identifiant public (P-…)."
                )
            erased = erase_identity(person, reason="request")
            self.stdout.write(f"Identité effacée : {', '.join(erased)}.")
            return
        planned = plan()
        dry = options["dry_run"]
        total = drafts = 0
        for item in planned:
            rule = item.rule
            if rule.kind == RetentionKind.ABANDONED_DRAFTS:
                verb = "supprimerait" if dry else "supprime"
                self.stdout.write(
                    f"{rule.organisation.code} · {rule.kind} · {rule.years} an(s) sans modification : {verb} "
                    f"{len(item.drafts)} brouillon(s) ; {item.held} gardé(s) (procédure judiciaire en cours) ; "
                    f"{item.kept} gardé(s) (pièces jointes ou dossiers fusionnés)."
                )
                for draft in item.drafts:
                    self.stdout.write(f"  {draft.public_id}")
                drafts += len(item.drafts)
                continue
            verb = "effacerait" if dry else "efface"
            self.stdout.write(
                f"{rule.organisation.code} · {rule.kind} · {rule.years} ans : {verb} {len(item.persons)} "
                f"identité(s) ; {item.held} gardée(s) (procédure judiciaire en cours)."
            )
            for person in item.persons:
                self.stdout.write(f"  {person.public_id}")
            total += len(item.persons)
        if dry:
            self.stdout.write(
                f"Essai (--dry-run) : {total} identité(s) seraient effacées, {drafts} brouillon(s) abandonné(s) "
                "supprimé(s) ; rien n'a changé."
            )
            return
        with transaction.atomic():
            apply(planned)
        self.stdout.write(f"{total} identité(s) effacée(s), {drafts} brouillon(s) abandonné(s) supprimé(s).")
