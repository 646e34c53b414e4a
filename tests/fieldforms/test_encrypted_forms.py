"""Encrypted forms: the XLSForm carries the organisation's public key; submissions encrypted on the phone (this
test encrypts them as ODK's encrypted-submission specification says, independently of Kurukan's decryptor)
import decrypted with the organisation's private key."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile

import pytest
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.core.management import call_command
from pyxform.xls2xform import convert

from kurukan.fieldforms import encryption
from kurukan.imports.models import QuarantinedRow
from kurukan.incidents.models import Incident, Victim

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

INSTANCE = """<?xml version='1.0' ?><data id="kurukan_incident" version="1">
<incident><title>Exécution à Ogossagou</title><start_date>2023-02-14</start_date><date_precision>day</date_precision>
<region>ML05</region><cercle>ML0503</cercle><commune>ML050301</commune><narrative>Récit chiffré.</narrative></incident>
<violation><violation_type>life.summary_execution</violation_type>
<victim><given_name>Fanta</given_name><family_name>Coulibaly</family_name><sex>female</sex><age>24</age></victim>
<perpetrator><perpetrator_category>nonstate.unidentified</perpetrator_category></perpetrator></violation>
<meta><instanceID>{instance_id}</instanceID></meta></data>"""


def encrypt_submission(
    public_key_b64: str, instance_id: str, xml: bytes, media: dict[str, bytes]
) -> dict[str, bytes]:
    """What ODK Collect sends: a manifest and the encrypted files (media first, then the submission)."""
    public_key = serialization.load_der_public_key(base64.b64decode(public_key_b64))
    aes_key = os.urandom(32)
    encrypted_key = public_key.encrypt(  # type: ignore[union-attr]
        aes_key,
        padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    seed = bytearray(hashlib.md5(instance_id.encode() + aes_key).digest())  # noqa: S324 (the spec's IV seed)
    files: dict[str, bytes] = {}
    for counter, (name, content) in enumerate([*media.items(), ("submission.xml", xml)]):
        seed[counter % 16] = (seed[counter % 16] + 1) % 256
        pad = 16 - len(content) % 16
        encryptor = Cipher(algorithms.AES(aes_key), CFB(bytes(seed))).encryptor()
        files[f"{name}.enc"] = encryptor.update(content + bytes([pad]) * pad) + encryptor.finalize()
    media_xml = "".join(f"<media><file>{name}.enc</file></media>" for name in media)
    files["submission.xml"] = (
        '<data xmlns="http://opendatakit.org/submissions" encrypted="yes" id="kurukan_incident" version="1">'
        f"<base64EncryptedKey>{base64.b64encode(encrypted_key).decode()}</base64EncryptedKey>"
        f'<meta xmlns="http://openrosa.org/xforms"><instanceID>{instance_id}</instanceID></meta>'
        f"{media_xml}<encryptedXmlFile>submission.xml.enc</encryptedXmlFile></data>"
    ).encode()
    return files


def run(path) -> dict:
    out = io.StringIO()
    call_command("import", str(path), "--organisation", "ohchr", "--format", "odk", "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_an_encrypted_form_carries_the_organisations_public_key(ohchr, tmp_path):
    target = tmp_path / "form.xlsx"
    call_command(
        "xlsform", "--encrypt", "--organisation", "ohchr", "--output", str(target), stdout=io.StringIO()
    )
    xform = convert(xlsform=str(target)).xform
    key = encryption.public_key_setting(encryption.private_key("ohchr"))
    assert f'base64RsaPublicKey="{key}"' in xform
    assert oct(encryption.key_path("ohchr").stat().st_mode)[-3:] == "600"


def test_encrypted_submissions_import_decrypted_with_the_organisations_key(ohchr, tmp_path):
    key = encryption.public_key_setting(encryption.private_key("ohchr", create=True))
    archive_path = tmp_path / "encrypted.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for n, media in ((1, {"photo.jpg": b"\xff\xd8 not really a photo"}), (2, {})):
            instance_id = f"uuid:5e1f0000-0000-4000-8000-00000000000{n}"
            xml = INSTANCE.format(instance_id=instance_id).encode()
            for name, content in encrypt_submission(key, instance_id, xml, media).items():
                archive.writestr(f"instances/{instance_id}/{name}", content)
    assert b"Coulibaly" not in archive_path.read_bytes()  # unreadable on the server and on a lost phone
    summary = run(archive_path)
    assert (summary["created"], summary["quarantined"]) == (2, 0)
    incident = Incident.objects.get(external_keys__key="uuid:5e1f0000-0000-4000-8000-000000000001")
    assert incident.narrative == "Récit chiffré." and incident.commune.pcode == "ML050301"
    victim = Victim.objects.get(violation__incident=incident)
    assert (victim.person.family_name, victim.age_at_time) == ("Coulibaly", 24)
    assert run(archive_path)["created"] == 0  # re-import: no duplicates


def test_a_submission_for_another_key_is_quarantined_sealed(ohchr, cndh, tmp_path):
    encryption.private_key("ohchr", create=True)
    other = encryption.public_key_setting(encryption.private_key("cndh", create=True))
    instance_id = "uuid:0ther000-0000-4000-8000-000000000001"
    files = encrypt_submission(other, instance_id, INSTANCE.format(instance_id=instance_id).encode(), {})
    archive_path = tmp_path / "wrong.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"instances/{instance_id}/{name}", content)
    assert run(archive_path)["quarantined"] == 1
    row = QuarantinedRow.objects.get()
    assert "ne s'ouvre pas avec la clé de l'organisation" in row.message_fr
    assert "Coulibaly" not in row.values and "Fanta" not in row.values
