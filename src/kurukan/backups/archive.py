"""The backup container. One file:

    magic "KRKBAK1\n" | kdf (1: scrypt passphrase, 2: key file) | log2 N, r, p (1 byte each) | salt (32)
    | chunk size (4) | key check (16)
    then a tar stream sealed in STREAM chunks (kurukan.evidence.streaming), the header bound to every chunk

The tar holds `database/…`, `files/…` (MEDIA_ROOT, whose evidence files are themselves encrypted under
the data keyring) and, last, `manifest.json` with the SHA-256 of every member. The data keyring is never
in the archive: a stolen backup and a stolen key file are each useless alone.
"""

from __future__ import annotations

import base64
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kurukan.evidence.streaming import (
    CHUNK_SIZE,
    SALT_BYTES,
    StreamError,
    StreamReader,
    StreamWriter,
    decrypt_chunks,
    derive_key,
    key_check,
)

MAGIC = b"KRKBAK1\n"
KDF_SCRYPT, KDF_KEY_FILE = 1, 2
# scrypt cost: N = 2**17, r = 8 takes 128 MiB and about half a second, per the scrypt paper's
# recommendation for interactive use (Percival 2009) raised to today's machines; stored in the header.
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 17, 8, 1
MIN_PASSPHRASE = 12
KEY_FILE_PREFIX = "kurukan-backup-key-v1:"
_HEADER = struct.Struct(f">8sBBBB{SALT_BYTES}sI16s")


class BackupError(Exception):
    """Anything that stops a backup or a restore, with a message for the operator."""


class WrongSecret(BackupError):
    pass


class DamagedArchive(BackupError):
    pass


@dataclass(frozen=True)
class BackupSecret:
    kind: int
    material: bytes

    @classmethod
    def passphrase(cls, text: str) -> BackupSecret:
        text = text.strip("\r\n")
        if len(text) < MIN_PASSPHRASE:
            raise BackupError(f"The backup passphrase must be at least {MIN_PASSPHRASE} characters long.")
        return cls(KDF_SCRYPT, text.encode("utf-8"))

    @classmethod
    def key_file(cls, path: Path) -> BackupSecret:
        try:
            text = path.read_text(encoding="ascii").strip()
            raw = base64.b64decode(text.removeprefix(KEY_FILE_PREFIX), validate=True)
        except (OSError, ValueError) as exc:
            raise BackupError(f"The backup key file {path} cannot be read: {exc}") from exc
        if not text.startswith(KEY_FILE_PREFIX) or len(raw) != 32:
            raise BackupError(
                f"{path} is not a Kurukan backup key file (make one with `kurukan backup --new-key-file`)."
            )
        return cls(KDF_KEY_FILE, raw)

    def derive(self, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
        if self.kind == KDF_SCRYPT:
            return Scrypt(salt=salt, length=32, n=2**log2_n, r=r, p=p).derive(self.material)
        return derive_key(self.material, salt, b"kurukan backup v1")


def new_key_file_text() -> str:
    return KEY_FILE_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii") + "\n"


def open_writer(out: BinaryIO, secret: BackupSecret) -> StreamWriter:
    salt = secrets.token_bytes(SALT_BYTES)
    key = secret.derive(salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    header = _HEADER.pack(
        MAGIC, secret.kind, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, CHUNK_SIZE, key_check(key)
    )
    return StreamWriter(out, key, header)


def open_reader(source: BinaryIO, secret: BackupSecret) -> StreamReader:
    """Check the header and the key, then give a reader that authenticates every chunk as it goes."""
    header = source.read(_HEADER.size)
    if len(header) != _HEADER.size or not header.startswith(MAGIC):
        raise DamagedArchive("This file is not a Kurukan backup archive (or its header is damaged).")
    _magic, kind, log2_n, r, p, salt, chunk_size, check = _HEADER.unpack(header)
    if kind != secret.kind:
        wanted = "a passphrase" if kind == KDF_SCRYPT else "a backup key file"
        raise WrongSecret(f"This archive was sealed with {wanted}: give that instead.")
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16 and 4096 <= chunk_size <= 16 * 2**20):
        raise DamagedArchive("The archive header is damaged (implausible parameters).")
    key = secret.derive(salt, log2_n, r, p)
    if not secrets.compare_digest(key_check(key), check):
        raise WrongSecret(
            "Wrong backup passphrase or key file: the archive cannot be opened with it. Nothing was changed."
        )
    return StreamReader(_translate(decrypt_chunks(source, key, header, chunk_size)))


def _translate(chunks):
    try:
        yield from chunks
    except StreamError as exc:
        raise DamagedArchive(
            f"The archive is damaged or was altered (chunk {exc.chunk} fails authentication). Nothing was changed."
        ) from exc
