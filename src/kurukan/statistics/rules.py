"""Kurukan's counting rules, written once. Every figure in the product comes from `counting.table`.

Measures
- **incidents**: incidents (events) holding at least one counted violation that meets the filters.
- **violations**: violation records (HURIDOCS acts). One record per act and type, whoever committed it;
  "violations" (by State actors) and "abuses" (by non-State actors) are the same records, told apart by
  the perpetrator's category (field `violation_or_abuse`, from the category's `state_actor` attribute).
- **victims**: each victim is counted **once per violation**. Individual victims are people: a person
  named twice in one violation, or two person records merged by the duplicates app (followed to the root
  of the merge, three merges deep), count once. Group victims count by their numbers (women, men, girls,
  boys, sex or age unknown). A person who suffered two violations counts in each.
- **mrm**: the Monitoring and Reporting Mechanism's count. Violations whose type says `counted_by=victim`
  (killing, maiming, recruitment and use, sexual violence, abduction…) count their victims; those whose
  type says `counted_by=incident` (attacks on schools and hospitals, military use, denial of humanitarian
  access) count one per violation.

Which records count
- **reported**: information received: every violation of an incident that is no longer a draft, less
  those whose verification found they did not occur.
- **documented**: reported, in an incident recorded with at least one source (the design's glossary).
- **verified**: reported, and a verification officer found the standard of proof met (status "verified").
  Published UN figures count verified violations only; every page says which level it shows.
- **merged duplicates**: an incident merged into another (duplicates app) is one event with its survivor,
  so it is counted through the survivor only: the survivor's place, date, violations, perpetrators and
  victims. A victim named in both reports counts once (the duplicate is not counted again); a person named
  only in the duplicate counts as a victim of the survivor's violation of the same type (the first, if it
  has two), with the survivor's place, date and perpetrators; a type the survivor does not record adds no
  one, a duplicate's groups are the survivor's groups reported again (not added), and one organisation's
  counts read only its own duplicate reports.
- **scope**: what the reader may see (`accounts.access.visible_incidents`): organisation, shares and
  confidentiality decide; whether identities are shown does not change a count.

Types and categories
- "Of type X" is X and every type below it, at any depth (`Term.objects.below`); the same for
  perpetrator categories.

Children
- An individual victim is a child when their age at the time is under 18 (the age recorded on the victim,
  or else the incident's year less the person's birth year); when no age is known, when the person carries
  the "child" category. In groups, girls and boys are children; women and men adults.
- Age groups follow the `age_band` vocabulary: child (0–17), adult (18–59), older (60+), unknown. Groups'
  women and men count as adults.

Dates
- The period filter is the incident list's: incidents overlapping the period (`IncidentQuerySet.in_period`).
- Month and quarter use the incident's start date when it is known to the day, week or month; year when
  known to the year. Otherwise the incident falls in "date imprecise" (an empty code).

Multi-valued breakdowns
- A violation with perpetrators of two categories counts once in each category's row, and a victim with two
  categories once in each category's row: such rows add up to more than the total, which is always counted
  without the breakdown.
"""
