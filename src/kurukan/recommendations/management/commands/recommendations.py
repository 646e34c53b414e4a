"""`kurukan recommendations import FILE | import-resolution FILE | similar | remind`."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import get_language

from kurukan.recommendations import actions


def _existing_file(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        raise CommandError(f"{text} is a folder: give the path of a CSV, XLSX or text file.")
    if not path.exists():
        raise CommandError(f"{text}: no such file.")
    return path


class Command(BaseCommand):
    help = (
        "Recommendations follow-up: `import FILE` (a UPR Info / UHRI table, CSV or XLSX, read as it is), "
        "`import-resolution FILE` (a Human Rights Council resolution as published), `similar` (propose "
        "near-identical recommendations for review), `remind` (email focal points about overdue measures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "import-resolution", "similar", "remind"])
        parser.add_argument("file", nargs="?", help="the file to import")
        parser.add_argument(
            "--symbol", default="", help="import-resolution: the symbol when the text lacks it"
        )
        parser.add_argument(
            "--threshold", type=float, default=0.8, help="similar: smallest cosine similarity"
        )

    def handle(self, *args, **options):
        # French first: the command speaks the site's language, whatever a previous caller activated.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options):
        action = options["action"]
        if action in {"import", "import-resolution"} and not options["file"]:
            raise CommandError(f"`kurukan recommendations {action} FILE`: give the file to import.")
        try:
            if action == "import":
                self._import(_existing_file(options["file"]))
            elif action == "import-resolution":
                self._resolution(_existing_file(options["file"]), options["symbol"])
            elif action == "similar":
                self.stdout.write(
                    f"{actions.propose_similar(options['threshold'])} pairs proposed for review"
                )
            else:
                self.stdout.write(f"{actions.send_reminders()} reminders sent")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _import(self, path: Path) -> None:
        result = actions.import_recommendations(path)
        english = (get_language() or "fr").startswith("en")
        for problem in result.problems:
            self.stderr.write(problem.message_en if english else problem.message_fr)
        self.stdout.write(result.summary())

    def _resolution(self, path: Path, symbol: str) -> None:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(
                f"{path}: not UTF-8 text. Save the resolution as UTF-8 and try again."
            ) from None
        outcome = actions.import_resolution(text, symbol=symbol)
        self.stdout.write(
            f"{outcome.document.symbol}: {outcome.paragraphs} operative paragraphs read; "
            f"created {outcome.created}, updated {outcome.updated}, unchanged {outcome.unchanged}"
        )
