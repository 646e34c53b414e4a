"""The person's file: a victim's, witness's or source's page, built on the access helpers.

No name in the title or the URL (public ids only): the browser's history and a shared computer's tabs
must not name anyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kurukan.accounts import access
from kurukan.incidents.merges import merged_family
from kurukan.incidents.models import Source, Victim
from kurukan.incidents.presenters import list_rows
from kurukan.justice.queries import cases_for_person
from kurukan.reparations.queries import claims_for_person

from . import consent
from .forms import ConsentForm
from .models import Person, Sex


def _file_context(user, person: Person, form: ConsentForm | None = None) -> dict[str, Any]:
    family = merged_family(Person, person.pk)
    identity = access.sees_person_identity(user, person, family)
    incidents = list(
        access.person_incidents(user, family)
        .select_related("organisation", "region", "cercle", "commune")
        .prefetch_related("violations__type")
        .order_by("-start_date")
    )
    roles: dict[int, list[str]] = {}
    for victim in Victim.objects.filter(
        person_id__in=family, violation__incident__in=incidents
    ).select_related("violation__type"):
        roles.setdefault(victim.violation.incident_id, []).append(
            _("victime : %(type)s") % {"type": victim.violation.type.label}
        )
    for incident_id in Source.objects.filter(person_id__in=family, incident__in=incidents).values_list(
        "incident_id", flat=True
    ):
        roles.setdefault(incident_id, []).append(_("source ou témoin"))
    rows = list_rows(user, incidents)
    for row, incident in zip(rows, incidents, strict=True):
        row["roles"] = roles.get(incident.pk, [])
    may_record = access.can_record_consent(user, person)
    return {
        "person": person,
        "identity": identity,
        "full_name": (person.full_name or person.other_names) if identity else "",
        "other_names": person.other_names if identity else "",
        "phone": person.phone if identity else "",
        "id_number": person.id_number if identity else "",
        "sex": Sex(person.sex).label,
        "birth_year": person.birth_year if identity else None,
        "incidents": rows,
        "consents": consent.answers(person) if (identity or may_record) else [],
        "may_record": may_record,
        "consent_form": (form or ConsentForm()) if may_record else None,
        "may_erase": access.can_erase_identity(user, person) and person.identity_erased_on is None,
        # The registers that follow the person: each app reads them through its own access helpers.
        "person_cases": list(cases_for_person(user, person)),
        "claims": list(claims_for_person(user, person)),
    }


@require_GET
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = access.get_person_for_view(request.user, person_id)
    survivor = consent.surviving(person)
    if survivor.pk != person.pk:  # a merged duplicate opens the surviving file
        return redirect("people:detail", person_id=survivor.public_id)
    return render(request, "people/detail.html", _file_context(request.user, person))


@require_POST
def consent_record(request: HttpRequest, person_id: str) -> HttpResponse:
    person = consent.surviving(access.get_person_for_view(request.user, person_id))
    if not access.can_record_consent(request.user, person):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render(request, "people/detail.html", _file_context(request.user, person, form), status=422)
    data = form.cleaned_data
    consent.record(
        person,
        data["purpose"],
        data["status"],
        request.user,
        partner=data["partner"],
        method=data["method"],
        on=data["recorded_on"],
    )
    messages.success(request, _("Consentement enregistré ; il s'applique dès maintenant."))
    return redirect("people:detail", person_id=person.public_id)


@require_POST
def need_to_know(request: HttpRequest, public_id: str) -> HttpResponse:
    """The coordinator names (or un-names) a user of the organisation on a sensitive record."""
    from kurukan.accounts.models import User
    from kurukan.audit import log as audit
    from kurukan.audit.models import Action

    incident = access.get_incident_for_view(request.user, public_id)
    if not access.can_name_on_record(request.user, incident):
        raise PermissionDenied
    colleagues = User.objects.filter(organisation_id=incident.organisation_id, is_active=True)
    added = colleagues.filter(pk=request.POST.get("add") or 0).first()
    removed = colleagues.filter(pk=request.POST.get("remove") or 0).first()
    if added is not None:
        incident.need_to_know.add(added)
        audit.record(Action.CHANGE, user=request.user, obj=incident, need_to_know_added=added.username)
        messages.success(request, _("Utilisateur nommé sur le dossier."))
    elif removed is not None:
        incident.need_to_know.remove(removed)
        audit.record(Action.CHANGE, user=request.user, obj=incident, need_to_know_removed=removed.username)
        messages.success(request, _("Utilisateur retiré du dossier."))
    else:
        messages.error(request, _("Choisissez un utilisateur de l'organisation."))
    return redirect("incidents:detail", public_id=incident.public_id)


@require_POST
def erase(request: HttpRequest, person_id: str) -> HttpResponse:
    """Erase the person's identity on their request (names, phone, identity number, address), in the live
    row and its history; the facts stay. Asked twice: the page sends `confirm` only from its own button."""
    from .retention import erase_identity

    person = consent.surviving(access.get_person_for_view(request.user, person_id))
    if not access.can_erase_identity(request.user, person):
        raise PermissionDenied
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Cochez la confirmation : l'effacement ne peut pas être annulé."))
        return redirect("people:detail", person_id=person.public_id)
    erase_identity(person, request.user, reason="request")
    messages.success(
        request, _("Identité effacée, historique compris. Les faits (sexe, âge, violations) sont conservés.")
    )
    return redirect("people:detail", person_id=person.public_id)
