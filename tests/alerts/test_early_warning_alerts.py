"""The weekly early-warning run: alerts with their evidence, on the page for coordinators, by email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from conftest import client_for, make_incident, make_user
from kurukan.accounts.models import Role
from kurukan.alerts.models import Alert, AlertSubscription

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

WEEK = dt.date(2024, 3, 4)  # a Monday


@pytest.fixture
def quiet_then_surge(monitor):
    """Bankass: one incident every other week for three years, then six in the week of WEEK."""
    for weeks_back in range(2, 160, 2):
        make_incident(
            monitor, start_date=WEEK - dt.timedelta(weeks=weeks_back), victim_name=None, title="Histoire"
        )
    for day in range(6):
        make_incident(
            monitor, start_date=WEEK + dt.timedelta(days=day), victim_name=None, title="Massacre de X"
        )


@pytest.fixture
def subscribed(coordinator):
    coordinator.email = "seydou@example.org"
    coordinator.save()
    client_for(coordinator).post(reverse("alerts:subscription"), {"subscribe": "1"})
    return coordinator


def test_a_surge_raises_alerts_with_evidence_and_emails_the_subscribed_coordinator(
    quiet_then_surge, subscribed, monitor, capsys
):
    call_command("alerts", "run", "--week", WEEK.isoformat())
    out = capsys.readouterr().out
    assert "Semaine du 2024-03-04" in out and "courriels envoyés" in out
    commune = Alert.objects.get(organisation=subscribed.organisation, area__pcode="ML050301", window_weeks=1)
    assert commune.observed == 6
    assert commune.expected == pytest.approx(0.5, abs=0.15)  # one incident every other week
    assert commune.upper < 6
    assert Alert.objects.filter(organisation=None, area__pcode="ML0503").exists()  # all records, cercle
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["seydou@example.org"]
    assert "Bankass" in message.body and "6 (attendus" in message.body and "6 (expected" in message.body
    assert "Massacre" not in message.body  # areas and counts, never a record

    call_command("alerts", "run", "--week", WEEK.isoformat())  # again: nothing new, no second email
    assert Alert.objects.filter(area__pcode="ML050301", window_weeks=1).count() == 2  # organisation + all
    assert len(mail.outbox) == 1


def test_a_quiet_week_raises_nothing(quiet_then_surge, subscribed):
    call_command("alerts", "run", "--week", (WEEK - dt.timedelta(weeks=2)).isoformat())
    assert not Alert.objects.exists()
    assert not mail.outbox


def test_the_alerts_page_shows_the_evidence_to_coordinators_only(
    quiet_then_surge, coordinator, monitor, analyst, cndh
):
    call_command("alerts", "run", "--week", WEEK.isoformat())
    page = client_for(coordinator).get(reverse("alerts:index")).content.decode()
    assert "Bankass" in page and '<td data-label="Incidents comptés">6</td>' in page
    assert client_for(monitor).get(reverse("alerts:index")).status_code == 403
    assert client_for(analyst).get(reverse("alerts:index")).status_code == 403
    other = make_user("awa.cndh.coord", Role.COORDINATOR, cndh)
    assert "Bankass" not in client_for(other).get(reverse("alerts:index")).content.decode()


def test_subscribing_without_an_email_address_says_so_on_the_page(coordinator):
    response = client_for(coordinator).post(reverse("alerts:subscription"), {"subscribe": "1"}, follow=True)
    assert "pas d&#x27;adresse électronique" in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_a_bad_week_is_refused_plainly():
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("alerts", "run", "--week", "mars")


def test_alerts_appear_on_the_dashboard_of_coordinators_only(quiet_then_surge, coordinator, monitor):
    call_command("alerts", "run", "--week", WEEK.isoformat())
    dashboard = client_for(coordinator).get(reverse("statistics:dashboard")).content.decode()
    panel = dashboard.split('id="alerts-title"')[1].split("</section>")[0]
    assert "Bankass" in panel and '<td data-label="Incidents comptés">6</td>' in panel
    assert (
        'id="alerts-title"' not in client_for(monitor).get(reverse("statistics:dashboard")).content.decode()
    )


def test_a_mail_server_that_is_down_loses_no_alert(quiet_then_surge, subscribed, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("kurukan.alerts.actions.send_mail", refused)
    call_command("alerts", "run", "--week", WEEK.isoformat())
    assert Alert.objects.filter(area__pcode="ML050301").exists()
    assert "ConnectionRefusedError" in caplog.text
    assert "seydou@example.org" not in caplog.text
