"""The demo's claims: every status, some paid, the walk-through victim recorded twice; a second run adds none."""

from __future__ import annotations

from collections import Counter

from conftest import make_incident, make_user
from kurukan.people.models import Person
from kurukan.reparations import demo
from kurukan.reparations.models import Claim


def test_the_demo_has_claims_at_every_status_and_a_merged_victim(ohchr):
    monitor = make_user(demo.RECORDER, "monitor", ohchr)
    make_user(demo.DECIDER, "coordinator", ohchr)
    for n in range(len(demo.PLAN) + 1):
        incident = make_incident(monitor, victim_name=("Moussa", f"Diarra {n}"))
        incident.violations.update(verification_status="verified")
    assert demo.load_demo() == len(demo.PLAN)
    assert Counter(Claim.objects.values_list("status", flat=True)) == Counter(s for s, _ in demo.PLAN)
    assert sum(c.paid_total for c in Claim.objects.filter(status="paid")) == 2_000_000
    twins = Person.objects.filter(name_index=Person.index_for(" ".join(demo.WALKTHROUGH_NAME))).order_by("pk")
    assert [p.merged_into_id for p in twins] == [None, twins[0].pk]
    assert not Claim.objects.filter(person__in=twins).exists()
    assert demo.load_demo() == 0 and Claim.objects.count() == len(demo.PLAN)
