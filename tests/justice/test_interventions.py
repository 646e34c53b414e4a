"""Interventions: recorded through the form, overdue when their deadline passes unanswered, listed for the
coordinator and chased up by email by `kurukan interventions remind`."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from justice_builders import institution, make_intervention, verified_violation

from conftest import client_for
from kurukan.justice.models import Intervention


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; read back as characters)."""
    return html.unescape(response.content.decode())


@pytest.fixture
def overdue(monitor):
    violation = verified_violation(monitor)
    return make_intervention(monitor, [violation], deadline=dt.date(2024, 3, 1))


def test_recording_an_intervention_and_seeing_it_overdue(monitor):
    violation = verified_violation(monitor)
    client = client_for(monitor)
    response = client.post(
        reverse("justice:intervention_create"),
        {
            "kind": "urgent_appeal",
            "institution": institution().pk,
            "sent_on": "2024-01-10",
            "deadline": "2024-02-10",
            "request": "Informer les familles.",
            "confidentiality": "internal",
            "violations": [violation.pk],
        },
        follow=True,
    )
    intervention = Intervention.objects.get()
    page = text(response)
    assert f"Intervention {intervention.public_id} enregistrée." in page
    assert "En retard : aucune réponse reçue" in page
    listing = text(client.get(reverse("justice:intervention_list"), {"overdue": "1"}))
    assert intervention.public_id in listing


def test_a_deadline_before_sending_is_refused(monitor):
    response = client_for(monitor).post(
        reverse("justice:intervention_create"),
        {
            "kind": "letter",
            "institution": institution().pk,
            "sent_on": "2024-01-10",
            "deadline": "2024-01-01",
            "request": "x",
            "confidentiality": "internal",
        },
    )
    assert response.status_code == 422
    assert "Le délai de réponse tombe avant l'envoi" in text(response)


def test_the_coordinators_overdue_list(overdue, coordinator, monitor, analyst):
    answered = make_intervention(monitor, deadline=dt.date(2024, 3, 1), answered_on=dt.date(2024, 2, 20))
    page = text(client_for(coordinator).get(reverse("justice:overdue")))
    assert overdue.public_id in page and answered.public_id not in page
    assert client_for(analyst).get(reverse("justice:overdue")).status_code == 403


def test_an_answer_ends_the_delay(overdue, monitor):
    client = client_for(monitor)
    versions = overdue.history.count()
    url = reverse("justice:intervention_answer", args=[overdue.public_id])
    missing_date = client.post(url, {"answer": "Enquête ouverte.", "status": "answered"})
    assert "Indiquez la date à laquelle la réponse a été reçue." in text(missing_date)
    response = client.post(
        url,
        {"answer": "Enquête ouverte.", "answered_on": "2024-03-05", "status": "awaiting"},
        HTTP_HX_REQUEST="true",
    )
    assert "Suivi enregistré." in text(response)
    overdue.refresh_from_db()
    assert overdue.status == "answered" and not overdue.is_overdue(timezone.localdate())
    assert overdue.history.count() == versions + 1  # the earlier version kept


def test_the_reminder_emails_coordinators_ids_and_never_names(overdue, coordinator, cndh_monitor):
    coordinator.email = "seydou@example.org"
    coordinator.save()
    out = io.StringIO()
    call_command("interventions", "remind", "--on", "2024-03-10", stdout=out)
    assert "1 interventions en retard, 1 courriels de rappel envoyés." in out.getvalue()
    (message,) = mail.outbox
    assert message.to == ["seydou@example.org"]
    assert overdue.public_id in message.body and "9 j de retard" in message.body
    assert "Maïga" not in message.body


def test_the_reminder_names_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="n'est pas une date AAAA-MM-JJ"):
        call_command("interventions", "remind", "--on", "10/03/2024")


def test_an_intervention_of_another_organisation_is_hidden(overdue, cndh_monitor):
    client = client_for(cndh_monitor)
    assert client.get(reverse("justice:intervention_detail", args=[overdue.public_id])).status_code == 404
    assert client.get(reverse("api:intervention_detail", args=[overdue.public_id])).status_code == 404


def test_victims_named_must_be_victims_of_the_violations_ticked(monitor):
    violation = verified_violation(monitor)
    victim = violation.victims.get().person
    stranger = verified_violation(monitor).victims.get().person
    data = {
        "kind": "referral",
        "institution": institution().pk,
        "sent_on": "2024-01-10",
        "request": "Prise en charge médicale.",
        "confidentiality": "internal",
        "violations": [violation.pk],
    }
    client = client_for(monitor)
    refused = client.post(reverse("justice:intervention_create"), {**data, "victim_ids": stranger.public_id})
    assert f"{stranger.public_id} : pas une victime des violations cochées" in text(refused)
    from kurukan.people import consent

    consent.record(victim, "refer", "given", monitor)  # a referral names only who consented (issue #15)
    client.post(reverse("justice:intervention_create"), {**data, "victim_ids": victim.public_id.lower()})
    assert list(Intervention.objects.get().victims.all()) == [victim]
