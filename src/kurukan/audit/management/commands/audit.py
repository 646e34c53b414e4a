from django.core.management.base import BaseCommand, CommandError

from kurukan.audit.log import verify_chain
from kurukan.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit chain: `kurukan audit verify` exits 1 if any entry was altered, removed or reordered."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        for problem in problems:
            self.stderr.write(f"entry {problem.sequence}: {problem.problem}")
        if problems:
            raise CommandError(f"Audit chain BROKEN: {len(problems)} problem(s) in {total} entries.")
        self.stdout.write(f"Audit chain intact: {total} entries verified.")
