from __future__ import annotations

from django.urls import reverse

from conftest import client_for, make_incident
from kurukan.audit import log
from kurukan.audit.models import Action, AuditEvent


def test_administrators_list_and_filter_the_audit_log(administrator, monitor):
    incident = make_incident(monitor)
    log.record(Action.VIEW, user=monitor, obj=incident)
    # A colon never occurs in the page's random tokens (CSRF, CSP nonce): "x1" alone once did.
    log.record(Action.EXPORT, user=administrator, object_type="export", object_id="export:x1")
    client = client_for(administrator)
    assert "export:x1" in client.get(reverse("audit:list")).content.decode()  # shown when not filtered out
    page = client.get(reverse("audit:list"), {"action": "view"})
    body = page.content.decode()
    assert page.status_code == 200
    assert incident.public_id in body and "export:x1" not in body
    page = client.get(reverse("audit:list"), {"username": monitor.username})
    assert "export:x1" not in page.content.decode()


def test_only_administrators_see_the_audit_log(monitor, coordinator, analyst):
    for user in (monitor, coordinator, analyst):
        assert client_for(user).get(reverse("audit:list")).status_code == 403


def test_the_chain_check_on_the_page_reports_tampering(administrator, monitor):
    make_incident(monitor)
    log.record(Action.VIEW, user=monitor, object_type="x", object_id="1")
    client = client_for(administrator)
    assert "intacte" in client.post(reverse("audit:verify")).content.decode()
    AuditEvent.objects.filter(sequence=1).update(object_id="forged")
    answer = client.post(reverse("audit:verify")).content.decode()
    assert "ROMPUE" in answer and "#1" in answer


def test_an_anchor_detects_entries_cut_off_the_end_of_the_chain(tmp_path, monitor):
    import pytest
    from django.core.management import CommandError, call_command

    for n in range(3):
        log.record(Action.VIEW, user=monitor, object_type="x", object_id=str(n))
    anchor = tmp_path / "head.json"
    call_command("audit", "anchor", str(anchor))
    call_command("audit", "verify", anchor=str(anchor))
    AuditEvent.objects.filter(sequence=AuditEvent.objects.order_by("-sequence").first().sequence).delete()
    call_command("audit", "verify")  # the chain alone cannot see a cut tail…
    with pytest.raises(CommandError):
        call_command("audit", "verify", anchor=str(anchor))  # …the anchor does
