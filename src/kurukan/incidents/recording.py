"""The first recording of an incident on one page: the incident, its first violation with a named victim,
a group of victims, an alleged perpetrator and a source, checked together and saved once.

Every part but the incident is optional; a part counts as filled in when any of its fields holds more than
its default. Nothing is saved unless every filled part is valid, and on an error every part comes back with
what was typed. Further victims and sources are added on the editor afterwards.
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
# Further violations on the same page (a killing and an abduction in one attack), each folded until opened;
# more still are added on the editor afterwards.
FURTHER_VIOLATIONS = 2


class ViolationBlock:
    """One violation with its named victim, group of victims and alleged perpetrator. The first block's
    prefixes are `violation`, `victim`, `group`, `perpetrator`; the n-th's carry its number (`violation2`…),
    so every element id on the page is unique and each label points at its own block's field."""

    def __init__(self, number: int, data: Any = None) -> None:
        self.number = number
        suffix = "" if number == 1 else str(number)
        self.violation = ViolationForm(data, prefix=f"violation{suffix}")
        self.victim = VictimForm(data, prefix=f"victim{suffix}")
        self.group = GroupVictimsForm(data, prefix=f"group{suffix}")
        self.perpetrator = PerpetratorForm(data, prefix=f"perpetrator{suffix}")

    @property
    def parts(self) -> list[forms.BaseForm]:
        return [self.violation, self.victim, self.group, self.perpetrator]

    @property
    def opened(self) -> bool:
        """Shown unfolded: the first always, a further one once anything is typed in it."""
        return self.number == 1 or any(FirstRecord.filled(part) for part in self.parts)


class FirstRecord:
    def __init__(self, data: Any = None) -> None:
        self.incident = IncidentForm(data)
        self.blocks = [ViolationBlock(n, data) for n in range(1, 2 + FURTHER_VIOLATIONS)]
        first = self.blocks[0]
        self.violation, self.victim, self.group, self.perpetrator = first.parts
        self.source = SourceForm(data, prefix="source")
        # The named victim's consent, asked when they are recorded (GBVIMS: informed consent per purpose).
        self.consent = FirstConsentForm(data, prefix="consent")
        for part in [*self.parts, self.consent]:
            part.use_required_attribute = False  # optional as a whole: required only once filled in

    @property
    def further(self) -> list[ViolationBlock]:
        return self.blocks[1:]

    @property
    def parts(self) -> list[forms.BaseForm]:
        return [*(part for block in self.blocks for part in block.parts), self.source]

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
        for block in self.blocks:
            if valid:  # the victim's age is checked against the incident's date
                block.victim.incident = Incident(start_date=self.incident.cleaned_data["start_date"])
        for part in self.parts:
            if self.filled(part):
                valid = part.is_valid() and valid
        if self.filled(self.victim):  # the first victim's consent, asked on this page
            valid = self.consent.is_valid() and valid
        for block in self.blocks:
            needs_type = any(self.filled(p) for p in (block.victim, block.group, block.perpetrator))
            if needs_type and not self.filled(block.violation):
                block.violation.is_valid()
                block.violation.add_error(
                    "type", _("Choisissez le type de violation que ces victimes ou cet auteur concernent.")
                )
                valid = False
        return valid

    @transaction.atomic
    def save(self, user) -> Incident:
        incident = actions.save_incident(self.incident.save(commit=False), user, created=True)
        log_public_text_override(self.incident, user, incident)
        for block in self.blocks:
            if not self.filled(block.violation):
                continue
            violation = actions.add_violation(
                incident,
                user,
                block.violation.save(commit=False),
                block.violation.cleaned_data["methods"],
            )
            if self.filled(block.victim):
                block.victim.incident = incident
                person, victim, categories = block.victim.build()
                actions.add_victim(violation, user, person, victim, categories)
                if block.number == 1:  # the consent asked on this page is the first victim's
                    self._record_consent(person, user)
            if self.filled(block.group):
                actions.add_group(violation, user, block.group.save(commit=False))
            if self.filled(block.perpetrator):
                actions.add_perpetrator(violation, user, block.perpetrator.save(commit=False))
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
