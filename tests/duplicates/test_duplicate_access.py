"""Who may review duplicates, and what a reviewer sees of records from other organisations."""

from __future__ import annotations

import pytest
from duplicate_builders import make_pair, people_pair

from conftest import client_for, make_incident, make_user
from kurukan.accounts.models import IncidentShare, Role
from kurukan.duplicates.access import can_review_duplicates
from kurukan.duplicates.models import Kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.MONITOR, Role.ANALYST, Role.FOCAL_POINT, Role.VIEWER])
def test_only_coordinators_and_administrators_review(role, ohchr, coordinator):
    user = make_user(f"someone.{role}", role, ohchr)
    incident, other = make_incident(coordinator), make_incident(coordinator)
    pair = make_pair(Kind.INCIDENTS, incident.pk, other.pk)
    client = client_for(user)

    assert not can_review_duplicates(user)
    assert client.get("/duplicates/").status_code == 403
    assert client.post(f"/duplicates/pairs/{pair.pk}/confirm/").status_code == 403
    assert client.post("/duplicates/runs/", {"kind": "both", "threshold": "0.5"}).status_code == 403
    pair.refresh_from_db()
    assert pair.decision == "pending"


def test_a_coordinator_and_an_administrator_may_review(coordinator, administrator):
    assert can_review_duplicates(coordinator) and can_review_duplicates(administrator)
    assert client_for(coordinator).get("/duplicates/").status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/duplicates/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_a_pair_with_a_record_the_reviewer_may_not_see_is_not_shown(coordinator, cndh_monitor):
    ours = make_incident(coordinator, title="Notre incident")
    theirs = make_incident(cndh_monitor, title="Incident de la CNDH")
    pair = make_pair(Kind.INCIDENTS, ours.pk, theirs.pk)
    person_pair = people_pair(ours, theirs)
    client = client_for(coordinator)

    page = client.get("/duplicates/?kind=incidents").content.decode()
    assert f'id="pair-{pair.pk}"' not in page and "Incident de la CNDH" not in page
    assert f'id="pair-{person_pair.pk}"' not in client.get("/duplicates/?kind=people").content.decode()
    assert client.post(f"/duplicates/pairs/{pair.pk}/confirm/").status_code == 404
    assert client.post(f"/duplicates/pairs/{person_pair.pk}/confirm/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.merged_into is None


def test_names_show_only_when_the_reviewer_sees_identities_on_both_incidents(coordinator, cndh_monitor):
    ours = make_incident(coordinator, victim_name=("Amadou", "Maïga"))
    theirs = make_incident(cndh_monitor, victim_name=("Hamadou", "Maiga"))
    share = IncidentShare.objects.create(
        incident=theirs,
        organisation=coordinator.organisation,
        include_identities=False,
        granted_by=cndh_monitor,
    )
    pair = people_pair(ours, theirs)
    client = client_for(coordinator)

    page = client.get("/duplicates/?kind=people").content.decode()
    assert f'id="pair-{pair.pk}"' in page
    assert "Amadou" not in page and "Hamadou" not in page
    assert "Victime (identité masquée)" in page
    assert "Nom" in page and "même nom, ou variante connue" in page  # the evidence, in French, without values

    share.include_identities = True
    share.save()
    page = client.get("/duplicates/?kind=people").content.decode()
    assert (
        "Hamadou" not in page
    )  # shared with identities, but Hamadou did not consent to it (branch protection)
    from kurukan.people import consent

    hamadou = theirs.violations.get().victims.get().person
    consent.record(hamadou, "share_partner", "given", cndh_monitor, partner=coordinator.organisation)
    page = client.get("/duplicates/?kind=people").content.decode()
    assert "Amadou Maïga" in page and "Hamadou Maiga" in page


def test_the_evidence_reads_for_and_against_with_its_strength(coordinator):
    a, b = make_incident(coordinator), make_incident(coordinator)
    make_pair(
        Kind.INCIDENTS, a.pk, b.pk,
        evidence=[
            {"field": "date", "level": "same day", "bf": 150.0},
            {"field": "place", "level": "same commune", "bf": 12.0},
            {"field": "n_victims", "level": "different", "bf": 0.2},
            {"field": "title_words", "level": "unknown", "bf": 1.0},
        ],
    )  # fmt: skip
    page = client_for(coordinator).get("/duplicates/?kind=incidents").content.decode()
    supports = page[page.index("Ce qui plaide pour") : page.index("Ce qui plaide contre")]
    opposes = page[page.index("Ce qui plaide contre") :]
    assert "Date" in supports and "même jour" in supports and "preuve décisive" in supports
    assert "même commune" in supports and "preuve forte" in supports
    assert "Nombre de victimes" in opposes and "différent" in opposes and "preuve modérée" in opposes
    assert "Mots du titre" not in page  # unknown on one side: no evidence either way
