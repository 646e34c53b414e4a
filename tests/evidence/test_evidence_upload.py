"""A monitor receives evidence through the incident's evidence page; only people who may see identities
download it, and everything they do lands in the custody trail and the audit chain."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse
from evidence_builders import PHOTO, SECRET_PHRASE, receive, upload

from conftest import assert_no_stack_trace, client_for, make_incident
from kurukan.audit.models import AuditEvent
from kurukan.evidence import storage
from kurukan.evidence.models import CustodyAction, CustodyEvent, EvidenceItem


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def test_a_monitor_uploads_evidence_hashed_at_intake_and_encrypted_on_disk(monitor, media_root):
    incident = make_incident(monitor)
    response = upload(client_for(monitor), incident)
    assert response.status_code == 302

    item = EvidenceItem.objects.get(incident=incident)
    assert item.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert item.size == len(PHOTO)
    assert item.original_name == "amadou_maiga_corps.jpg"
    assert item.media_type == "image/jpeg"
    assert (item.received_by, item.organisation, item.confidentiality) == (
        monitor,
        incident.organisation,
        incident.confidentiality,
    )
    on_disk = storage.path_for(item.sha256)
    assert on_disk == media_root / "evidence" / item.sha256[:2] / item.sha256[2:4] / item.sha256
    stored = on_disk.read_bytes()
    assert SECRET_PHRASE not in stored and PHOTO[1000:1032] not in stored
    # Nothing left behind by the upload: no plaintext or spool file anywhere under MEDIA_ROOT.
    assert [p for p in media_root.rglob("*") if p.is_file()] == [on_disk]


def test_protected_fields_are_encrypted_in_the_database(monitor):
    incident = make_incident(monitor)
    upload(client_for(monitor), incident)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name, description, received_from FROM evidence_evidenceitem")
        row = cursor.fetchone()
    assert all(value.startswith("k1$") for value in row)
    assert "amadou" not in " ".join(row).lower()


def test_the_download_streams_back_exactly_the_original_and_logs_a_custody_event(monitor):
    incident = make_incident(monitor)
    client = client_for(monitor)
    upload(client, incident)
    item = EvidenceItem.objects.get(incident=incident)

    response = client.get(reverse("evidence:download", args=[incident.public_id, item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PHOTO
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store, private"

    trail = list(CustodyEvent.objects.filter(item=item).values_list("action", "by", "integrity_ok"))
    assert trail == [
        (CustodyAction.RECEIVED, monitor.pk, True),
        (CustodyAction.VERIFIED, monitor.pk, True),
        (CustodyAction.DOWNLOADED, monitor.pk, None),
    ]


def test_every_custody_event_enters_the_audit_chain_without_names(monitor):
    incident = make_incident(monitor)
    client = client_for(monitor)
    upload(client, incident)
    item = EvidenceItem.objects.get(incident=incident)
    client.get(reverse("evidence:download", args=[incident.public_id, item.pk]))
    client.post(
        reverse("evidence:custody", args=[incident.public_id, item.pk]),
        {
            "action": "transferred",
            "counterparty": "Greffe du pôle judiciaire spécialisé",
            "note": "Clé USB scellée",
        },
    )

    events = AuditEvent.objects.filter(object_type="evidence.evidenceitem", object_id=str(item.pk)).order_by(
        "sequence"
    )
    assert [e.details["custody"] for e in events] == ["received", "verified", "downloaded", "transferred"]
    assert [e.action for e in events] == ["create", "verify", "export", "share"]
    for event in events:
        assert event.details["sha256"] == item.sha256 and event.details["item"] == item.pk
    everything = json.dumps([e.details for e in AuditEvent.objects.all()], ensure_ascii=False).lower()
    for identifying in ("amadou", "maiga", "témoin", "greffe", "photographie", "clé usb"):
        assert identifying not in everything


def test_the_same_content_twice_reuses_the_file_and_adds_a_custody_event(monitor, media_root):
    incident = make_incident(monitor)
    client = client_for(monitor)
    upload(client, incident)
    response = upload(client, incident, name="copie.jpg", received_from="Témoin T-07")
    assert response.status_code == 302

    item = EvidenceItem.objects.get(incident=incident)
    assert item.original_name == "amadou_maiga_corps.jpg"
    received = CustodyEvent.objects.filter(item=item, action=CustodyAction.RECEIVED)
    assert [e.counterparty for e in received] == ["Témoin T-04", "Témoin T-07"]
    assert len([p for p in (media_root / "evidence").rglob("*") if p.is_file()]) == 1


def test_the_list_shows_hash_custody_trail_and_integrity_badge(monitor):
    incident = make_incident(monitor)
    client = client_for(monitor)
    upload(client, incident)
    item = EvidenceItem.objects.get(incident=incident)
    page = client.get(reverse("evidence:list", args=[incident.public_id])).content.decode()
    assert item.sha256 in page
    assert "integrity-ok" in page
    assert "amadou_maiga_corps.jpg" in page
    assert "Témoin T-04" in page


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(monitor, settings, media_root):
    settings.EVIDENCE_MAX_BYTES = 100_000
    incident = make_incident(monitor)
    response = upload(client_for(monitor), incident)
    assert response.status_code == 422
    assert_no_stack_trace(response)
    assert "taille maximale" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_an_empty_form_names_the_missing_file(monitor):
    incident = make_incident(monitor)
    response = client_for(monitor).post(
        reverse("evidence:upload", args=[incident.public_id]), {"description": "x"}
    )
    assert response.status_code == 422
    assert_no_stack_trace(response)
    assert not EvidenceItem.objects.exists()


def test_another_organisations_monitor_gets_404_everywhere(monitor, cndh_monitor):
    incident = make_incident(monitor)
    item = receive(incident, monitor)
    client = client_for(cndh_monitor)
    assert client.get(reverse("evidence:list", args=[incident.public_id])).status_code == 404
    assert client.get(reverse("evidence:download", args=[incident.public_id, item.pk])).status_code == 404
    assert upload(client, incident).status_code == 404
    assert EvidenceItem.objects.count() == 1


def test_an_item_is_only_reachable_through_its_own_incident(monitor):
    first, second = make_incident(monitor), make_incident(monitor, title="Autre")
    item = receive(first, monitor)
    response = client_for(monitor).get(reverse("evidence:download", args=[second.public_id, item.pk]))
    assert response.status_code == 404


def test_an_analyst_sees_hashes_but_no_names_and_cannot_download_or_upload(monitor, analyst):
    incident = make_incident(monitor)
    upload(client_for(monitor), incident)
    item = EvidenceItem.objects.get(incident=incident)
    client = client_for(analyst)

    page = client.get(reverse("evidence:list", args=[incident.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert item.sha256 in body
    assert "amadou" not in body.lower() and "Témoin" not in body
    assert client.get(reverse("evidence:download", args=[incident.public_id, item.pk])).status_code == 403
    assert client.get(reverse("evidence:view", args=[incident.public_id, item.pk])).status_code == 403
    assert upload(client, incident, content=b"other").status_code == 403
    assert not CustodyEvent.objects.filter(action=CustodyAction.DOWNLOADED).exists()


def test_viewing_in_the_browser_is_sandboxed_and_logged_as_viewed(monitor):
    incident = make_incident(monitor)
    item = receive(incident, monitor)
    response = client_for(monitor).get(reverse("evidence:view", args=[incident.public_id, item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PHOTO
    assert CustodyEvent.objects.filter(item=item, action=CustodyAction.VIEWED).count() == 1


def test_uploads_bypass_the_default_handlers_that_write_plaintext_temp_files(monitor, settings):
    settings.FILE_UPLOAD_HANDLERS = ["evidence_builders.PlaintextTempFileHandler"]
    incident = make_incident(monitor)
    assert upload(client_for(monitor), incident).status_code == 302
    assert EvidenceItem.objects.filter(incident=incident).exists()
