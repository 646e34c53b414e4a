"""Mali's places: loaded completely, with accents, and found as you type whatever the case or accents."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import client_for, unit
from kurukan.places.models import AdminUnit, Level, Settlement

HTMX = {"HTTP_HX_REQUEST": "true"}


def _offered(client, **query) -> list[tuple[str, str, str]]:
    """(value, name, context) of every place the picker offers."""
    response = client.get(reverse("place_search"), query, **HTMX)
    assert response.status_code == 200
    return re.findall(
        r'value="([a-z]+:\d+)"> <strong>([^<]+)</strong> <span class="muted">([^<]*)</span>',
        response.content.decode(),
    )


@pytest.mark.parametrize("typed", ["segou", "SEGOU", "Ségou", "ségou", " Ségou "])
def test_segou_is_found_whatever_the_case_or_accents(monitor, typed):
    units = [
        name for value, name, _context in _offered(client_for(monitor), q=typed) if value.startswith("unit:")
    ]
    assert "Ségou" in units  # the cercle; the region is chosen in its own list
    assert "Segou" not in units  # admin units carry their accents (villages keep the gazetteer's spelling)


def test_ogossagou_finds_the_villages(monitor):
    offered = _offered(client_for(monitor), q="ogossagou")
    villages = {name for value, name, _context in offered if value.startswith("settlement:")}
    assert {"Ogossagou", "Ogossagou-Peulh", "Ogossagou-Dogon"} <= villages
    contexts = " ".join(context for value, _name, context in offered if value.startswith("settlement:"))
    assert "Bankass" in contexts and "Bandiagara" in contexts and "Mopti" in contexts


def test_the_region_restricts_the_search(monitor):
    client = client_for(monitor)
    in_segou = _offered(client, q="ogossagou", region_choice=unit("ML04").pk)
    assert in_segou == []
    in_mopti = _offered(client, q="ogossagou", region_choice=unit("ML05").pk)
    assert len(in_mopti) >= 4
    koulikoro = {name for _v, name, _c in _offered(client, q="koulikoro", region_choice=unit("ML02").pk)}
    assert "Koulikoro" in koulikoro


def test_units_only_leaves_out_villages(monitor):
    offered = _offered(client_for(monitor), q="bankass", units="1")
    assert offered and all(value.startswith("unit:") for value, _n, _c in offered)


def test_one_letter_finds_nothing_and_an_unknown_name_says_so(monitor):
    client = client_for(monitor)
    assert _offered(client, q="s") == []
    response = client.get(reverse("place_search"), {"q": "zzzzqqq"}, **HTMX)
    assert "Aucun lieu ne correspond" in response.content.decode()


def test_the_picker_needs_a_login():
    from django.test import Client

    assert Client().get(reverse("place_search"), {"q": "segou"}).status_code == 302


@pytest.mark.django_db
def test_every_admin_unit_and_settlement_is_loaded():
    current = AdminUnit.objects.current()
    assert current.filter(level=Level.REGION).count() == 9
    assert current.filter(level=Level.CERCLE).count() == 50
    assert current.filter(level=Level.COMMUNE).count() == 701
    assert Settlement.objects.count() == 18_769


@pytest.mark.django_db
def test_names_carry_their_accents():
    regions = set(AdminUnit.objects.current().regions().values_list("name", flat=True))
    assert {
        "Ségou",
        "Koulikoro",
        "Tombouctou",
        "Mopti",
        "Kayes",
        "Sikasso",
        "Gao",
        "Kidal",
        "Bamako",
    } <= regions
    assert not AdminUnit.objects.filter(name="Koulikouro").exists()
    assert not AdminUnit.objects.filter(name="Segou").exists()
    assert unit("ML02").source_name == "Koulikouro"  # the source spelling is kept beside the corrected one


@pytest.mark.django_db
def test_regions_have_their_iso_codes():
    codes = dict(AdminUnit.objects.current().regions().values_list("pcode", "iso_code"))
    assert codes == {
        "ML01": "ML-1",
        "ML02": "ML-2",
        "ML03": "ML-3",
        "ML04": "ML-4",
        "ML05": "ML-5",
        "ML06": "ML-6",
        "ML07": "ML-7",
        "ML08": "ML-8",
        "ML09": "ML-BKO",
    }


@pytest.mark.django_db
def test_every_unit_knows_its_region():
    communes = AdminUnit.objects.current().filter(level=Level.COMMUNE)
    assert not communes.filter(region__isnull=True).exists()
    bankass = unit("ML050301")
    assert (bankass.parent.pcode, bankass.region.pcode) == ("ML0503", "ML05")
    assert bankass.is_within(unit("ML05"))
