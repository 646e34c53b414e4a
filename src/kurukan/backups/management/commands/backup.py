import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.backups import archive
from kurukan.backups.jobs import create_backup

from ._backup_options import add_secret_arguments, secret_from


class Command(BaseCommand):
    help = (
        "Write one encrypted archive of the database and the files (MEDIA_ROOT), sealed with a backup "
        "passphrase or key file. The data key file is NOT included: back it up separately (docs/backups.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Archive path (default: DATA_DIR/backups/kurukan-<time>.krkbak)."
        )
        parser.add_argument(
            "--new-key-file",
            type=Path,
            metavar="FILE",
            help="Only create a new random backup key file at FILE (owner-only) and stop.",
        )
        add_secret_arguments(parser)

    def handle(self, *args, **options):
        if options["new_key_file"]:
            path: Path = options["new_key_file"]
            if path.exists():
                raise CommandError(f"{path} exists: a backup key file is never overwritten.")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(archive.new_key_file_text())
            self.stdout.write(
                f"New backup key written to {path}. Keep it apart from the backups and from the data key file."
            )
            return
        secret = secret_from(options)
        output = options["output"] or Path(settings.DATA_DIR) / "backups" / (
            f"kurukan-{datetime.now().strftime('%Y%m%d-%H%M%S')}.krkbak"  # noqa: DTZ005 (a local file name)
        )
        with tqdm(
            unit="B", unit_scale=True, file=self.stderr, disable=options["verbosity"] < 1, desc="backup"
        ) as bar:
            try:
                result = create_backup(output, secret, progress=bar.update)
            except archive.BackupError as exc:
                raise CommandError(str(exc)) from exc
        records = ", ".join(
            f"{label.split('.')[1]} {n}"
            for label, n in sorted(result.counts.items())
            if label in {"incidents.incident", "people.person", "evidence.evidenceitem"}
        )
        self.stdout.write(
            f"Backup written: {result.path} ({result.size} bytes, {result.members} members, database as "
            f"{result.database_format}; {records}).\nSHA-256 {result.sha256}\n"
            f"Remember: the data key file ({settings.ENCRYPTION_KEY_FILE}) is not in the archive."
        )
