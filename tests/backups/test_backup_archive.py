"""The archive format on its own, in-process: secrets, manifests and members an attacker might slip in."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kurukan.backups import archive, jobs

SECRET = archive.BackupSecret.passphrase("une phrase de passe assez longue")


def _archive(
    path: Path, members: dict[str, bytes], manifest: dict | None = None, secret: archive.BackupSecret = SECRET
) -> Path:
    listed = [
        {"name": name, "size": len(body), "sha256": __import__("hashlib").sha256(body).hexdigest()}
        for name, body in members.items()
    ]
    manifest = (
        manifest
        if manifest is not None
        else {
            "format": jobs.FORMAT,
            "version": jobs.VERSION,
            "database": {"vendor": "sqlite", "format": "sqlite3-backup"},
            "members": listed,
            "counts": {},
        }
    )
    with path.open("wb") as out, archive.open_writer(out, secret) as sealed:
        with tarfile.open(fileobj=sealed, mode="w|") as tar:
            for name, body in [*members.items(), ("manifest.json", json.dumps(manifest).encode())]:
                info = tarfile.TarInfo(name)
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
    return path


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch):
    """The cost is stored in each archive's header; these tests are about structure, not stretching."""
    monkeypatch.setattr(archive, "SCRYPT_LOG2_N", 12)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "files"
    return settings.DATA_DIR


def test_a_member_that_does_not_match_the_manifest_is_refused_before_anything_changes(tmp_path, data_dir):
    good = {"database/kurukan.sqlite3.gz": b"db", "files/evidence/aa/bb/x": b"file"}
    manifest = {
        "format": jobs.FORMAT,
        "version": jobs.VERSION,
        "database": {"format": "sqlite3-backup"},
        "members": [
            {"name": "database/kurukan.sqlite3.gz", "size": 2, "sha256": "0" * 64},
            {"name": "files/evidence/aa/bb/x", "size": 4, "sha256": "0" * 64},
        ],
    }
    path = _archive(tmp_path / "a.krkbak", good, manifest)
    with pytest.raises(archive.DamagedArchive, match="does not match the SHA-256"):
        jobs.restore_backup(path, SECRET)
    assert not (data_dir / "files").exists()
    assert not list(data_dir.glob(".backup-staging-*"))


def test_a_member_missing_from_the_manifest_is_refused(tmp_path, data_dir):
    path = _archive(
        tmp_path / "a.krkbak",
        {"database/kurukan.sqlite3.gz": b"db"},
        {"format": jobs.FORMAT, "version": jobs.VERSION, "members": []},
    )
    with pytest.raises(archive.DamagedArchive, match="does not match its manifest"):
        jobs.restore_backup(path, SECRET)


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "files/../../escape", "other/thing"])
def test_a_member_outside_the_expected_places_is_refused(tmp_path, data_dir, name):
    path = _archive(tmp_path / "a.krkbak", {name: b"x"})
    with pytest.raises(archive.DamagedArchive, match="unexpected member"):
        jobs.restore_backup(path, SECRET)
    assert not (tmp_path / "escape").exists()


def test_a_key_file_archive_asks_for_the_key_file(tmp_path, data_dir):
    key_path = tmp_path / "backup.key"
    call_command("backup", "--new-key-file", str(key_path), stdout=io.StringIO())
    assert key_path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup", "--new-key-file", str(key_path), stdout=io.StringIO())
    path = _archive(
        tmp_path / "k.krkbak",
        {"database/kurukan.sqlite3.gz": b"db"},
        secret=archive.BackupSecret.key_file(key_path),
    )
    with pytest.raises(archive.WrongSecret, match="backup key file"):
        jobs.restore_backup(path, SECRET)


def test_a_short_passphrase_or_none_at_all_is_refused_clearly(tmp_path, monkeypatch):
    monkeypatch.delenv("KURUKAN_BACKUP_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="No backup secret"):
        call_command("backup", "--output", str(tmp_path / "x"), stdout=io.StringIO())
    short = tmp_path / "short"
    short.write_text("court")
    with pytest.raises(CommandError, match="at least 12"):
        call_command(
            "backup", "--output", str(tmp_path / "x"), "--passphrase-file", str(short), stdout=io.StringIO()
        )


def test_not_a_backup_is_named_as_such(tmp_path, data_dir):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"x" * 100)
    with pytest.raises(archive.DamagedArchive, match="not a Kurukan backup"):
        jobs.restore_backup(path, SECRET)


@pytest.mark.parametrize("where", ["header", "middle", "last byte", "cut short", "cut at a chunk"])
def test_an_altered_or_truncated_archive_is_refused(tmp_path, data_dir, where):
    body = bytes(range(256)) * 1000  # several 64 KiB chunks
    data = bytearray(_archive(tmp_path / "a.krkbak", {"database/kurukan.sqlite3.gz": body}).read_bytes())
    if where == "header":
        data[20] ^= 1
    elif where == "middle":
        data[len(data) // 2] ^= 1
    elif where == "last byte":
        data[-1] ^= 1
    elif where == "cut short":
        data = data[:-100]
    else:
        data = data[: archive._HEADER.size + 2 * (64 * 1024 + 16)]
    path = tmp_path / "b.krkbak"
    path.write_bytes(bytes(data))
    with pytest.raises(archive.BackupError, match="damaged|altered|Wrong"):
        jobs.restore_backup(path, SECRET)
    assert not (data_dir / "files").exists()
