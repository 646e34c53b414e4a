"""The whole path on demo data: a coordinator searches, reviews pairs side by side, merges, undoes."""

from __future__ import annotations

import pytest
from duplicate_builders import IMMEDIATE, load_demo, names_in, raw_text, share_all

from conftest import client_for
from kurukan.accounts import access
from kurukan.duplicates.models import CandidatePair, Kind, LinkageRun, Merge
from kurukan.incidents.models import GroupVictims, Incident, Victim
from kurukan.people.models import Person

pytestmark = pytest.mark.django_db


def _expected_victims(survivor: Incident) -> int:
    """The rule, computed the long way: distinct root people over the merged family + the survivor's groups."""
    family = {survivor.pk} | set(Incident.objects.filter(merged_into=survivor).values_list("pk", flat=True))
    people = set()
    for victim in Victim.objects.filter(violation__incident__in=family).select_related("person"):
        people.add(victim.person.merged_into_id or victim.person_id)
    groups = sum(g.total for g in GroupVictims.objects.filter(violation__incident=survivor))
    return len(people) + groups


def _people_pairs_across(a: str, b: str) -> list[CandidatePair]:
    """Pending person pairs with one person named in incident `a` and the other in incident `b`."""
    in_a = set(Victim.objects.filter(violation__incident__public_id=a).values_list("person_id", flat=True))
    in_b = set(Victim.objects.filter(violation__incident__public_id=b).values_list("person_id", flat=True))
    return [
        p
        for p in CandidatePair.objects.filter(kind=Kind.PEOPLE, decision="pending").order_by("-probability")
        if {p.left_id, p.right_id} & in_a and {p.left_id, p.right_id} & in_b
    ]


def _disjoint(cards: list[dict], n: int) -> list[dict]:
    """`n` pairs without a record in common, the first one sharing a person pair across its two incidents."""
    first = next(c for c in cards if _people_pairs_across(c["left"]["incident"], c["right"]["incident"]))
    chosen, used = [first], {first["left"]["incident"], first["right"]["incident"]}
    for card in cards:
        ids = {card["left"]["incident"], card["right"]["incident"]}
        if not ids & used:
            chosen.append(card)
            used |= ids
        if len(chosen) == n:
            break
    return chosen


def test_a_coordinator_finds_reviews_merges_and_undoes(settings, monkeypatch, coordinator, administrator):
    settings.TASKS = IMMEDIATE
    # The demo's people have no consent on record: read them as consenting, as a deployment may configure
    # (KURUKAN_CONSENT_DEFAULT=given), since what is tested here is the queue, not consent.
    settings.CONSENT_DEFAULT = "given"
    load_demo(monkeypatch)
    ohchr = coordinator.organisation
    share_all("cndh", ohchr, coordinator, identities=True)
    share_all("amdh", ohchr, coordinator, identities=False)
    client = client_for(coordinator)
    listed_before = client.get("/incidents/").context["total"]

    # 1. Search (the task runs at once with the immediate backend; a worker runs it in production).
    response = client.post("/duplicates/runs/", {"kind": "both", "threshold": "0.5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    runs = {run.kind: run for run in LinkageRun.objects.all()}
    assert {r.status for r in runs.values()} == {"done"} and {r.progress for r in runs.values()} == {100}
    assert runs[Kind.INCIDENTS].n_pairs > 0 and runs[Kind.PEOPLE].n_pairs > 0
    assert runs[Kind.INCIDENTS].started_at <= runs[Kind.INCIDENTS].finished_at
    # Only what the coordinator may see was compared.
    visible = set(access.visible_incidents(coordinator).values_list("pk", flat=True))
    assert runs[Kind.INCIDENTS].n_records == len(visible)
    for left, right in CandidatePair.objects.filter(kind=Kind.INCIDENTS).values_list("left_id", "right_id"):
        assert {left, right} <= visible

    # 2. The queue, most probable first; names only where both incidents carry identities.
    page = client.get("/duplicates/?kind=incidents")
    cards = page.context["cards"]
    assert cards and [c["probability"] for c in cards] == sorted(
        (c["probability"] for c in cards), reverse=True
    )
    people_cards = client.get("/duplicates/?kind=people").context["cards"]
    assert people_cards
    amdh = set(Incident.objects.filter(organisation__code="amdh").values_list("public_id", flat=True))
    # Need-to-know: a sexual-violence or child record keeps its names from a coordinator not named on it.
    from kurukan.accounts.access import is_sensitive

    sensitive = {i.public_id for i in Incident.objects.all() if is_sensitive(i)}
    for card in people_cards:
        sides = {card["left"]["incident"], card["right"]["incident"]}
        hidden = bool(sides & amdh) or bool(sides & sensitive)
        assert card["left"]["named"] == card["right"]["named"] == (not hidden)

    # 3. Confirm two incident pairs, undo one. These pairs join two organisations' records, which only an
    # administrator may merge (a coordinator merges records of their own organisation).
    first, second = _disjoint(cards, 2)
    assert client.post(f"/duplicates/pairs/{first['id']}/confirm/", HTTP_HX_REQUEST="true").status_code == 403
    reviewer = client_for(administrator)
    for card in (first, second):
        response = reviewer.post(f"/duplicates/pairs/{card['id']}/confirm/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Annuler la fusion" in response.content.decode()
    assert client.get("/incidents/").context["total"] == listed_before - 2
    merges = list(Merge.objects.filter(kind=Kind.INCIDENTS).order_by("id"))
    survivors = [Incident.objects.get(pk=m.survivor_id) for m in merges]
    for survivor in survivors:
        assert survivor.victim_count == _expected_victims(survivor)
    api = client.get("/api/incidents", {"limit": 100}).json()
    assert api["count"] == listed_before - 2

    response = reviewer.post(f"/duplicates/merges/{merges[1].pk}/undo/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert client.get("/incidents/").context["total"] == listed_before - 1
    assert Incident.objects.get(pk=merges[1].duplicate_id).merged_into is None
    restored = Incident.objects.get(pk=merges[1].survivor_id)
    assert restored.victim_count == _expected_victims(restored)

    # 4. A person reported by both organisations of the merged incident: confirming counts them once.
    survivor = Incident.objects.get(pk=merges[0].survivor_id)
    duplicate = Incident.objects.get(pk=merges[0].duplicate_id)
    same_person = _people_pairs_across(survivor.public_id, duplicate.public_id)[0]
    before = survivor.victim_count
    reviewer.post(f"/duplicates/pairs/{same_person.pk}/confirm/", HTTP_HX_REQUEST="true")
    survivor.refresh_from_db()
    assert survivor.victim_count == before - 1 == _expected_victims(survivor)
    assert Person.objects.filter(merged_into__isnull=False).count() == 1

    # 5. No name was written anywhere by any of this.
    tables = ("duplicates_linkagerun", "duplicates_candidatepair", "duplicates_merge", "audit_auditevent")
    assert names_in(raw_text(*tables)) == set()
    named = next(p for p in Person.objects.all() if len(p.family_name) >= 4)
    assert names_in(f"… {named.family_name} …") == {named.family_name}  # the check does find a name
