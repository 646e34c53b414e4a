"""Encrypted forms, as ODK's encrypted-submission specification has them (ODK Collect's EncryptionUtils,
ODK Briefcase and Central decrypt the same way):

- the form carries the organisation's RSA public key (XLSForm setting `public_key`, base64 DER);
- the phone draws a random 256-bit AES key per submission, encrypts it with RSA-OAEP (SHA-256, MGF1
  SHA-256) into the manifest's `base64EncryptedKey`, and encrypts each file (media first, the submission
  XML last) with AES-256-CFB and PKCS#5 padding;
- each file's IV is the MD5 of the instance id and the AES key, with byte `i mod 16` incremented before the
  i-th file (counting from 0).

Submissions stay unreadable on the phone and on the KoboToolbox or ODK Central server. Kurukan keeps each
organisation's private key beside its other keys (`keys/forms/<organisation>.pem`, owner-only) and decrypts
at import. Back that file up apart from the data, as the encryption key file.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.decrepit.ciphers.modes import CFB  # the mode the ODK specification fixes
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from defusedxml.ElementTree import fromstring
from django.conf import settings

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


class DecryptionError(Exception):
    """A submission that cannot be opened with the organisation's key (wrong key, damaged file)."""


def key_path(organisation: str) -> Path:
    return Path(settings.ENCRYPTION_KEY_FILE).parent / "forms" / f"{organisation}.pem"


def private_key(organisation: str, *, create: bool = False) -> rsa.RSAPrivateKey:
    path = key_path(organisation)
    if not path.exists():
        if not create:
            raise DecryptionError(f"no form key for {organisation}")
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return key
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey)
    return loaded


def public_key_setting(key: rsa.RSAPrivateKey) -> str:
    """The XLSForm `public_key` value: the public key's DER, base64, on one line."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii")


def initial_vector(instance_id: str, aes_key: bytes) -> bytearray:
    return bytearray(hashlib.md5(instance_id.encode() + aes_key, usedforsecurity=False).digest())


def next_vector(seed: bytearray, counter: int) -> bytes:
    seed[counter % 16] = (seed[counter % 16] + 1) & 0xFF  # Java's byte increment wraps
    return bytes(seed)


def _unpad(data: bytes) -> bytes:
    size = data[-1] if data else 0
    if not 1 <= size <= 16 or data[-size:] != bytes([size]) * size:
        raise DecryptionError("bad padding")
    return data[:-size]


def decrypt_submission(manifest: bytes, files: dict[str, bytes], key: rsa.RSAPrivateKey) -> bytes:
    """The submission's XML, from its manifest (`submission.xml`) and its encrypted files by name."""
    root = fromstring(manifest)
    ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""

    def text(tag: str) -> str:
        found = next((e for e in root.iter() if e.tag.split("}")[-1] == tag), None)
        return (found.text or "").strip() if found is not None else ""

    try:
        aes_key = key.decrypt(base64.b64decode(text("base64EncryptedKey")), OAEP)
    except ValueError as exc:
        raise DecryptionError("the key does not open this submission") from exc
    seed = initial_vector(text("instanceID"), aes_key)
    media = [(e.text or "").strip() for e in root.iter(f"{ns}file")]
    for counter in range(len(media)):  # media come first; only the submission is read, but each takes an IV
        next_vector(seed, counter)
    name = text("encryptedXmlFile")
    if name not in files:
        raise DecryptionError(f"missing file {name}")
    decryptor = Cipher(algorithms.AES(aes_key), CFB(next_vector(seed, len(media)))).decryptor()
    return _unpad(decryptor.update(files[name]) + decryptor.finalize())
