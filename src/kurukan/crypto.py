"""Encryption at rest for identifying data: AES-256-GCM with key ids, and an HMAC blind index.

A stored value reads `k1$<base64(nonce | ciphertext | tag)>`: the key id says which key opens it, so keys
can rotate while old rows are re-encrypted in the background (`kurukan keys rotate`). The field's name is
bound in as associated data, so a ciphertext copied into another column fails its integrity check.

The blind index is HMAC-SHA256 of the normalised value under a separate key: it finds "Amadou Maïga" by
exact (normalised) name without storing the name, and reveals only equality.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEPARATOR = "$"
NONCE_BYTES = 12


class IntegrityError(Exception):
    """A stored value failed its integrity check: tampered with, truncated or under an unknown key."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    index_key: bytes
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    def cipher(self, key_id: str) -> AESGCM:
        if key_id not in self._ciphers:
            try:
                self._ciphers[key_id] = AESGCM(self.keys[key_id])
            except KeyError as exc:
                raise IntegrityError(f"unknown key id {key_id!r}") from exc
        return self._ciphers[key_id]

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {kid: _b64(k) for kid, k in self.keys.items()},
                "index_key": _b64(self.index_key),
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        try:
            data = json.loads(text)
            keys = {kid: base64.b64decode(k) for kid, k in data["keys"].items()}
            ring = cls(active=data["active"], keys=keys, index_key=base64.b64decode(data["index_key"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ImproperlyConfigured(f"The encryption key file is not valid: {exc}") from exc
        if ring.active not in ring.keys:
            raise ImproperlyConfigured(f"The active key id {ring.active!r} is not among the keys.")
        if any(len(k) != 32 for k in keys.values()) or len(ring.index_key) != 32:
            raise ImproperlyConfigured("Every encryption key must be 32 bytes (AES-256).")
        return ring

    @classmethod
    def generate(cls) -> Keyring:
        return cls(active="k1", keys={"k1": AESGCM.generate_key(bit_length=256)}, index_key=os.urandom(32))

    def with_new_active_key(self) -> Keyring:
        number = 1 + max(int(kid.lstrip("k") or 0) for kid in self.keys if kid.lstrip("k").isdigit())
        new_id = f"k{number}"
        keys = dict(self.keys, **{new_id: AESGCM.generate_key(bit_length=256)})
        return Keyring(active=new_id, keys=keys, index_key=self.index_key)

    def without(self, key_ids: set[str]) -> Keyring:
        return Keyring(
            active=self.active,
            keys={k: v for k, v in self.keys.items() if k not in key_ids},
            index_key=self.index_key,
        )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@lru_cache(maxsize=1)
def get_keyring() -> Keyring:
    if settings.ENCRYPTION_KEYS:
        return Keyring.from_json(settings.ENCRYPTION_KEYS)
    path = Path(settings.ENCRYPTION_KEY_FILE)
    if not path.exists():
        raise ImproperlyConfigured(
            f"No encryption key at {path}. Run `kurukan keys init` once (or set KURUKAN_ENCRYPTION_KEYS "
            "or KURUKAN_ENCRYPTION_KEY_FILE); see docs/security.md."
        )
    return Keyring.from_json(path.read_text(encoding="utf-8"))


def reset_keyring_cache() -> None:
    get_keyring.cache_clear()


def write_keyring(ring: Keyring, path: Path) -> None:
    """Write atomically with owner-only permissions: a half-written key file would lose every record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(ring.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def encrypt(plaintext: str, context: str, ring: Keyring | None = None) -> str:
    ring = ring or get_keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ring.cipher(ring.active).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{ring.active}{SEPARATOR}{_b64(nonce + sealed)}"


class Sealer:
    """`encrypt` for one field, with the cipher, key prefix and associated data prepared once: the bulk
    writer seals millions of values, and the per-call setup was most of the cost."""

    def __init__(self, context: str, ring: Keyring | None = None) -> None:
        ring = ring or get_keyring()
        self._encrypt = ring.cipher(ring.active).encrypt
        self._prefix = f"{ring.active}{SEPARATOR}"
        self._aad = context.encode("utf-8")

    def __call__(self, value: str | None) -> str:
        """The sealed value; "" for an empty one, as the encrypted field stores it."""
        if not value:
            return ""
        nonce = os.urandom(NONCE_BYTES)
        return self._prefix + _b64(nonce + self._encrypt(nonce, value.encode("utf-8"), self._aad))


def decrypt(stored: str, context: str, ring: Keyring | None = None) -> str:
    ring = ring or get_keyring()
    key_id, sep, payload = stored.partition(SEPARATOR)
    if not sep:
        raise IntegrityError("not an encrypted value")
    try:
        raw = base64.b64decode(payload, validate=True)
        plain = ring.cipher(key_id).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except (InvalidTag, ValueError) as exc:
        raise IntegrityError("integrity check failed") from exc
    return plain.decode("utf-8")


def key_id_of(stored: str) -> str:
    return stored.partition(SEPARATOR)[0]


def normalise_for_index(value: str) -> str:
    """Case, accents, punctuation and spacing do not matter to an exact-name lookup."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


def blind_index(value: str, ring: Keyring | None = None) -> str:
    ring = ring or get_keyring()
    normalised = normalise_for_index(value)
    if not normalised:
        return ""
    return hmac.new(ring.index_key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
