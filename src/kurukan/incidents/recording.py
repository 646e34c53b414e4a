"""The first recording of an incident on one page: the incident, its first violation with a named victim,
a group of victims, an alleged perpetrator and a source, checked together and saved once.

Every part but the incident is optional; a part counts as filled in when any of its fields holds more than
its default. Nothing is saved unless every filled part is valid, and on an error every part comes back with
what was typed. More violations, victims and sources are added on the editor afterwards.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from kurukan.people import consent
from kurukan.people.forms import FirstConsentForm
from kurukan.people.models import ConsentPurpose
from kurukan.people.public_text import log_public_text_override

from . import actions
from .forms import GroupVictimsForm, IncidentForm, PerpetratorForm, SourceForm, VictimForm, ViolationForm
from .models import Incident

EMPTY = {"", "0", "unknown"}  # a field left at its default


class FirstRecord:
    def __init__(self, data: Any = None) -> None:
        self.incident = IncidentForm(data)
        self.violation = ViolationForm(data, prefix="violation")
        self.victim = VictimForm(data, prefix="victim")
        self.group = GroupVictimsForm(data, prefix="group")
        self.perpetrator = PerpetratorForm(data, prefix="perpetrator")
        self.source = SourceForm(data, prefix="source")
        # The named victim's consent, asked when they are recorded (GBVIMS: informed consent per purpose).
        self.consent = FirstConsentForm(data, prefix="consent")
        for part in [*self.parts, self.consent]:
            part.use_required_attribute = False  # optional as a whole: required only once filled in

    @property
    def parts(self) -> list[forms.BaseForm]:
        return [self.violation, self.victim, self.group, self.perpetrator, self.source]

    @staticmethod
    def filled(form: forms.BaseForm) -> bool:
        if not form.is_bound:
            return False
        prefix = f"{form.prefix}-"
        data = cast(QueryDict, form.data)  # a bound form here is always bound to request.POST
        return any(
            value.strip() not in EMPTY
            for key in data
            if key.startswith(prefix)
            for value in data.getlist(key)
        )

    def is_valid(self) -> bool:
        if self.filled(self.victim):  # the victim typed on this page must not be named in the public summary
            data = cast(QueryDict, self.victim.data)
            self.incident.extra_names = [
                data.get(f"victim-{n}", "") for n in ("given_name", "family_name", "other_names")
            ]
            self.incident.extra_names.append(" ".join(self.incident.extra_names[:2]))
        valid = self.incident.is_valid()
        if valid:  # the victim's age is checked against the incident's date
            self.victim.incident = Incident(start_date=self.incident.cleaned_data["start_date"])
        for part in self.parts:
            if self.filled(part):
                valid = part.is_valid() and valid
        if self.filled(self.victim):
            valid = self.consent.is_valid() and valid
        needs_type = any(self.filled(p) for p in (self.victim, self.group, self.perpetrator))
        if needs_type and not self.filled(self.violation):
            self.violation.is_valid()
            self.violation.add_error(
                "type", _("Choisissez le type de violation que ces victimes ou cet auteur concernent.")
            )
            valid = False
        return valid

    @transaction.atomic
    def save(self, user) -> Incident:
        incident = actions.save_incident(self.incident.save(commit=False), user, created=True)
        log_public_text_override(self.incident, user, incident)
        if self.filled(self.violation):
            violation = actions.add_violation(
                incident,
                user,
                self.violation.save(commit=False),
                self.violation.cleaned_data["methods"],
            )
            if self.filled(self.victim):
                self.victim.incident = incident
                person, victim, categories = self.victim.build()
                actions.add_victim(violation, user, person, victim, categories)
                self._record_consent(person, user)
            if self.filled(self.group):
                actions.add_group(violation, user, self.group.save(commit=False))
            if self.filled(self.perpetrator):
                actions.add_perpetrator(violation, user, self.perpetrator.save(commit=False))
        if self.filled(self.source):
            actions.add_source(incident, user, self.source.save(commit=False))
        return incident

    def _record_consent(self, person, user) -> None:
        answers = self.consent.cleaned_data
        for purpose in (ConsentPurpose.STORE, ConsentPurpose.SHARE_PARTNER):
            if answers.get(purpose):
                consent.record(
                    person,
                    purpose,
                    answers[purpose],
                    user,
                    partner=answers.get("partner"),
                    method=answers["method"],
                )
