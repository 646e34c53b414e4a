"""Pulling from KoboToolbox and ODK Central: a real HTTP server in a thread serves pages in each API's
documented shape (KoboToolbox's data API with `next`, ODK Central's OData with `@odata.nextLink`); the
connection is saved and pulled through the page and the command line, nothing of ours is mocked."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection as db

from conftest import client_for, english_client_for, field_errors
from form_server import ODK_PASSWORD, ODK_USER, TOKEN, FormServer, kobo_submission, odk_submission
from kurukan.imports.models import ImportJob, QuarantinedRow, ServerConnection
from kurukan.imports.tasks import pull_server
from kurukan.incidents.models import Incident

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def form_server():
    server = FormServer()
    yield server
    server.close()


def _add_kobo(client, url: str, secret: str = TOKEN):
    return client.post(
        "/imports/connections/",
        {
            "name": "Collecte Mopti",
            "kind": "kobo",
            "url": url,
            "form_id": "aFormUid",
            "secret": secret,
            "confidentiality": "restricted",
        },
    )


def test_a_kobo_connection_is_saved_encrypted_tested_and_pulled_page_by_page(coordinator, form_server):
    form_server.kobo = [
        kobo_submission(1, "2024-01-10T08:00:00"),
        kobo_submission(2, "2024-01-11T08:00:00"),
        kobo_submission(3, "2024-01-12T08:00:00", vtype="massacre"),  # not a type: quarantined
    ]
    client = client_for(coordinator)
    response = _add_kobo(client, form_server.url)
    saved = ServerConnection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/connections/{saved.pk}/"
    assert saved.organisation == coordinator.organisation
    with db.cursor() as cursor:  # the token is encrypted at rest, and never shown again
        cursor.execute(f"SELECT secret FROM {ServerConnection._meta.db_table}")  # noqa: S608
        assert TOKEN not in cursor.fetchone()[0]
    assert TOKEN not in client.get(f"/imports/connections/{saved.pk}/").content.decode()

    tested = client.post(f"/imports/connections/{saved.pk}/test/", follow=True).content.decode()
    assert "Connexion réussie : 3 soumissions sur le serveur." in tested

    client.post(f"/imports/connections/{saved.pk}/pull/")
    pull_server.call(saved.pk, coordinator.pk)  # what the worker does
    job = ImportJob.objects.get()
    assert (job.format, job.status, job.summary()) == (
        "kobo",
        "done",
        {"created": 2, "updated": 0, "unchanged": 0, "quarantined": 1, "skipped": 0},
    )
    pages = [
        q for path, q, _auth in form_server.requests if path.endswith("/data/") and q.get("limit") != "1"
    ]
    assert [q["start"] for q in pages] == ["0", "2"]  # two pages of at most 2
    assert all(auth == f"Token {TOKEN}" for *_rest, auth in form_server.requests)
    assert Incident.objects.filter(organisation=coordinator.organisation).count() == 2
    quarantined = QuarantinedRow.objects.get(job=job)
    assert "massacre" in quarantined.message_fr and "n'est pas une valeur connue" in quarantined.message_fr
    page = client.get(f"/imports/connections/{saved.pk}/").content.decode()
    assert "created 2, updated 0, unchanged 0, quarantined 1, skipped 0" in page
    assert f"/imports/{job.pk}/" in page

    # A new submission later: only submissions from the last one seen are asked for; none is duplicated.
    form_server.kobo.append(kobo_submission(4, "2024-01-13T08:00:00"))
    pull_server.call(saved.pk, coordinator.pk)
    second = ImportJob.objects.latest("pk")
    asked = [q for path, q, _a in form_server.requests if path.endswith("/data/")][-1]
    assert json.loads(asked["query"]) == {"_submission_time": {"$gte": "2024-01-12T08:00:00"}}
    assert (second.created, second.quarantined) == (1, 1)  # the new one in; the bad one, seen again, kept
    assert Incident.objects.filter(organisation=coordinator.organisation).count() == 3


def test_a_wrong_token_or_an_unreachable_server_says_what_to_fix(coordinator, form_server):
    client = client_for(coordinator)
    _add_kobo(client, form_server.url, secret="wrong")
    saved = ServerConnection.objects.get()
    page = client.post(f"/imports/connections/{saved.pk}/test/", follow=True).content.decode()
    assert "Le serveur refuse l&#x27;accès (HTTP 401) : vérifiez le jeton ou le mot de passe" in page
    assert pull_server.call(saved.pk, coordinator.pk) == "refused"
    assert not ImportJob.objects.exists()
    assert "refuse l&#x27;accès" in client.get(f"/imports/connections/{saved.pk}/").content.decode()

    # A page whose `next` points to another host is not followed: the token stays with its server.
    ServerConnection.objects.filter(pk=saved.pk).update(secret=TOKEN)
    form_server.kobo = [kobo_submission(n, f"2024-01-1{n}T08:00:00") for n in (1, 2, 3)]
    form_server.next_host = "localhost"
    assert pull_server.call(saved.pk, coordinator.pk) == "refused"
    assert "autre adresse que la sienne" in client.get(f"/imports/connections/{saved.pk}/").content.decode()

    ServerConnection.objects.filter(pk=saved.pk).update(url="http://127.0.0.1:9")
    english = english_client_for(coordinator)
    page = english.post(f"/imports/connections/{saved.pk}/test/", follow=True).content.decode()
    assert "The server cannot be reached" in page


def test_the_add_form_names_the_missing_odk_project(coordinator, form_server):
    response = client_for(coordinator).post(
        "/imports/connections/",
        {"name": "ODK", "kind": "odk", "url": form_server.url, "form_id": "f", "secret": "x",
         "confidentiality": "restricted"},
    )  # fmt: skip
    assert response.status_code == 422
    assert field_errors(response.content, "project") == [
        "ODK Central : indiquez le numéro du projet (le nombre après /projects/ dans l'adresse)."
    ]


def test_odk_central_is_pulled_from_the_command_line_through_odata_pages(ohchr, form_server, capsys):
    form_server.odk = [odk_submission(n, f"2024-02-0{n}T10:00:00.000Z") for n in (1, 2, 3)]
    saved = ServerConnection.objects.create(
        organisation=ohchr, name="Central", kind="odk", url=form_server.url + "/", project="7",
        form_id="kurukan_incident", username=ODK_USER, secret=ODK_PASSWORD,
    )  # fmt: skip
    call_command("pull", str(saved.pk))
    assert "created 3, updated 0, unchanged 0, quarantined 0, skipped 0" in capsys.readouterr().out
    asked = [q for path, q, _a in form_server.requests]
    assert "$skiptoken" in asked[1] and asked[0]["$expand"] == "*"  # followed the server's nextLink
    incident = Incident.objects.get(
        external_keys__source="odk", external_keys__key=odk_submission(1, "")["__id"]
    )
    violation = incident.violations.get()
    assert violation.groups.get().men == 2 and violation.perpetrators.get().category.code == "state.fdsm"
    assert (incident.latitude, incident.longitude) == (14.08, -3.5)

    call_command("pull", "--scheduled")  # cron: the last submission seen is asked for again, not duplicated
    assert "created 0" in capsys.readouterr().out
    assert "__system/submissionDate ge 2024-02-03T10:00:00.000Z" in form_server.requests[-1][1]["$filter"]
    assert Incident.objects.count() == 3

    ServerConnection.objects.filter(pk=saved.pk).update(form_id="nope")
    with pytest.raises(CommandError, match="could not be pulled"):
        call_command("pull", str(saved.pk))
    assert "HTTP 404" in capsys.readouterr().err


def test_connections_belong_to_their_organisation(coordinator, cndh_monitor, cndh, form_server):
    from conftest import make_user

    other = ServerConnection.objects.create(
        organisation=cndh, name="CNDH", kind="kobo", url=form_server.url, form_id="aFormUid", secret=TOKEN
    )
    client = client_for(coordinator)
    assert "CNDH" not in client.get("/imports/connections/").content.decode()
    assert client.get(f"/imports/connections/{other.pk}/").status_code == 404
    assert client.post(f"/imports/connections/{other.pk}/pull/").status_code == 404
    assert client_for(cndh_monitor).get("/imports/connections/").status_code == 403
    cndh_coordinator = make_user("coord-cndh", "coordinator", cndh)
    assert "CNDH" in client_for(cndh_coordinator).get("/imports/connections/").content.decode()
