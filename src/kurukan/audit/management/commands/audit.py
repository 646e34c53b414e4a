import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kurukan.audit.log import verify_chain
from kurukan.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit chain. `kurukan audit verify` exits non-zero if any entry was altered, removed or "
        "reordered; with --anchor FILE it also checks that the head recorded in FILE is still in the chain "
        "(the chain alone cannot show that its newest entries were cut off). `kurukan audit anchor FILE` "
        "writes the current head to FILE: keep it somewhere the server's administrator cannot change."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("anchor_file", nargs="?", help="with `anchor`: where to write the head")
        parser.add_argument(
            "--anchor", dest="anchor", help="with `verify`: a head written earlier by `anchor`"
        )

    def handle(self, *args, **options):
        if options["action"] == "anchor":
            return self._anchor(options["anchor_file"])
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        for problem in problems:
            self.stderr.write(f"entry {problem.sequence}: {problem.problem}")
        if options["anchor"]:
            problems += self._check_anchor(Path(options["anchor"]))
        if problems:
            raise CommandError(f"Audit chain BROKEN: {len(problems)} problem(s) in {total} entries.")
        head = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        where = f"; head #{head['sequence']} {head['hash'][:16]}…" if head else ""
        self.stdout.write(f"Audit chain intact: {total} entries verified{where}.")

    def _anchor(self, path: str | None) -> None:
        head = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        if head is None:
            raise CommandError("The audit log is empty: nothing to anchor yet.")
        text = json.dumps(head)
        if path:
            Path(path).write_text(text + "\n", encoding="utf-8")
        self.stdout.write(text)

    def _check_anchor(self, path: Path) -> list[str]:
        try:
            anchor = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the anchor {path}: {exc}") from exc
        found = AuditEvent.objects.filter(sequence=anchor["sequence"], hash=anchor["hash"]).exists()
        if found:
            return []
        message = (
            f"entry {anchor['sequence']} recorded in the anchor is missing or changed: entries were cut off"
        )
        self.stderr.write(message)
        return [message]
