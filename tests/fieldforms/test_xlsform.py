"""`kurukan xlsform`: the form converts with pyxform into a valid XForm with what the importers expect."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml.ElementTree import fromstring
from django.core.management import call_command
from pyxform.xls2xform import convert

from kurukan.places.models import AdminUnit, Level
from kurukan.vocabularies.models import Term

NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}


def _xform(tmp_path, db) -> tuple[str, ET.Element]:
    target = tmp_path / "kurukan-incident.xlsx"
    call_command("xlsform", "--output", str(target))
    result = convert(xlsform=str(target))
    assert result.warnings == []
    return result.xform, fromstring(result.xform)


def _items(root: ET.Element, list_name: str) -> list[ET.Element]:
    instance = root.find(f".//x:instance[@id='{list_name}']", NS)
    assert instance is not None, list_name
    return instance.findall("./x:root/x:item", NS)


def test_the_form_has_french_and_english_and_the_three_repeats(tmp_path, db):
    text, root = _xform(tmp_path, db)
    languages = [t.get("lang") for t in root.iter("{http://www.w3.org/2002/xforms}translation")]
    assert languages == ["Français (fr)", "English (en)"]
    repeats = {r.get("nodeset") for r in root.iter("{http://www.w3.org/2002/xforms}repeat")}
    assert repeats == {"/data/violation", "/data/violation/victim", "/data/violation/perpetrator"}
    execution = Term.objects.get(vocabulary="violation_type", code="life.summary_execution")
    assert execution.label_fr in text and execution.label_en in text


def test_places_cascade_from_region_to_cercle_to_commune(tmp_path, db):
    _text, root = _xform(tmp_path, db)
    units = AdminUnit.objects.current()
    regions = {i.findtext("x:name", namespaces=NS) for i in _items(root, "region")}
    assert regions == set(units.filter(level=Level.REGION).values_list("pcode", flat=True))
    communes = _items(root, "commune")
    assert len(communes) == units.filter(level=Level.COMMUNE).count()
    parents = dict(units.filter(level=Level.COMMUNE).values_list("pcode", "parent__pcode"))
    assert all(
        parents[i.findtext("x:name", namespaces=NS)] == i.findtext("x:cercle", namespaces=NS)
        for i in communes
    )
    itemsets = {i.get("nodeset") for i in root.iter("{http://www.w3.org/2002/xforms}itemset")}
    assert "instance('cercle')/root/item[region= /data/incident/region ]" in itemsets
    assert "instance('commune')/root/item[cercle= /data/incident/cercle ]" in itemsets


def test_choices_are_the_live_vocabulary_codes(tmp_path, db):
    _text, root = _xform(tmp_path, db)
    types = {i.findtext("x:name", namespaces=NS) for i in _items(root, "violation_type")}
    assert types == set(Term.objects.of("violation_type").active().leaves().values_list("code", flat=True))
    assert "life.summary_execution" in types and "life" not in types  # categories are not choosable


def test_constraints_repeat_the_recording_forms_checks(tmp_path, db):
    _text, root = _xform(tmp_path, db)
    binds = {b.get("nodeset"): b for b in root.iter("{http://www.w3.org/2002/xforms}bind")}
    assert binds["/data/incident/start_date"].get("constraint") == ". <= today()"
    assert binds["/data/incident/start_date"].get("required") == "true()"
    assert "/data/incident/start_date" in binds["/data/incident/end_date"].get("constraint")
    assert binds["/data/violation/victim/age"].get("constraint") == ". >= 0 and . <= 120"
    assert binds["/data/violation/violation_type"].get("required") == "true()"
    assert binds["/data/violation/perpetrator/perpetrator_category"].get("required") == "true()"


def test_a_coordinator_downloads_the_form_and_pyxform_reads_it(coordinator, monitor):
    from django.urls import reverse

    from conftest import client_for

    response = client_for(coordinator).get(reverse("fieldforms:xlsform"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kurukan-incident.xlsx"'
    result = convert(xlsform=b"".join(response.streaming_content), file_type=".xlsx")
    assert '<repeat nodeset="/data/violation">' in result.xform
    assert client_for(monitor).get(reverse("fieldforms:xlsform")).status_code == 403


def test_the_import_page_offers_the_form(coordinator):
    from django.urls import reverse

    from conftest import client_for

    html = client_for(coordinator).get(reverse("imports:index")).content.decode()
    assert f'href="{reverse("fieldforms:xlsform")}"' in html
