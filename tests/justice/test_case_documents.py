"""Documents of a judicial case (issue 12, item 2 "…and documents"): attached through the page and the API,
stored encrypted like evidence, downloaded intact through the case's rule for those who see identities,
each receipt and download written to the audit chain with the hash."""

from __future__ import annotations

import base64
import hashlib
import html
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from justice_builders import make_case, verified_violation

from conftest import client_for, field_errors
from kurukan.accounts.models import Confidentiality
from kurukan.audit.models import AuditEvent
from kurukan.evidence import storage
from kurukan.justice.models import CaseDocument

JUDGMENT = b"JUGEMENT du Tribunal de grande instance - Amadou Maiga partie civile\n" + os.urandom(90_000)


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def text(response) -> str:
    return html.unescape(response.content.decode())


def attach(client, case, content: bytes = JUDGMENT, name: str = "jugement_maiga.pdf", **fields):
    data = {
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        "kind": "judgment",
        "dated": "2024-11-20",
        "description": "Jugement de condamnation",
    }
    data.update(fields)
    return client.post(reverse("justice:document_add", args=[case.public_id]), data)


def test_a_judgment_attached_on_the_page_is_stored_encrypted_and_downloaded_intact(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    response = attach(client, case)
    assert response.status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.sha256 == hashlib.sha256(JUDGMENT).hexdigest()
    assert document.kind == "judgment" and document.size == len(JUDGMENT)
    assert b"Amadou Maiga" not in storage.path_for(document.sha256).read_bytes()  # encrypted at rest

    page = text(client.get(reverse("justice:case_detail", args=[case.public_id])))
    assert "Jugement ou arrêt" in page and "jugement_maiga.pdf" in page

    download = client.get(reverse("justice:document_download", args=[case.public_id, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == JUDGMENT
    assert download["Content-Disposition"].startswith("attachment")
    events = AuditEvent.objects.filter(object_id=case.public_id).order_by("sequence")
    received, downloaded = (e for e in events if e.details.get("document") == document.pk)
    assert received.details["event"] == "document received" and received.details["sha256"] == document.sha256
    assert downloaded.action == "export" and downloaded.details["integrity_ok"] is True
    assert "jugement_maiga" not in str(received.details) + str(downloaded.details)  # no name in the log


def test_the_same_file_twice_is_one_document(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    attach(client, case)
    again = attach(client, case, name="copie.pdf")
    assert again.status_code == 302
    assert CaseDocument.objects.filter(case=case).count() == 1


def test_errors_are_shown_on_the_field(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    empty = attach(client, case, content=b"")
    assert empty.status_code == 422
    assert field_errors(empty.content, "file"), "the empty file is refused on its field"
    future = attach(client, case, dated="2999-01-01")
    assert "Cette date est dans le futur" in " ".join(field_errors(future.content, "dated"))
    assert not CaseDocument.objects.exists()


def test_htmx_swaps_the_case_body_with_the_document(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    response = client.post(
        reverse("justice:document_add", args=[case.public_id]),
        {"file": SimpleUploadedFile("plainte.pdf", b"plainte", content_type="application/pdf"),
         "kind": "complaint", "dated": "", "description": ""},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-body",
    )  # fmt: skip
    assert response.status_code == 200
    body = text(response)
    assert "Pièce jointe à la procédure" in body and "<html" not in body and "Plainte" in body


def test_an_analyst_sees_the_case_but_neither_the_names_nor_the_files(monitor, analyst):
    case = make_case(monitor, [verified_violation(monitor)])
    attach(client_for(monitor), case)
    document = CaseDocument.objects.get()
    client = client_for(analyst)
    page = text(client.get(reverse("justice:case_detail", args=[case.public_id])))
    assert "Jugement ou arrêt" in page
    assert "jugement_maiga" not in page and "Jugement de condamnation" not in page
    url = reverse("justice:document_download", args=[case.public_id, document.pk])
    assert client.get(url).status_code == 403
    assert attach(client, case).status_code == 403
    api = client.get(reverse("api:case_detail", args=[case.public_id])).json()
    assert api["documents"][0]["name"] == "" and api["documents"][0]["kind_code"] == "judgment"


def test_a_restricted_case_document_is_hidden_from_another_organisation(monitor, cndh_monitor):
    case = make_case(monitor, [verified_violation(monitor, confidentiality=Confidentiality.RESTRICTED)])
    attach(client_for(monitor), case)
    document = CaseDocument.objects.get()
    url = reverse("justice:document_download", args=[case.public_id, document.pk])
    assert client_for(cndh_monitor).get(url).status_code == 404


def test_an_altered_file_is_not_sent(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    attach(client, case)
    document = CaseDocument.objects.get()
    path = storage.path_for(document.sha256)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    response = client.get(reverse("justice:document_download", args=[case.public_id, document.pk]))
    assert response.status_code == 409
    assert "ne correspond plus" in text(response)
    api = client.get(reverse("api:case_document_download", args=[case.public_id, document.pk]))
    assert api.status_code == 409 and "altérée" in api.json()["detail"]
    assert AuditEvent.objects.filter(details__event="document integrity failed").count() == 2


def test_the_api_attaches_and_downloads_a_document(monitor, analyst):
    case = make_case(monitor, [verified_violation(monitor)])
    client = client_for(monitor)
    url = reverse("api:case_document_add", args=[case.public_id])
    body = {
        "kind": "indictment",
        "name": "acte.pdf",
        "media_type": "application/pdf",
        "content_base64": base64.b64encode(JUDGMENT).decode(),
        "dated": "2024-05-02",
    }
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["sha256"] == hashlib.sha256(JUDGMENT).hexdigest()
    assert created.json()["name"] == "acte.pdf"
    bad = client.post(url, {**body, "content_base64": "pas du base64 !"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "content_base64"
    denied = client_for(analyst).post(url, body, content_type="application/json")
    assert denied.status_code == 403
    document_id = created.json()["id"]
    download = client.get(reverse("api:case_document_download", args=[case.public_id, document_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == JUDGMENT
    assert AuditEvent.objects.filter(details__via="api", details__event="document downloaded").exists()


def test_key_rotation_keeps_the_keys_case_documents_need(monitor):
    case = make_case(monitor, [verified_violation(monitor)])
    attach(client_for(monitor), case)
    from kurukan import crypto

    assert storage.key_ids_in_use() == {crypto.get_keyring().active}
