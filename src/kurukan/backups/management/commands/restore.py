from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kurukan.backups import archive
from kurukan.backups.jobs import restore_backup

from ._backup_options import add_secret_arguments, secret_from


class Command(BaseCommand):
    help = (
        "Restore an archive made by `kurukan backup`: checks it completely first (encryption and the "
        "SHA-256 of every member), refuses a database in use unless --force, then restores database and files. "
        "The data key file must already be in place (docs/backups.md)."
    )

    # The system checks open the database, and opening a SQLite database creates its file: a refused
    # restore onto a fresh install must leave no file behind (restore_backup removes what it created).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds records."
        )
        add_secret_arguments(parser)

    def handle(self, *args, **options):
        path: Path = options["archive"]
        secret = secret_from(options)
        size = path.stat().st_size if path.exists() else None
        with tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            file=self.stderr,
            disable=options["verbosity"] < 1,
            desc="restore",
        ) as bar:
            try:
                result = restore_backup(path, secret, force=options["force"], progress=bar.update)
            except archive.BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {result.created_at} ({result.database_format}, {result.files} files). "
            "Run `kurukan migrate` if this version is newer than the backup, then `kurukan evidence verify`."
        )
        if result.mismatches:
            details = "; ".join(
                f"{label}: expected {a}, found {b}" for label, (a, b) in result.mismatches.items()
            )
            raise CommandError(f"Restored, but the row counts differ from the manifest: {details}")
