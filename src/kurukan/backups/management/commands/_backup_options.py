"""Where `kurukan backup` and `kurukan restore` get the backup secret: never from the data keyring."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError

from kurukan.backups.archive import BackupError, BackupSecret

ENV_PASSPHRASE = "KURUKAN_BACKUP_PASSPHRASE"  # noqa: S105 (the variable's name, not a secret)


def add_secret_arguments(parser) -> None:
    parser.add_argument(
        "--passphrase-file", type=Path, help=f"File holding the backup passphrase (or set {ENV_PASSPHRASE})."
    )
    parser.add_argument(
        "--key-file", type=Path, help="Backup key file made by `kurukan backup --new-key-file`."
    )


def secret_from(options) -> BackupSecret:
    try:
        if options.get("key_file"):
            return BackupSecret.key_file(options["key_file"])
        if options.get("passphrase_file"):
            try:
                text = options["passphrase_file"].read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot read the passphrase file: {exc}") from exc
            return BackupSecret.passphrase(text)
        if os.environ.get(ENV_PASSPHRASE):
            return BackupSecret.passphrase(os.environ[ENV_PASSPHRASE])
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    raise CommandError(
        f"No backup secret: give --passphrase-file FILE, --key-file FILE or set {ENV_PASSPHRASE}. "
        "It must NOT be the data key file (see docs/backups.md)."
    )
