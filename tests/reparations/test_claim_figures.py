"""Victims registered, found eligible and paid: equal to a hand count on a small set."""

from __future__ import annotations

import datetime as dt

from claim_builders import duplicate_report, file_claim, victim_of

from conftest import client_for, make_incident
from kurukan.incidents.models import IncidentStatus
from kurukan.reparations.models import ClaimStatus
from kurukan.statistics.counting import Filters, Scope
from kurukan.statistics.reparations import claim_table, claim_table_for


def test_figures_equal_a_hand_count(monitor, coordinator, cndh_monitor):
    # Mopti (Bankass): A paid, B eligible, C not eligible; Ségou: D registered (a woman, a killing).
    a = make_incident(monitor, victim_name=("Amadou", "Maïga"))
    b = make_incident(monitor, victim_name=("Boubacar", "Cissé"))
    c = make_incident(monitor, victim_name=("Cheick", "Traoré"))
    d = make_incident(monitor, victim_name=("Djeneba", "Coulibaly"), commune="ML040101",
                      violation_type="life.killing_civilians")  # fmt: skip
    file_claim(coordinator, *_one(a), status=ClaimStatus.PAID)
    file_claim(coordinator, *_one(b), status=ClaimStatus.ELIGIBLE)
    file_claim(coordinator, *_one(c), status=ClaimStatus.NOT_ELIGIBLE)
    d_person, d_violation = victim_of(d)
    d_person.sex = "female"
    d_person.save()
    file_claim(coordinator, d_person, [d_violation])
    # A's duplicate record in a duplicate report: one victim of one violation, counted once.
    duplicate_report(a, coordinator)
    # A draft's claim does not count (counted_violations leaves drafts out).
    draft = make_incident(monitor, status=IncidentStatus.DRAFT, victim_name=("Fanta", "Keita"))
    file_claim(coordinator, *_one(draft))._meta  # noqa: B018
    # Another organisation's claim is left out of organisation A's figures.
    e = make_incident(cndh_monitor, victim_name=("Fatou", "Sow"))
    file_claim(cndh_monitor, *_one(e), status=ClaimStatus.PAID)

    mine = claim_table_for(monitor, ["region"])
    assert mine.total == {"registered": 4, "eligible": 2, "paid": 1}
    assert mine.value("registered", region="ML05") == 3 and mine.value("paid", region="ML05") == 1
    assert mine.value("registered", region="ML04") == 1 and mine.value("eligible", region="ML04") == 0
    by_sex = claim_table_for(monitor, ["sex"])
    assert by_sex.value("registered", sex="female") == 1 and by_sex.value("registered", sex="male") == 3
    by_type = claim_table_for(monitor, ["violation_type"])
    assert by_type.value("registered", violation_type="life.killing_civilians") == 1
    everything = claim_table(["region"])
    assert everything.total == {"registered": 5, "eligible": 3, "paid": 2}
    # The incident list's filters apply, as in every figure.
    period = claim_table(filters=Filters(date_from=dt.date(2030, 1, 1)), scope=Scope.everything())
    assert period.total == {"registered": 0, "eligible": 0, "paid": 0}


def _one(incident):
    person, violation = victim_of(incident)
    return person, [violation]


def test_the_figures_page_shows_the_table_and_chart(monitor, coordinator, analyst):
    file_claim(coordinator, *_one(make_incident(monitor)), status=ClaimStatus.PAID)
    page = client_for(analyst).get("/reparations/figures/?by=region").content.decode()
    assert "<svg" in page and "Mopti" in page and 'id="total-paid">1<' in page
    assert client_for(analyst).get("/reparations/").status_code == 403


def test_the_command_line_gives_the_same_figures(monitor, coordinator):
    import io
    import json

    import pytest
    from django.core.management import CommandError, call_command

    file_claim(coordinator, *_one(make_incident(monitor)), status=ClaimStatus.PAID)
    out = io.StringIO()
    call_command("reparations", "figures", "--by", "region", stdout=out)
    assert out.getvalue().splitlines()[1].split() == ["ML05", "1", "1", "1"]
    out = io.StringIO()
    call_command("reparations", "figures", "--json", "--user", monitor.username, stdout=out)
    assert json.loads(out.getvalue())["total"] == claim_table_for(monitor).total == {
        "registered": 1, "eligible": 1, "paid": 1,
    }  # fmt: skip
    with pytest.raises(CommandError, match="utilisateur inconnu"):
        call_command("reparations", "figures", "--user", "personne")
