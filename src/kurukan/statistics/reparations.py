"""Reparation figures (resolution 52/42, op. 17 and 20): victims registered, found eligible and paid.

The unit is the statistics' own: a victim is counted once per violation — a (violation, person at the root
of their merges) pair — over the violations `counted_violations` counts, so the figures follow the same
rules as every other figure (no drafts, no merged incident twice, no act found not to have occurred). The
level is "reported" unless the filters say otherwise: a victim may claim before verification ends.

- registered: the pair is cited by a claim, whatever its status;
- found eligible: by a claim found eligible, granted or paid;
- paid: by a claim with the status "paid".

Two claims for the same pair (one refused, one filed after it) count once. Breakdowns: region, violation
type, sex (of the victim's root record).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kurukan.accounts.models import Organisation
from kurukan.incidents.merges import roots_of
from kurukan.people.models import Person
from kurukan.reparations.models import Claim, ClaimStatus

from .counting import EVERYTHING, CountingError, Filters, Scope, counted_violations

FIELDS = ("region", "violation_type", "sex")
# A claim may come before verification: claims count over every reported violation unless asked otherwise.
REPORTED = Filters(level="reported")
MEASURES = ("registered", "eligible", "paid")


@dataclass
class ClaimTable:
    by: list[str]
    rows: list[dict] = field(default_factory=list)
    total: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"by": self.by, "rows": self.rows, "total": self.total}

    def value(self, measure: str, **codes) -> int:
        for row in self.rows:
            if all(row.get(k) == v for k, v in codes.items()):
                return row[measure]
        return 0


def claim_table(
    by: Sequence[str] = (),
    filters: Filters = REPORTED,
    scope: Scope = EVERYTHING,
    organisation: Organisation | tuple[Organisation, ...] | None = None,
) -> ClaimTable:
    """Victims registered, found eligible and paid, by the fields `by`, over the claims of `organisation`
    (None: every organisation) citing violations in scope."""
    by = list(by)
    unknown = [name for name in by if name not in FIELDS]
    if unknown:
        raise CountingError(
            _("champ inconnu « %(field)s » : choisissez parmi %(choices)s")
            % {"field": unknown[0], "choices": ", ".join(FIELDS)}
        )
    links = Claim.violations.through.objects.filter(
        violation__in=counted_violations(filters, scope).values("pk")
    )
    if organisation is not None:  # one organisation's claims, or a few's
        owners = organisation if isinstance(organisation, tuple) else (organisation,)
        links = links.filter(claim__organisation__in=owners)
    rows = list(
        links.values_list(
            "violation_id",
            "claim__person_id",
            "claim__status",
            "violation__incident__region__pcode",
            "violation__type__code",
        )
    )
    roots = roots_of(Person, {row[1] for row in rows})
    sexes = dict(Person.objects.filter(pk__in=set(roots.values())).values_list("pk", "sex"))
    # Each victim of each violation once, with every status its claims reached.
    pairs: dict[tuple[int, int], dict] = {}
    for violation_id, person_id, status, region, violation_type in rows:
        root = roots[person_id]
        pair = pairs.setdefault(
            (violation_id, root),
            {"region": region, "violation_type": violation_type, "sex": sexes.get(root), "statuses": set()},
        )
        pair["statuses"].add(status)
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    total = dict.fromkeys(MEASURES, 0)
    for pair in pairs.values():
        key = tuple(pair[name] for name in by)
        reached = {
            "registered": True,
            "eligible": bool(pair["statuses"] & ClaimStatus.found_eligible()),
            "paid": ClaimStatus.PAID in pair["statuses"],
        }
        for measure, yes in reached.items():
            counts[key][measure] += yes
            total[measure] += yes
    out = [{**dict(zip(by, key, strict=True)), **values} for key, values in counts.items()]
    out.sort(key=lambda row: tuple((row[name] is None, str(row[name])) for name in by))
    return ClaimTable(by=by, rows=out, total=total)


def claim_table_for(user, by: Sequence[str] = (), filters: Filters = REPORTED) -> ClaimTable:
    """The figures a user reads: their organisation's claims (administrators: all), over what they see."""
    organisation = None if user.role == "administrator" else user.organisation
    if organisation is None and user.role != "administrator":
        return ClaimTable(by=list(by), total=dict.fromkeys(MEASURES, 0))
    return claim_table(by, filters, Scope.for_user(user), organisation)
