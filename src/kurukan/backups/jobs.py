"""Making a backup and restoring one. A restore checks the whole archive (authenticated encryption, then the
manifest's SHA-256 of every member) in a staging directory before it touches the database or a file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.db import connection

from kurukan import crypto
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.evidence.storage import Spool
from kurukan.evidence.streaming import StreamReader

from . import archive, database

FORMAT, VERSION = "kurukan-backup", 1
MANIFEST = "manifest.json"
Progress = Callable[[int], object]


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    members: int
    counts: dict[str, int]
    database_format: str


@dataclass
class RestoreResult:
    created_at: str
    database_format: str
    files: int
    counts: dict[str, int]
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)


def _staging_dir() -> Path:
    # Inside the data directory: the same protection as the live data, and the same file system.
    base = Path(settings.DATA_DIR)
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".backup-staging-", dir=base))


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not relative.startswith("evidence/tmp/"):
            yield relative, path


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            yield block


class _HashingOut:
    """The archive file as written: counted and hashed, so the report can name the archive's SHA-256."""

    def __init__(self, handle: BinaryIO, progress: Progress | None) -> None:
        self.handle, self.progress = handle, progress
        self.digest, self.size = hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


def _add(
    tar: tarfile.TarFile, name: str, size: int, chunks: Iterator[bytes], progress: Progress | None
) -> dict:
    digest = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for block in chunks:
            digest.update(block)
            if progress:
                progress(len(block))
            yield block

    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    tar.addfile(info, StreamReader(hashed()))  # type: ignore[arg-type]
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def create_backup(
    output: Path, secret: archive.BackupSecret, progress: Progress | None = None, user=None
) -> BackupResult:
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    staging = _staging_dir()
    dump = None
    try:
        dump = database.dump(staging)
        files = list(_media_files())
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            out = _HashingOut(raw, progress)
            with archive.open_writer(out, secret) as sealed:  # type: ignore[arg-type]
                with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                    members = [_add(tar, database.MEMBER[dump.format], dump.size, dump.chunks(), progress)]
                    for relative, path in files:
                        members.append(
                            _add(tar, f"files/{relative}", path.stat().st_size, _file_chunks(path), progress)
                        )
                    manifest = {
                        "format": FORMAT,
                        "version": VERSION,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "database": {"vendor": connection.vendor, "format": dump.format},
                        "counts": dump.counts,
                        "files": len(files),
                        "members": members,
                        # Which data keys the restored data needs: ids only, the keys are never in a backup.
                        "data_key_ids": sorted(crypto.get_keyring().keys),
                    }
                    body = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                    _add(tar, MANIFEST, len(body), iter([body]), None)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        if dump is not None and dump.spool is not None:
            dump.spool.discard()
        shutil.rmtree(staging, ignore_errors=True)
    sha256 = out.digest.hexdigest()
    audit.record(
        Action.EXPORT,
        user=user,
        object_type="backup",
        object_id=sha256[:16],
        members=len(members),
        bytes=out.size,
        database_format=dump.format,
    )
    return BackupResult(output, out.size, sha256, len(members), dump.counts, dump.format)


# --- restore --------------------------------------------------------------------------------------------


