"""Builders for the justice tests: verified violations, cases with their stages, consents, interventions."""

from __future__ import annotations

import datetime as dt

from conftest import make_incident, term
from kurukan.incidents.models import VerificationStatus, Violation
from kurukan.justice import actions
from kurukan.justice.models import Intervention, JudicialCase, Stage
from kurukan.people.models import Consent
from kurukan.recommendations.models import Institution


def verified_violation(user, **kwargs) -> Violation:
    incident = make_incident(user, **kwargs)
    violation = incident.violations.get()
    violation.verification_status = VerificationStatus.VERIFIED
    violation.save()
    return violation


def make_case(user, violations, *stages, title="Affaire d'Ogossagou", jurisdiction="ordinary", **fields):
    case = JudicialCase(title=title, jurisdiction=term("jurisdiction", jurisdiction), **fields)
    actions.open_case(case, list(violations), user)
    for kind, on, *rest in stages:
        actions.add_stage(case, Stage(kind=kind, on=on, outcome=rest[0] if rest else ""), user)
    return case


def consent_to_proceedings(person, user=None, revoked_on=None) -> Consent:
    return Consent.objects.create(
        person=person,
        purpose="proceedings",
        status="revoked" if revoked_on else "given",
        recorded_on=dt.date(2024, 1, 2),
        revoked_on=revoked_on,
        recorded_by=user,
    )


def institution(code="justice", name="Ministère de la Justice") -> Institution:
    return Institution.objects.get_or_create(code=code, defaults={"name_fr": name})[0]


def make_intervention(user, violations=(), deadline=None, answered_on=None, **fields) -> Intervention:
    intervention = Intervention(
        kind=fields.pop("kind", "letter"),
        institution=fields.pop("institution", None) or institution(),
        sent_on=fields.pop("sent_on", dt.date(2024, 2, 1)),
        request=fields.pop("request", "Ouvrir une enquête sur les exécutions."),
        deadline=deadline,
        answered_on=answered_on,
        **fields,
    )
    return actions.record_intervention(intervention, list(violations), [], user)
