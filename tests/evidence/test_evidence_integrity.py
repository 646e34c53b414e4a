"""A stored evidence file that is altered, cut or lost is caught by `kurukan evidence verify` and by the
download, which shows a clear page instead of handing out a doubtful copy."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from evidence_builders import PHOTO, receive

from conftest import assert_no_stack_trace, client_for, make_incident
from kurukan.evidence import storage, streaming
from kurukan.evidence.models import CustodyAction, CustodyEvent


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _flip_one_byte(item, offset: int = 100_000) -> None:
    path = storage.path_for(item.sha256)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("evidence", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_verify_passes_on_intact_files_and_logs_each_check(monitor):
    incident = make_incident(monitor)
    items = [receive(incident, monitor), receive(incident, monitor, content=b"second file")]
    out, _err = _verify()
    assert "2 item(s), 2 file(s) verified" in out
    for item in items:
        assert CustodyEvent.objects.filter(
            item=item, action=CustodyAction.VERIFIED, integrity_ok=True, by=None
        ).exists()


def test_verify_fails_and_names_the_item_when_one_byte_is_altered(monitor):
    incident = make_incident(monitor)
    good, bad = receive(incident, monitor, content=b"intact"), receive(incident, monitor)
    _flip_one_byte(bad)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("evidence", "verify", stdout=io.StringIO(), stderr=err)
    assert f"item {bad.pk} (incident {incident.public_id}" in err.getvalue()
    assert f"item {good.pk} " not in err.getvalue()
    assert CustodyEvent.objects.get(item=bad, action=CustodyAction.VERIFIED).integrity_ok is False


def test_verify_reports_a_missing_file(monitor):
    item = receive(make_incident(monitor), monitor)
    storage.path_for(item.sha256).unlink()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("evidence", "verify", stdout=io.StringIO(), stderr=err)
    assert f"item {item.pk}" in err.getvalue() and "file missing" in err.getvalue()


def test_verify_exits_non_zero_through_the_kurukan_command(monitor):
    from kurukan.cli import main

    item = receive(make_incident(monitor), monitor)
    _flip_one_byte(item, offset=60)  # inside the authenticated header
    with pytest.raises(SystemExit) as exit_info:
        main(["evidence", "verify", "--verbosity", "0"])
    assert exit_info.value.code != 0


def test_the_download_of_an_altered_file_shows_a_clear_page_and_hands_out_nothing(monitor):
    incident = make_incident(monitor)
    item = receive(incident, monitor)
    _flip_one_byte(item)
    client = client_for(monitor)

    response = client.get(reverse("evidence:download", args=[incident.public_id, item.pk]))
    assert response.status_code == 409
    assert_no_stack_trace(response)
    body = response.content.decode()
    assert "intégrité" in body and item.sha256 in body
    assert not CustodyEvent.objects.filter(item=item, action=CustodyAction.DOWNLOADED).exists()
    assert CustodyEvent.objects.get(item=item, action=CustodyAction.VERIFIED).integrity_ok is False
    page = client.get(reverse("evidence:list", args=[incident.public_id])).content.decode()
    assert "integrity-failed" in page


def test_a_file_renamed_to_another_hash_is_detected(monitor):
    incident = make_incident(monitor)
    first, second = receive(incident, monitor), receive(incident, monitor, content=b"another photo")
    storage.path_for(first.sha256).write_bytes(storage.path_for(second.sha256).read_bytes())
    with pytest.raises(storage.EvidenceIntegrityError, match="another file"):
        storage.verify(first.sha256)


def test_a_damaged_copy_is_replaced_when_the_genuine_content_arrives_again(monitor):
    incident = make_incident(monitor)
    item = receive(incident, monitor)
    _flip_one_byte(item)
    receive(incident, monitor)
    assert storage.verify(item.sha256) == len(PHOTO)


def test_the_audit_chain_stays_intact_after_custody_events(monitor):
    incident = make_incident(monitor)
    item = receive(incident, monitor)
    client_for(monitor).get(reverse("evidence:download", args=[incident.public_id, item.pk]))
    _verify()
    call_command("audit", "verify", stdout=io.StringIO())


# --- the streaming format itself: every way of cutting or shuffling chunks fails ---------------------------

KEY = bytes(range(32))
HEADER = b"test-header"


def _sealed(plain: bytes, chunk: int = 4) -> bytes:
    out = io.BytesIO()
    with streaming.StreamWriter(out, KEY, HEADER, chunk_size=chunk) as writer:
        writer.write(plain)
    return out.getvalue()[len(HEADER) :]


def _open(sealed: bytes, chunk: int = 4) -> bytes:
    return b"".join(streaming.decrypt_chunks(io.BytesIO(sealed), KEY, HEADER, chunk_size=chunk))


@pytest.mark.parametrize("plain", [b"", b"abc", b"abcd", b"abcdefgh", b"abcdefghij"])
def test_the_stream_round_trips_any_length(plain):
    assert _open(_sealed(plain)) == plain


def test_dropping_the_last_chunk_is_detected():
    sealed = _sealed(b"abcdefghij")  # chunks of 4+16 bytes: abcd, efgh, ij
    with pytest.raises(streaming.StreamError):
        _open(sealed[:40])


def test_swapping_two_chunks_is_detected():
    sealed = _sealed(b"abcdefghijkl")
    with pytest.raises(streaming.StreamError):
        _open(sealed[20:40] + sealed[:20] + sealed[40:])


def test_appending_data_is_detected():
    with pytest.raises(streaming.StreamError):
        _open(_sealed(b"abcdefgh") + b"x" * 20)


def test_another_header_is_refused():
    sealed = _sealed(b"abcdefgh")
    with pytest.raises(streaming.StreamError):
        b"".join(streaming.decrypt_chunks(io.BytesIO(sealed), KEY, b"other", chunk_size=4))


def test_the_key_ids_evidence_files_need_are_listed_for_key_rotation(monitor):
    from kurukan import crypto

    receive(make_incident(monitor), monitor)
    assert storage.key_ids_in_use() == {crypto.get_keyring().active}
