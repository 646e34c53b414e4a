"""Authenticated encryption of byte streams of any length in constant memory (evidence files, backups).

`cryptography` offers AES-GCM only as a one-shot AEAD (the whole message in memory), and its incremental
GCM decryptor hands out plaintext before the tag is checked. So we use the STREAM construction (Hoang,
Reyhanitabar, Rogaway and Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance",
CRYPTO 2015), the one behind Tink's streaming AEAD and age, over AES-256-GCM:

- a fresh 256-bit key per stream, derived with HKDF-SHA256 from a long-term key and a random 32-byte salt
  written in the header, so the counter nonces below are never reused under one key;
- the plaintext is cut in fixed-size chunks; chunk i is sealed with nonce = i (11 bytes) ‖ last-flag (1 byte)
  and the header as associated data, so chunks cannot be reordered, dropped, duplicated or moved to
  another stream, and a stream cut at a chunk boundary fails because its last chunk lacks the flag;
- every chunk is authenticated before a single byte of it is released.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CHUNK_SIZE = 64 * 1024
TAG_BYTES = 16
SALT_BYTES = 32


class StreamError(Exception):
    """The stream failed authentication: altered, truncated, extended, or opened with the wrong key."""

    def __init__(self, message: str, chunk: int | None = None) -> None:
        super().__init__(message)
        self.chunk = chunk


def derive_key(master: bytes, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=purpose).derive(master)


def key_check(key: bytes) -> bytes:
    """A short value that tells "wrong key" from "damaged stream" without revealing the key."""
    return hmac.new(key, b"kurukan stream key check", hashlib.sha256).digest()[:16]


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class StreamWriter:
    """File-like sink: `write()` plaintext, `close()` seals the last chunk. Does not close `out`."""

    def __init__(self, out: BinaryIO, key: bytes, header: bytes, chunk_size: int = CHUNK_SIZE) -> None:
        self._out = out
        self._aead = AESGCM(key)
        self._header = header
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        out.write(header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known when the stream closes.
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def _seal(self, plain: bytes, last: bool) -> None:
        self._out.write(self._aead.encrypt(_nonce(self._index, last), plain, self._header))
        self._index += 1

    def __enter__(self) -> StreamWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()


def decrypt_chunks(
    source: BinaryIO, key: bytes, header: bytes, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """Yield authenticated plaintext chunks read from `source`, positioned just after the header."""
    aead = AESGCM(key)
    sealed_size = chunk_size + TAG_BYTES
    index = 0
    current = source.read(sealed_size)
    while True:
        following = source.read(sealed_size) if len(current) == sealed_size else b""
        last = not following
        if len(current) < TAG_BYTES:
            raise StreamError("stream truncated", chunk=index)
        try:
            yield aead.decrypt(_nonce(index, last), current, header)
        except InvalidTag as exc:
            raise StreamError("chunk failed authentication", chunk=index) from exc
        if last:
            return
        index += 1
        current = following


class StreamReader:
    """File-like view of `decrypt_chunks` for consumers that want `read(n)` (tarfile)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
