"""The linkage job: read what the requester may see, score pairs with the linkage library, store them.

Runs in a task worker (`find_duplicates` in tasks.py), or in the foreground for `kurukan duplicates find`.
Progress is written to the run as it goes (0–100), so the page can poll it. On failure the run keeps a
error that names no record: the exception's type name, and as its stage message only the message of our
own linkage input errors (which quote column names and row numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from kurukan import jobs
from kurukan.accounts import access
from kurukan.analysis.linkage import (
    LinkageConfig,
    LinkageInputError,
    LinkageResult,
    Reviews,
    dedupe_incidents,
    dedupe_people,
)
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.incidents.merges import roots_of
from kurukan.incidents.models import Incident
from kurukan.people.models import Person

from . import records
from .models import CandidatePair, Decision, Kind, LinkageRun

BATCH = 1000
Progress = Callable[[int], None]


def start_run(kind: str, user, threshold: float) -> LinkageRun:
    """Record a run and audit it; the caller enqueues the task or calls `run_linkage`."""
    run = LinkageRun.objects.create(kind=kind, threshold=threshold, requested_by=user)
    audit.record(Action.MERGE, user=user, obj=run, event="run_requested", kind=kind, threshold=threshold)
    return run


def _source(run: LinkageRun):
    """Incidents the requester may see; every incident when run from the command line without a user."""
    if run.requested_by is None:
        return Incident.objects.all()
    return access.visible_incidents(run.requested_by)


def run_linkage(run: LinkageRun, progress: Progress | None = None) -> LinkageRun:
    """Do the whole run. Never raises: a failure is recorded on the run (`jobs.run_guarded`)."""
    return jobs.run_guarded(
        run,
        _linkage,
        failure=_("la recherche a échoué (%(error)s) ; le détail est dans le journal du serveur."),
        progress=progress,
        # Our own linkage input errors quote column names and row numbers, never a value.
        safe=(LinkageInputError,),
    )


def _linkage(run: LinkageRun) -> dict:
    incidents = _source(run)
    if run.kind == Kind.PEOPLE:
        frame = records.people_frame(incidents)
    else:
        frame = _with_people_links(incidents, records.incidents_frame(incidents))
    run.set_progress(15, n_records=len(frame))
    result = _link(run, frame)
    del frame  # the only copy of the decrypted names
    run.set_progress(70)
    return {"n_pairs": _store(run, result), "learned": learned_summary(result)}


def _with_people_links(incidents, frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents with the people clusters of their victims (role `victim_clusters`): a matched
    victim in common is evidence that two reports describe one event — none when their violations
    differ, since one person can be the victim of two events (the library's caveat)."""
    people = records.people_frame(incidents)
    if len(people) < 2 or frame.empty:
        return frame
    linked = dedupe_people(people, LinkageConfig(id_column=records.ID))
    del people  # the only copy of the decrypted names
    cluster = linked.clusters.set_index("id")["cluster_id"].astype(str).to_dict()
    victims = records.victims_by_incident(incidents)

    def clusters_of(incident_id: str) -> str | None:
        found = sorted({cluster.get(str(person), f"p{person}") for person in victims.get(incident_id, ())})
        return "|".join(found) or None

    return frame.assign(victim_clusters=frame[records.ID].map(clusters_of))


def reviews_for(run: LinkageRun, ids: set[str]) -> Reviews:
    """The decisions taken on pairs of this kind by the reviewers of the requester's organisation
    (every decision when the run has no requester), on records the run compares."""
    decided = CandidatePair.objects.filter(
        kind=run.kind, decision__in=[Decision.CONFIRMED, Decision.REJECTED]
    )
    organisation = getattr(run.requested_by, "organisation_id", None)
    if organisation is not None:
        decided = decided.filter(decided_by__organisation_id=organisation)
    confirmed, rejected = [], []
    for left, right, decision in decided.values_list("left_id", "right_id", "decision").iterator():
        pair = (str(left), str(right))
        if pair[0] in ids and pair[1] in ids:
            (confirmed if decision == Decision.CONFIRMED else rejected).append(pair)
    return Reviews(confirmed=confirmed, rejected=rejected)


