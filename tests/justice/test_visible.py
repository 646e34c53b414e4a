"""`access.visible(user, Model)`: the one read path for every register, and no role-only shortcut left."""

from __future__ import annotations

import pytest
from justice_builders import make_case, verified_violation

from conftest import make_incident
from kurukan.accounts import access
from kurukan.accounts.models import Confidentiality, User
from kurukan.incidents.models import Incident, Victim, Violation
from kurukan.justice.models import JudicialCase
from kurukan.recommendations.models import Institution


def test_records_derived_from_incidents_follow_their_incident(monitor, cndh_monitor):
    incident = make_incident(monitor)
    assert list(access.visible(monitor, Incident)) == [incident]
    assert access.visible(monitor, Violation).count() == 1
    assert access.visible(monitor, Victim).count() == 1
    assert access.visible(cndh_monitor, Violation).count() == 0


def test_owned_records_follow_organisation_and_level(monitor, analyst, focal_point, administrator):
    internal = make_case(monitor, [verified_violation(monitor)])
    restricted = make_case(monitor, [verified_violation(monitor, confidentiality=Confidentiality.RESTRICTED)])
    assert set(access.visible(monitor, JudicialCase)) == {internal, restricted}
    assert set(access.visible(analyst, JudicialCase)) == {internal}
    assert set(access.visible(focal_point, JudicialCase)) == set()
    assert set(access.visible(administrator, JudicialCase)) == {internal, restricted}


def test_a_model_of_neither_kind_is_refused(monitor):
    with pytest.raises(TypeError):
        access.visible(monitor, Institution)


def test_the_role_only_shortcuts_are_gone():
    for name in ("can_record", "can_verify", "sees_identities"):
        assert not hasattr(User, name)
