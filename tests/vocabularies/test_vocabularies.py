"""Controlled vocabularies: every act the resolution names, in French and English, mapped; never deleted."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from conftest import client_for, term
from kurukan.vocabularies.models import Term

# Acts named in resolution 52/42 and issue 2 → our codes.
NAMED_ACTS = {
    "summary executions": ["life.summary_execution"],
    "enforced disappearance": ["liberty.enforced_disappearance"],
    "arbitrary detention": ["liberty.arbitrary_detention"],
    "torture": ["integrity.torture"],
    "killing and maiming": ["life.killing_civilians", "integrity.maiming"],
    "attacks on schools and hospitals": ["protected.attack_school", "protected.attack_hospital"],
    "recruitment and use of children": ["children.recruitment_use"],
    "abduction": ["liberty.abduction"],
    "rape and sexual violence": ["sexual.rape", "sexual.other"],
    "denial of humanitarian access": ["humanitarian.denial_access"],
    "attacks on humanitarian personnel": ["humanitarian.attack_personnel"],
    "descent-based slavery practices": ["liberty.descent_slavery"],
    "looting and destruction": ["protected.looting_destruction"],
    "forced displacement": ["movement.forced_displacement"],
}
MAPPINGS = {"huridocs_act", "mrm_if_child", "gbvims", "acled_sub_event"}
ALL_CODES = [code for codes in NAMED_ACTS.values() for code in codes]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ALL_CODES)
def test_every_named_act_exists_in_both_languages_with_counting_rule_and_mappings(code):
    act = term("violation_type", code)
    assert act.active and act.parent is not None
    assert act.label_fr and act.label_en and act.label_fr != act.label_en
    assert act.attributes["counted_by"] in {"victim", "incident"}
    assert MAPPINGS & act.attributes.keys(), f"{code} maps to no external standard"


@pytest.mark.django_db
def test_the_mrm_counts_attacks_on_schools_and_hospitals_and_denial_of_access_by_incident():
    for code in ("protected.attack_school", "protected.attack_hospital", "humanitarian.denial_access"):
        assert term("violation_type", code).attributes["counted_by"] == "incident"
    assert term("violation_type", "children.recruitment_use").attributes["counted_by"] == "victim"


def test_labels_follow_the_page_language(monitor, draft):
    from django.conf import settings

    client = client_for(monitor)
    french = client.get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    assert "Disparition forcée" in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    assert "Enforced disappearance" in english
    assert "Disparition forcée" not in english


@pytest.mark.django_db
def test_a_term_cannot_be_deleted():
    torture = term("violation_type", "integrity.torture")
    with pytest.raises(ProtectedError):
        torture.delete()
    assert Term.objects.filter(pk=torture.pk).exists()


def test_the_admin_offers_no_delete(administrator):
    client = client_for(administrator)
    torture = term("violation_type", "integrity.torture")
    changelist = client.get(reverse("admin:vocabularies_term_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert client.get(reverse("admin:vocabularies_term_delete", args=[torture.pk])).status_code == 403
    assert (
        client.post(reverse("admin:vocabularies_term_delete", args=[torture.pk]), {"post": "yes"}).status_code
        == 403
    )
    response = client.post(
        reverse("admin:vocabularies_term_changelist"),
        {"action": "delete_selected", "_selected_action": [torture.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert Term.objects.filter(pk=torture.pk).exists()


def test_an_administrator_adds_a_local_term_and_monitors_can_use_it(administrator, monitor, draft):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:vocabularies_term_add"),
        {
            "vocabulary": "violation_type",
            "code": "liberty.forced_labour_local",
            "parent": term("violation_type", "liberty").pk,
            "label_fr": "Travail forcé (terme local)",
            "label_en": "Forced labour (local term)",
            "description_fr": "",
            "description_en": "",
            "attributes": '{"counted_by": "victim"}',
            "active": "on",
            "sort_order": "99",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    local = term("violation_type", "liberty.forced_labour_local")
    assert local.is_local
    assert (
        "Travail forcé (terme local)"
        in client_for(monitor).get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    )


def test_an_administrator_deactivates_a_term_and_it_is_no_longer_offered(administrator, monitor, draft):
    threats = term("violation_type", "integrity.threats")
    response = client_for(administrator).post(
        reverse("admin:vocabularies_term_changelist"),
        {"action": "deactivate", "_selected_action": [threats.pk]},
    )
    assert response.status_code == 302
    threats.refresh_from_db()
    assert not threats.active
    page = client_for(monitor).get(reverse("incidents:edit", args=[draft.public_id])).content.decode()
    assert "Menaces de mort et intimidation" not in page


def test_released_codes_are_read_only_in_the_admin(administrator):
    torture = term("violation_type", "integrity.torture")
    page = (
        client_for(administrator)
        .get(reverse("admin:vocabularies_term_change", args=[torture.pk]))
        .content.decode()
    )
    assert 'name="code"' not in page


@pytest.mark.django_db
def test_loading_the_vocabularies_again_changes_nothing(capsys):
    local = Term.objects.create(
        vocabulary="violation_type", code="local.kept", label_fr="Local", label_en="Local", is_local=True
    )
    threats = term("violation_type", "integrity.threats")
    threats.active = False
    threats.save()
    before = {
        (t.vocabulary, t.code): (t.pk, t.label_fr, t.label_en, t.parent_id, t.attributes)
        for t in Term.objects.all()
    }
    call_command("vocabularies", "load")
    out = capsys.readouterr().out
    call_command("vocabularies", "load")
    after = {
        (t.vocabulary, t.code): (t.pk, t.label_fr, t.label_en, t.parent_id, t.attributes)
        for t in Term.objects.all()
    }
    assert before == after
    assert "0 termes ajoutés" in out
    assert Term.objects.filter(pk=local.pk).exists()
    threats.refresh_from_db()
    assert not threats.active  # an administrator's deactivation survives a reload
