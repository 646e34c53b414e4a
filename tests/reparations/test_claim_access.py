"""Who reads a claim: the owning organisation's recording roles, while they see the victim's identity."""

from __future__ import annotations

import pytest
from claim_builders import file_claim, victim_of

from conftest import client_for, make_incident
from kurukan.accounts import access
from kurukan.accounts.models import Confidentiality, IncidentShare
from kurukan.audit.models import AuditEvent
from kurukan.reparations.queries import claims_for_person


@pytest.fixture
def claim(coordinator, monitor):
    person, violation = victim_of(make_incident(monitor))
    return file_claim(coordinator, person, [violation])


def test_viewer_analyst_focal_point_and_other_organisation_never_see_a_claim(
    claim, analyst, focal_point, cndh_monitor, ohchr
):
    from conftest import make_user

    viewer = make_user("lecteur", "viewer", ohchr)
    for user in (viewer, analyst, focal_point, cndh_monitor):
        assert not access.visible_claims(user).exists()
        assert client_for(user).get(f"/reparations/{claim.reference}/").status_code == 404
        assert client_for(user).get(f"/api/reparations/claims/{claim.reference}").status_code == 404
        assert list(claims_for_person(user, claim.person)) == []


def test_a_share_with_identities_does_not_hand_over_the_claim(claim, coordinator, cndh_monitor):
    incident = claim.violations.get().incident
    IncidentShare.objects.create(
        incident=incident,
        organisation=cndh_monitor.organisation,
        include_identities=True,
        granted_by=coordinator,
    )
    assert access.sees_identities(cndh_monitor, incident)
    assert not access.visible_claims(cndh_monitor).exists()


def test_a_strictly_confidential_record_hides_its_claim_from_other_monitors(
    monitor, other_monitor, coordinator
):
    incident = make_incident(monitor, confidentiality=Confidentiality.STRICTLY_CONFIDENTIAL)
    person, violation = victim_of(incident)
    claim = file_claim(monitor, person, [violation])
    assert claim.confidentiality == Confidentiality.STRICTLY_CONFIDENTIAL
    assert list(access.visible_claims(monitor)) == [claim]
    assert list(access.visible_claims(coordinator)) == [claim]
    assert not access.visible_claims(other_monitor).exists()
    # Reading it is written to the audit log, without a name.
    client_for(coordinator).get(f"/reparations/{claim.reference}/")
    event = AuditEvent.objects.get(action="view", object_id=claim.reference)
    assert event.username == coordinator.username and "Maïga" not in str(event.details)


def test_the_person_file_partial_lists_the_claims(claim, monitor):
    from django.template.loader import render_to_string

    html = render_to_string(
        "reparations/_person_claims.html", {"claims": claims_for_person(monitor, claim.person)}
    )
    assert claim.reference in html and "Enregistrée" in html
