"""What the templates and the API show of a claim: prepared values, amounts in CFA francs written by Babel."""

from __future__ import annotations

from babel.numbers import format_currency
from django.utils.translation import get_language

from .models import Claim, Measure, Relationship


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def xof(amount: int | None) -> str:
    """An amount in CFA francs (XOF, no subunit), as a French or English reader writes it."""
    if amount is None:
        return "—"
    return format_currency(amount, "XOF", locale=_locale())


def measure_labels(codes: list[str]) -> list[str]:
    labels = dict(Measure.choices)
    return [str(labels[code]) for code in codes if code in labels]


def violation_rows(claim: Claim) -> list[dict]:
    return [
        {
            "id": v.pk,
            "incident": v.incident.public_id,
            "date": v.incident.start_date,
            "type": v.type.label,
            "type_code": v.type.code,
            "verification": v.get_verification_status_display(),
        }
        for v in claim.violations.select_related("incident", "type").order_by("incident__start_date", "pk")
    ]


def claim_row(claim: Claim) -> dict:
    return {
        "reference": claim.reference,
        "person": claim.person.public_id,
        "name": claim.person.full_name,
        "status": claim.get_status_display(),
        "status_code": claim.status,
        "filed_on": claim.filed_on,
        "amount_requested": xof(claim.amount_requested),
        "amount_granted": xof(claim.amount_granted),
        "paid": xof(claim.paid_sum if hasattr(claim, "paid_sum") else claim.paid_total),
    }


def claim_context(claim: Claim) -> dict:
    payments = list(claim.payments.order_by("paid_on", "pk"))
    return {
        "claim": claim,
        "row": claim_row(claim),
        "claimant": (
            str(Relationship(claim.relationship).label)
            if claim.relationship == Relationship.SELF
            else f"{claim.claimant_name} ({Relationship(claim.relationship).label})"
        ),
        "violations": violation_rows(claim),
        "measures_requested": measure_labels(claim.measures_requested),
        "measures_granted": measure_labels(claim.measures_granted),
        "steps": [
            {"status": s.get_status_display(), "code": s.status, "on": s.changed_on, "note": s.note}
            for s in claim.status_changes.order_by("changed_on", "pk")
        ],
        "payments": [
            {"paid_on": p.paid_on, "amount": xof(p.amount), "reference": p.reference} for p in payments
        ],
    }