def learned_summary(result: LinkageResult | None) -> dict:
    """Counts, names of the comparisons whose m moved, and the chosen threshold: nothing of a record."""
    if result is None or result.threshold_choice is None:
        return {}
    choice = result.threshold_choice
    summary = {
        "threshold": result.match_threshold,
        "expected_precision": round(choice.expected_precision, 3),
        "expected_recall": round(choice.expected_recall, 3),
    }
    learned = result.learned
    if learned is not None:
        summary.update(
            n_confirmed=learned.n_confirmed,
            n_rejected=learned.n_rejected,
            m_changed=sorted(learned.m_changes),
            calibrated=learned.calibration is not None,
        )
    return summary


def _link(run: LinkageRun, frame: pd.DataFrame) -> LinkageResult | None:
    if len(frame) < 2:
        return None
    config = LinkageConfig(
        id_column=records.ID,
        pairs_threshold=run.threshold,
        match_threshold=None,  # the threshold of maximum expected F1, calibrated on the decisions
        reviews=reviews_for(run, set(frame[records.ID].astype(str))),
    )
    if run.kind == Kind.PEOPLE:
        return dedupe_people(frame, config)
    return dedupe_incidents(frame, config)


def _evidence(record, comparisons: list[str]) -> list[dict]:
    items = []
    for name in comparisons:
        bf = float(getattr(record, f"{name}_bf"))
        items.append({"field": name, "level": str(getattr(record, f"{name}_level")), "bf": round(bf, 4)})
    return sorted(items, key=lambda e: -abs(math.log2(e["bf"])) if e["bf"] > 0 else -math.inf)


def _store(run: LinkageRun, result: LinkageResult | None) -> int:
    """Insert new pairs and refresh undecided ones; a pair already decided, or whose records are already
    one (merged), is left alone. Returns the number of pairs proposed by this run."""
    if result is None or result.pairs.empty:
        return 0
    pairs = result.pairs
    if "one_to_one" in pairs.columns:
        # A victim of one report is at most one victim of another: the weaker alternatives the library's
        # one-to-one step set aside would only crowd the queue.
        pairs = pairs[pairs["one_to_one"].fillna(True).astype(bool)]
    ids = pd.concat([pairs["id_l"], pairs["id_r"]]).astype(int).unique().tolist()
    model = Person if run.kind == Kind.PEOPLE else Incident
    root = roots_of(model, ids)
    existing = {
        (left, right): (pk, decision)
        for pk, left, right, decision in CandidatePair.objects.filter(kind=run.kind).values_list(
            "pk", "left_id", "right_id", "decision"
        )
    }
    new: list[CandidatePair] = []
    refreshed: list[CandidatePair] = []
    proposed = 0
    for record in pairs.itertuples(index=False):
        a, b = int(record.id_l), int(record.id_r)
        if root[a] == root[b]:
            continue
        left, right = min(a, b), max(a, b)
        fields = {
            "run": run,
            "kind": run.kind,
            "left_id": left,
            "right_id": right,
            "probability": float(record.match_probability),
            "evidence": _evidence(record, result.comparisons),
        }
        known = existing.get((left, right))
        if known is None:
            new.append(CandidatePair(**fields))
        elif known[1] in {Decision.PENDING, Decision.DEFERRED}:
            refreshed.append(CandidatePair(pk=known[0], **fields))
        else:
            continue
        proposed += 1
    total = max(1, len(new) + len(refreshed))
    done = 0
    for start in range(0, len(new), BATCH):
        with transaction.atomic():
            CandidatePair.objects.bulk_create(new[start : start + BATCH])
        done += len(new[start : start + BATCH])
        run.set_progress(70 + 30 * done // total - 1)
    for start in range(0, len(refreshed), BATCH):
        with transaction.atomic():
            CandidatePair.objects.bulk_update(
                refreshed[start : start + BATCH], ["run", "probability", "evidence"]
            )
        done += len(refreshed[start : start + BATCH])
        run.set_progress(70 + 30 * done // total - 1)
    return proposed
