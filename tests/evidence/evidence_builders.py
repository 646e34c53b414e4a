"""Builders shared by the evidence tests: an isolated MEDIA_ROOT and evidence received the way the page does."""

from __future__ import annotations

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

# A victim's photo stand-in: a recognisable phrase (so a plaintext leak is greppable) spread over several
# 64 KiB encryption chunks, with random bytes so it does not compress into one repeated block.
SECRET_PHRASE = b"Photo of Amadou Maiga, Ogossagou"
PHOTO = SECRET_PHRASE + os.urandom(150_000) + SECRET_PHRASE * 100 + os.urandom(50_000)


def upload(client, incident, content: bytes = PHOTO, name: str = "amadou_maiga_corps.jpg", **fields):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        "description": "Photographie du corps",
        "received_from": "Témoin T-04",
        "received_at": "",
    }
    data.update(fields)
    return client.post(reverse("evidence:upload", args=[incident.public_id]), data)


def receive(incident, user, content: bytes = PHOTO, name: str = "photo.jpg"):
    from kurukan.evidence import actions, storage

    item, _created = actions.receive_evidence(
        incident, user, storage.spool_from(io.BytesIO(content)), original_name=name, media_type="image/jpeg"
    )
    return item


class PlaintextTempFileHandler:
    """Stands for Django's default handlers (which write big uploads to /tmp in clear): must never run."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("evidence uploads must bypass Django's default upload handlers")
