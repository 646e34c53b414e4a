"""Encrypted backups of the database and the evidence files, and their verified restore (docs/backups.md).

archive.py   the container: one file, AES-256-GCM in STREAM chunks under a backup key that is not the data
             keyring (a scrypt-stretched passphrase or a backup key file)
database.py  a consistent snapshot per engine (SQLite backup API, pg_dump, Django JSON) and its restore
jobs.py      `create_backup` and `restore_backup`, as the `kurukan backup` / `kurukan restore` commands run them
"""
