"""Sharing counts, never records: an organisation lets another read its figures under the small-cell rule."""

from __future__ import annotations

import re

import pytest
import test_public_figures
from django.urls import reverse

from conftest import client_for
from kurukan.accounts.models import CountShare
from kurukan.audit.models import AuditEvent
from kurukan.incidents.models import Incident
from kurukan.public import figures

pytestmark = pytest.mark.django_db
records = test_public_figures.records  # the hand-counted records of the public figures' tests


@pytest.fixture(autouse=True)
def fresh_figures(ohchr, cndh):
    figures.forget([ohchr.pk, cndh.pk])
    yield
    figures.forget([ohchr.pk, cndh.pk])


def test_counts_reach_the_other_organisation_only_once_shared_and_never_as_records(
    records, coordinator, cndh_monitor, cndh
):
    page = client_for(cndh_monitor).get(reverse("public:shared")).content.decode()
    assert "Aucune organisation ne partage" in page

    response = client_for(coordinator).post(
        reverse("public:share_counts"), {"organisation": cndh.pk}, follow=True
    )
    assert "Vos chiffres sont partagés" in response.content.decode()
    assert AuditEvent.objects.filter(action="share", object_type="accounts.countshare").exists()

    page = client_for(cndh_monitor).get(reverse("public:shared")).content.decode()
    section = re.search(r'<section class="card" id="shared-ohchr">(.*?)</section>', page, re.S).group(1)
    assert '<span class="shared-total">96</span>' in section
    assert "&lt; 10" in section  # sexual violence: 3 victims, under the threshold
    for incident in Incident.objects.all():
        assert incident.public_id not in page and incident.title not in page

    share = CountShare.objects.get()
    client_for(coordinator).post(reverse("public:revoke_counts"), {"share": share.pk})
    assert "shared-ohchr" not in client_for(cndh_monitor).get(reverse("public:shared")).content.decode()


def test_only_a_coordinator_shares_and_a_missing_choice_is_said_on_the_page(records, monitor, coordinator):
    assert client_for(monitor).post(reverse("public:share_counts"), {"organisation": 1}).status_code == 403
    response = client_for(coordinator).post(reverse("public:share_counts"), {}, follow=True)
    assert "Choisissez l&#x27;organisation" in response.content.decode()
    assert not CountShare.objects.exists()


def test_a_coordinator_cannot_revoke_another_organisations_share(records, coordinator, cndh, cndh_monitor):
    from conftest import make_user
    from kurukan.accounts.models import Role

    client_for(coordinator).post(reverse("public:share_counts"), {"organisation": cndh.pk})
    other = make_user("cndh.coord", Role.COORDINATOR, cndh)
    response = client_for(other).post(
        reverse("public:revoke_counts"), {"share": CountShare.objects.get().pk}, follow=True
    )
    assert "n&#x27;existe pas" in response.content.decode()
    assert CountShare.objects.get().revoked_at is None


def test_a_coordinator_lets_the_organisations_confidential_records_into_public_figures(records, coordinator):
    api = reverse("api:public_figures_api")
    assert client_for(coordinator).get(api).json()["total"]["value"] == 96
    response = client_for(coordinator).post(
        reverse("public:public_setting"), {"include_confidential": "1"}, follow=True
    )
    assert "comptent désormais dans les chiffres publics" in response.content.decode()
    assert client_for(coordinator).get(api).json()["total"]["value"] == 103  # the cache was dropped
    assert AuditEvent.objects.filter(object_type="accounts.organisation", action="change").exists()
