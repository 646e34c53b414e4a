"""Evidence files on disk: content-addressed by SHA-256, encrypted at rest, checked on every read.

A file lives at `MEDIA_ROOT/evidence/ab/cd/<sha256>` and holds (format 1):

    magic "KRKEV1" | key id length (1 byte) | key id | salt (32) | sha256 (32) | size (8, big-endian)
    then the STREAM chunks (kurukan.evidence.streaming), the whole header bound to every chunk

The chunk key is derived from the keyring key named in the header, so a seized disk yields nothing without
the key file, and the plaintext hash and size sit in the authenticated header: an altered byte, a dropped
chunk or a file renamed to another hash all fail. Reading re-hashes the plaintext as a second check.

Intake never writes plaintext to disk: an upload is first spooled encrypted under a throw-away key held in
memory (hashing as it goes), then re-encrypted under the keyring once its hash is known.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from kurukan import crypto

from .streaming import SALT_BYTES, StreamError, StreamWriter, decrypt_chunks, derive_key

MAGIC = b"KRKEV1"
PURPOSE = b"kurukan evidence file v1"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class EvidenceIntegrityError(Exception):
    """A stored evidence file is missing, altered or unreadable."""

    def __init__(self, sha256: str, problem: str) -> None:
        super().__init__(f"{sha256}: {problem}")
        self.sha256 = sha256
        self.problem = problem


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    reused: bool


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def path_for(sha256: str) -> Path:
    if not SHA256_RE.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return evidence_root() / sha256[:2] / sha256[2:4] / sha256


def _tmp_dir() -> Path:
    # Beside the final files, so the last step is an atomic rename on one file system.
    path = evidence_root() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Spool:
    """An upload on its way in: encrypted under a key that exists only in this object, hashed as written."""

    def __init__(self, directory: Path | None = None) -> None:
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._file = tempfile.TemporaryFile(dir=directory or _tmp_dir())  # noqa: SIM115 (closed by discard())
        self._hash = hashlib.sha256()
        self._records = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        if not data:
            return
        self._hash.update(data)
        self.size += len(data)
        sealed = self._aead.encrypt(self._records.to_bytes(12, "big"), data, None)
        self._file.write(len(sealed).to_bytes(4, "big") + sealed)
        self._records += 1

    def flush(self) -> None:
        """File-like, so serialisers and `dumpdata` can write into it."""

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def chunks(self) -> Iterator[bytes]:
        self._file.seek(0)
        for index in range(self._records):
            length = int.from_bytes(self._file.read(4), "big")
            yield self._aead.decrypt(index.to_bytes(12, "big"), self._file.read(length), None)

    def discard(self) -> None:
        self._file.close()


def spool_from(source: BinaryIO | Iterable[bytes], chunk_size: int = 1024 * 1024) -> Spool:
    spool = Spool()
    if hasattr(source, "read"):
        while block := source.read(chunk_size):
            spool.write(block)
    else:
        for block in source:
            spool.write(block)
    return spool


def _header(key_id: str, salt: bytes, sha256: str, size: int) -> bytes:
    kid = key_id.encode("ascii")
    return MAGIC + len(kid).to_bytes(1, "big") + kid + salt + bytes.fromhex(sha256) + size.to_bytes(8, "big")


def _read_header(handle: BinaryIO, sha256: str) -> tuple[bytes, str, bytes, int]:
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise EvidenceIntegrityError(sha256, "not a Kurukan evidence file (header altered)")
    kid_len = handle.read(1)
    kid = handle.read(kid_len[0] if kid_len else 0)
    rest = handle.read(SALT_BYTES + 32 + 8)
    if len(rest) != SALT_BYTES + 40:
        raise EvidenceIntegrityError(sha256, "header truncated")
    salt, digest, size = rest[:SALT_BYTES], rest[SALT_BYTES:-8], int.from_bytes(rest[-8:], "big")
    if digest.hex() != sha256:
        raise EvidenceIntegrityError(sha256, "header names another file (renamed or altered)")
    return magic + kid_len + kid + rest, kid.decode("ascii", "replace"), salt, size


def commit(spool: Spool) -> StoredFile:
    """Store the spooled content under its hash, unless an intact copy is already there."""
    sha256, size = spool.sha256, spool.size
    target = path_for(sha256)
    try:
        if target.exists():
            try:
                verify(sha256)
                return StoredFile(sha256, size, reused=True)
            except EvidenceIntegrityError:
                pass  # a damaged copy is replaced by the genuine one just received (the caller logs it)
        ring = crypto.get_keyring()
        salt = secrets.token_bytes(SALT_BYTES)
        header = _header(ring.active, salt, sha256, size)
        key = derive_key(ring.keys[ring.active], salt, PURPOSE)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=_tmp_dir())
        try:
            with os.fdopen(fd, "wb") as out:
                with StreamWriter(out, key, header) as writer:
                    check = hashlib.sha256()
                    for block in spool.chunks():
                        check.update(block)
                        writer.write(block)
                if check.hexdigest() != sha256:
                    raise EvidenceIntegrityError(sha256, "spooled upload changed before storage")
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return StoredFile(sha256, size, reused=False)
    finally:
        spool.discard()


def open_chunks(sha256: str) -> Iterator[bytes]:
    """Authenticated plaintext of a stored file; raises EvidenceIntegrityError at the first bad byte."""
    path = path_for(sha256)
    try:
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise EvidenceIntegrityError(sha256, "file missing") from exc
    with handle:
        header, key_id, salt, size = _read_header(handle, sha256)
        ring = crypto.get_keyring()
        if key_id not in ring.keys:
            raise EvidenceIntegrityError(sha256, f"encrypted under key {key_id!r}, absent from the key file")
        key = derive_key(ring.keys[key_id], salt, PURPOSE)
        digest = hashlib.sha256()
        seen = 0
        try:
            for block in decrypt_chunks(handle, key, header):
                digest.update(block)
                seen += len(block)
                yield block
        except StreamError as exc:
            raise EvidenceIntegrityError(sha256, f"altered or truncated (chunk {exc.chunk})") from exc
        if seen != size or digest.hexdigest() != sha256:
            raise EvidenceIntegrityError(sha256, "content does not match its SHA-256")


def verify(sha256: str) -> int:
    """Decrypt and re-hash the whole file; return its size or raise EvidenceIntegrityError."""
    return sum(len(block) for block in open_chunks(sha256))


def key_id_of_file(sha256: str) -> str:
    """The keyring key a file needs: key rotation must keep it until the file is re-encrypted."""
    with path_for(sha256).open("rb") as handle:
        return _read_header(handle, sha256)[1]


def key_ids_in_use() -> set[str]:
    """Key ids the stored evidence files need (read from their headers); `kurukan keys rotate --retire`
    must keep these, since rotation re-encrypts database values but not files."""
    from itertools import chain

    from kurukan.justice.models import CaseDocument  # case documents are stored here too

    from .models import EvidenceItem

    used = set()
    hashes = chain(
        EvidenceItem.objects.values_list("sha256", flat=True).distinct().iterator(),
        CaseDocument.objects.values_list("sha256", flat=True).distinct().iterator(),
    )
    for sha256 in hashes:
        try:
            used.add(key_id_of_file(sha256))
        except (OSError, EvidenceIntegrityError):
            continue  # a missing or damaged file is reported by `kurukan evidence verify`
    return used