def _safe_member_name(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    if (
        not member.isfile()
        or name.startswith("/")
        or ".." in parts
        or not parts
        or not (name == MANIFEST or parts[0] in {"database", "files"})
    ):
        raise archive.DamagedArchive(f"The archive holds an unexpected member {name!r}: refused.")
    return name


@dataclass
class _Staged:
    manifest: dict
    seen: dict[str, tuple[int, str]]
    database_member: Path | Spool | None
    files: list[tuple[str, Path]]


def _stage(reader: StreamReader, staging: Path) -> _Staged:
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes = b""
    database_member: Path | Spool | None = None
    files: list[tuple[str, Path]] = []
    with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
        for member in tar:
            name = _safe_member_name(member)
            if name in seen or name == MANIFEST and manifest_bytes:
                raise archive.DamagedArchive(f"The archive holds {name!r} twice: refused.")
            source = tar.extractfile(member)
            assert source is not None
            digest, size = hashlib.sha256(), 0
            if name == MANIFEST:
                manifest_bytes = source.read(16 * 2**20)
                continue
            if name == database.MEMBER[database.JSON]:
                # Decrypted protected fields: kept encrypted under a throw-away key, never in clear on disk.
                sink: Spool | BinaryIO = Spool(directory=staging)
                database_member = sink  # type: ignore[assignment]
            else:
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                sink = target.open("wb")
                if name.startswith("database/"):
                    database_member = target
                else:
                    files.append((name.removeprefix("files/"), target))
            while block := source.read(1024 * 1024):
                digest.update(block)
                size += len(block)
                sink.write(block)
            if not isinstance(sink, Spool):
                sink.close()
            seen[name] = (size, digest.hexdigest())
    while reader.read(1024 * 1024):
        pass  # authenticate the stream to its last chunk: a cut-off archive fails here
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise archive.DamagedArchive("The archive has no readable manifest: refused.") from exc
    return _Staged(manifest, seen, database_member, files)


def _check_manifest(staged: _Staged) -> None:
    manifest = staged.manifest
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise archive.DamagedArchive(
            f"Unknown archive format {manifest.get('format')!r} version {manifest.get('version')!r}."
        )
    listed = {m["name"]: (m["size"], m["sha256"]) for m in manifest.get("members", [])}
    if listed.keys() != staged.seen.keys():
        missing = sorted(listed.keys() - staged.seen.keys())[:5]
        extra = sorted(staged.seen.keys() - listed.keys())[:5]
        raise archive.DamagedArchive(
            f"The archive does not match its manifest (missing {missing}, unlisted {extra})."
        )
    for name, expected in listed.items():
        if staged.seen[name] != tuple(expected):
            raise archive.DamagedArchive(f"{name} does not match the SHA-256 in the manifest: refused.")
    if staged.database_member is None:
        raise archive.DamagedArchive("The archive holds no database.")


def restore_backup(
    path: Path, secret: archive.BackupSecret, *, force: bool = False, progress: Progress | None = None
) -> RestoreResult:
    staging = _staging_dir()
    staged = None
    fresh_sqlite_file = database.sqlite_file_if_absent()
    try:
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise archive.BackupError(f"Cannot read {path}: {exc}") from exc
        with handle:
            reader = archive.open_reader(_Counting(handle, progress), secret)  # type: ignore[arg-type]
            try:
                staged = _stage(reader, staging)
            except tarfile.TarError as exc:
                raise archive.DamagedArchive(
                    f"The archive's contents are malformed ({exc}): refused."
                ) from exc
        _check_manifest(staged)
        db_format = staged.manifest["database"]["format"]
        database.check_restorable(db_format)
        # Everything is verified; from here on the installation changes.
        if database.is_in_use() and not force:
            raise archive.BackupError(
                "The database is not empty (it holds users, incidents or audit entries). Restoring would "
                "replace it: re-run with --force if that is intended. Nothing was changed."
            )
        assert staged.database_member is not None
        database.restore(db_format, staged.database_member, force=force)
        media = Path(settings.MEDIA_ROOT)
        for relative, source in staged.files:
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
        counts = database.current_counts()
        expected = staged.manifest.get("counts", {})
        mismatches = {
            label: (n, counts.get(label, 0))
            for label, n in expected.items()
            if label in database.RECORD_MODELS and counts.get(label, 0) != n
        }
        audit.record(
            Action.SYSTEM,
            object_type="backup",
            object_id="restore",
            archive_created_at=staged.manifest.get("created_at"),
            database_format=db_format,
            files=len(staged.files),
        )
        return RestoreResult(
            staged.manifest.get("created_at", ""), db_format, len(staged.files), counts, mismatches
        )
    except archive.BackupError:
        # Refused: leave the installation as it was found, not with an empty database file that the next
        # `kurukan migrate` would quietly fill and that a second restore would then call "in use".
        if fresh_sqlite_file is not None:
            database.remove_sqlite_file(fresh_sqlite_file)
        raise
    finally:
        if staged is not None and isinstance(staged.database_member, Spool):
            staged.database_member.discard()
        shutil.rmtree(staging, ignore_errors=True)


class _Counting:
    def __init__(self, handle: BinaryIO, progress: Progress | None) -> None:
        self.handle, self.progress = handle, progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.progress:
            self.progress(len(data))
        return data
