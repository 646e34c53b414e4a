"""Recommendation workflows. Each is one transaction that writes its audit event (ids and counts only)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.analysis import similarity
from kurukan.audit import log as audit
from kurukan.audit.models import Action
from kurukan.evidence import storage
from kurukan.vocabularies.models import Term

from . import parsing
from . import themes as themes_lists
from .models import (
    Assessment,
    AssessmentFile,
    Document,
    Indicator,
    IndicatorValue,
    Institution,
    Measure,
    Mechanism,
    Recommendation,
    SimilarPair,
    Theme,
)

BATCH = 1000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    problems: list[parsing.RowProblem] = field(default_factory=list)
    job: int | None = None  # the import job, whose quarantine page corrects the problems

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.quarantined

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"quarantined {self.quarantined}"
        )


def _mechanism_of(symbol: str) -> str:
    if symbol.startswith("A/HRC/RES/"):
        return Mechanism.HRC_RESOLUTION
    if symbol.startswith("S/"):
        return Mechanism.COMMISSION_OF_INQUIRY
    if "/WG.6/" in symbol or symbol.startswith("A/HRC/"):
        return Mechanism.UPR
    if "/CO/" in symbol:
        return Mechanism.TREATY_BODY
    return Mechanism.UPR


def _date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y"):
        try:
            parsed = dt.datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
        return parsed.date()
    return None


def _themes(kind: str, labels: list[str], cache: dict[tuple[str, str], Theme]) -> list[Theme]:
    """The themes a row's cells name: a shipped theme (UHRI lists, SDG goals) when the cell gives its code or
    its French or English label, or an SDG goal or target by number; else a theme of its own, labelled as
    the cell says (the lists grow; nothing an export says is dropped)."""
    if not cache:
        for known in Theme.objects.all():
            for key in (known.code, known.label_fr, known.label_en):
                cache.setdefault((known.kind, parsing.fold(key)), known)
    found: list[Theme] = []
    for label in labels:
        theme: Theme | None = cache.get((kind, parsing.fold(label)))
        if theme is None and kind == Theme.Kind.SDG and (goal := themes_lists.sdg_goal(label)):
            theme = cache.get((kind, goal))
        if theme is None:
            code = parsing.fold(label).replace(" ", "_")[:80]
            theme, _created = Theme.objects.get_or_create(
                kind=kind, code=code, defaults={"label_fr": label[:250], "label_en": label[:250]}
            )
            cache[kind, parsing.fold(label)] = theme
        if theme not in found:
            found.append(theme)
    return found


FIELD_SOURCES = {
    "text_en": "text",
    "text_fr": "text_fr",
    "recommending": "recommending",
    "response": "response",
    "response_raw": "response_raw",
    "response_source": "response_source",
}


def import_recommendations(path: Path, user: Any = None) -> ImportResult:
    """A UPR Info / UHRI-shaped table, read as it is, through the intake machinery (`recommendations.intake`:
    an import job whose rejected rows wait in its quarantine). A row is keyed by (document symbol,
    paragraph): importing the same file again changes nothing; an edited row updates the recommendation and
    keeps its previous version in the history. A file that cannot be read at all raises ValidationError."""
    from kurukan.imports.models import QuarantinedRow
    from kurukan.jobs import JobStatus

    from . import intake

    job = intake.import_file(Path(path), user)
    if job.status != JobStatus.DONE:
        raise ValidationError(job.stage)
    result = ImportResult(job.created, job.updated, job.unchanged, job.quarantined, job=job.pk)
    for row in QuarantinedRow.objects.filter(job=job, resolved_at__isnull=True).order_by("row_number"):
        result.problems.append(
            parsing.RowProblem(row.row_number, row.field, row.value, row.message_fr, row.message_en)
        )
    return result


def _disambiguate(row: parsing.RecommendationRow, seen: set[tuple[str, str]]) -> None:
    """(document, paragraph) is a recommendation's key. Where a table repeats a paragraph number (several
    States' recommendations grouped under one number), the later rows are keyed by the number and a
    fingerprint of their text, so that importing the same table again finds each row again."""
    key = (row.symbol, row.paragraph)
    if key in seen:
        digest = hashlib.sha1(
            parsing.fold(row.text or row.text_fr).encode(), usedforsecurity=False
        ).hexdigest()
        row.paragraph = f"{row.paragraph}#{digest[:8]}"
    seen.add((row.symbol, row.paragraph))


def _document(row: parsing.RecommendationRow, documents: dict[str, Document]) -> Document:
    if row.symbol not in documents:
        documents[row.symbol], _created = Document.objects.get_or_create(
            symbol=row.symbol,
            defaults={
                "mechanism": _mechanism_of(row.symbol),
                "cycle": row.cycle,
                "session": row.session,
                "published": _date(row.date),
            },
        )
    return documents[row.symbol]


@transaction.atomic
def _write_batch(
    rows: list[parsing.RecommendationRow],
    documents: dict[str, Document],
    themes: dict[tuple[str, str], Theme],
    result: ImportResult,
    outcomes: list[tuple[int, str]] | None = None,
) -> None:
    """One batch in one transaction: the existing recommendations read in one query, new ones inserted in
    bulk with their history rows, changed ones saved one by one (each keeps its previous version)."""
    for row in rows:
        _document(row, documents)
    keys = {(documents[row.symbol].pk, row.paragraph) for row in rows}
    existing = {
        (rec.document_id, rec.paragraph): rec
        for rec in Recommendation.objects.filter(
            document_id__in={doc for doc, _p in keys}, paragraph__in={p for _d, p in keys}
        )
    }
    new: list[Recommendation] = []
    tagged: list[tuple[Recommendation, list[Theme]]] = []
    for row in rows:
        document = documents[row.symbol]
        values = {name: getattr(row, source) for name, source in FIELD_SOURCES.items()}
        recommendation = existing.get((document.pk, row.paragraph))
        if recommendation is None:
            recommendation = Recommendation(document=document, paragraph=row.paragraph, **values)
            new.append(recommendation)
            result.created += 1
            outcome = "created"
        elif any(getattr(recommendation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(recommendation, name, value)
            recommendation.save()
            result.updated += 1
            outcome = "updated"
        else:
            result.unchanged += 1
            outcome = "unchanged"
        if outcomes is not None:
            outcomes.append((row.row, outcome))
        labels = (
            _themes(Theme.Kind.THEME, row.themes, themes)
            + _themes(Theme.Kind.AFFECTED_GROUP, row.affected_groups, themes)
            + _themes(Theme.Kind.SDG, row.sdgs, themes)
        )
        if labels:
            tagged.append((recommendation, labels))
    Recommendation.objects.bulk_create(new, batch_size=BATCH)
    if new and new[0].pk is not None:
        Recommendation.history.bulk_history_create(new, batch_size=BATCH)  # type: ignore[attr-defined]
    if tagged:
        through = Recommendation.themes.through
        links = {(rec.pk, theme.pk) for rec, labels in tagged for theme in labels}
        through.objects.bulk_create(
            [through(recommendation_id=r, theme_id=t) for r, t in links], ignore_conflicts=True
        )


@dataclass
class ResolutionImport:
    document: Document
    paragraphs: int
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_resolution(text: str, user: Any = None, symbol: str = "") -> ResolutionImport:
    """A Human Rights Council resolution as published: every operative paragraph becomes a trackable item
    with its verb, addressees, cited documents and the violation types it names."""
    resolution = parsing.parse_resolution(text)
    symbol = symbol or resolution.symbol
    if not symbol:
        raise ValidationError(
            _(
                "La cote de la résolution est introuvable dans le texte ; indiquez-la (par exemple A/HRC/RES/52/42)."
            )
        )
    if not resolution.paragraphs:
        raise ValidationError(_("Aucun paragraphe du dispositif n'a été reconnu dans ce texte."))
    document, _created = Document.objects.update_or_create(
        symbol=symbol,
        defaults={
            "mechanism": Mechanism.HRC_RESOLUTION,
            "title": resolution.title[:400],
            "published": _parse_adopted(resolution.adopted),
            "preamble": "\n\n".join(resolution.preamble),
            "language": resolution.language,
        },
    )
    types = {t.code: t for t in Term.objects.filter(vocabulary="violation_type")}
    created = updated = unchanged = 0
    text_field = "text_fr" if resolution.language == "fr" else "text_en"
    for paragraph in resolution.paragraphs:
        values = {
            text_field: parsing.plain_text(paragraph.text),
            "verb": paragraph.verb[:80],
            "addressees": paragraph.addressees,
            "cited_documents": paragraph.documents,
            "recommending": "Conseil des droits de l'homme",
            "response": "pending",
        }
        item = Recommendation.objects.filter(document=document, paragraph=paragraph.number).first()
        if item is None:
            item = Recommendation.objects.create(document=document, paragraph=paragraph.number, **values)
            created += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(item, k, v)
            item.save()
            updated += 1
        else:
            unchanged += 1
        item.violation_types.set([types[c] for c in paragraph.violation_types if c in types])
    audit.record(
        Action.IMPORT,
        user=user,
        obj=document,
        paragraphs=len(resolution.paragraphs),
        created=created,
        updated=updated,
    )
    return ResolutionImport(document, len(resolution.paragraphs), created, updated, unchanged)


MONTHS = {name: n for n, names in enumerate(
    [("january", "janvier"), ("february", "fevrier"), ("march", "mars"), ("april", "avril"), ("may", "mai"),
     ("june", "juin"), ("july", "juillet"), ("august", "aout"), ("september", "septembre"),
     ("october", "octobre"), ("november", "novembre"), ("december", "decembre")], start=1) for name in names}  # fmt: skip


def _parse_adopted(value: str) -> dt.date | None:
    """ "4 April 2023" or "4 avril 2023" (the resolution's own heading)."""
    parts = parsing.fold(value).replace("1er", "1").split()
    if len(parts) == 3 and parts[0].isdigit() and parts[1] in MONTHS and parts[2].isdigit():
        try:
            return dt.date(int(parts[2]), MONTHS[parts[1]], int(parts[0]))
        except ValueError:
            return None
    return None


# ------------------------------------------------------------------------------------------ follow-up


@transaction.atomic
def assign_institution(recommendation: Recommendation, institution: Institution, user: Any) -> None:
    recommendation.institutions.add(institution)
    audit.record(Action.CHANGE, user=user, obj=recommendation, assigned=institution.code)


@transaction.atomic
def add_measure(recommendation: Recommendation, user: Any, *, institution: Institution, description: str,
                due_date: dt.date | None) -> Measure:  # fmt: skip
    measure = Measure.objects.create(
        recommendation=recommendation,
        institution=institution,
        description=description,
        due_date=due_date,
        created_by=user,
    )
    recommendation.institutions.add(institution)
    audit.record(Action.CREATE, user=user, obj=measure, recommendation=recommendation.pk)
    return measure


@transaction.atomic
def add_assessment(recommendation: Recommendation, user: Any, *, status: str, assessed_on: dt.date,
                   evidence: str = "", measure: Measure | None = None, files: list[Any] = ()) -> Assessment:  # fmt: skip
    assessment = Assessment.objects.create(
        recommendation=recommendation,
        measure=measure,
        status=status,
        assessed_on=assessed_on,
        evidence=evidence,
        assessed_by=user,
    )
    for upload in files:
        stored = storage.commit(storage.spool_from(upload.chunks()))
        AssessmentFile.objects.create(
            assessment=assessment,
            sha256=stored.sha256,
            size=stored.size,
            original_name=upload.name,
            media_type=getattr(upload, "content_type", "") or "application/octet-stream",
        )
    audit.record(
        Action.CREATE,
        user=user,
        obj=assessment,
        recommendation=recommendation.pk,
        status=status,
        files=len(files),
    )
    return assessment


@transaction.atomic
def record_indicator_value(
    indicator: Indicator, user: Any, *, on: dt.date, value, note: str = ""
) -> IndicatorValue:
    item, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, on=on, defaults={"value": value, "note": note}
    )
    audit.record(Action.CHANGE, user=user, obj=indicator, on=on.isoformat())
    return item


def overdue_measures(today: dt.date | None = None):
    today = today or timezone.localdate()
    return Measure.objects.filter(done=False, due_date__lt=today).select_related(
        "recommendation__document", "institution"
    )


def send_reminders(today: dt.date | None = None) -> int:
    """One email per focal point listing their institution's overdue measures; each measure is reminded
    at most once a week."""
    from django.core.mail import send_mail

    now = timezone.now()
    week_ago = now - dt.timedelta(days=7)
    sent = 0
    measures = list(overdue_measures(today).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=week_ago)))
    by_user: dict[Any, list[Measure]] = {}
    for measure in measures:
        for focal in measure.institution.focal_points.filter(is_active=True).exclude(email=""):
            by_user.setdefault(focal, []).append(measure)
    for focal, items in by_user.items():
        lines = [f"- {m.recommendation} : {m.description[:120]} ({m.due_date:%d/%m/%Y})" for m in items]
        send_mail(
            _("Kurukan : mesures en retard"),
            _("Les mesures suivantes ont dépassé leur échéance :") + "\n" + "\n".join(lines),
            None,
            [focal.email],
        )
        sent += 1
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(reminded_at=now)
    return sent


# ------------------------------------------------------------------------------------------ similarity


@transaction.atomic
def propose_similar(threshold: float = similarity.DEFAULT_THRESHOLD) -> int:
    """Propose pairs of near-identical recommendations; decisions already taken are kept."""
    items = list(Recommendation.objects.order_by("pk").values_list("pk", "text_en", "text_fr"))
    texts = [en or fr for _pk, en, fr in items]
    existing = set(SimilarPair.objects.values_list("left_id", "right_id"))
    new = []
    for pair in similarity.similar_pairs(texts, threshold):
        left, right = items[pair.left][0], items[pair.right][0]
        if (left, right) not in existing:
            new.append(SimilarPair(left_id=left, right_id=right, score=pair.score))
    SimilarPair.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


@transaction.atomic
def decide_pair(pair: SimilarPair, user: Any, decision: str) -> None:
    pair.decision = decision
    pair.decided_by = user if decision != SimilarPair.Decision.PROPOSED else None
    pair.decided_at = timezone.now() if decision != SimilarPair.Decision.PROPOSED else None
    pair.save()
    audit.record(Action.CHANGE, user=user, obj=pair, decision=decision)


@transaction.atomic
def classify(recommendation: Recommendation, user: Any, *, themes, violation_types, regions) -> None:
    """Set what a recommendation is about; the history keeps each previous version (m2m included where the
    model tracks it) and the audit event names the codes."""
    recommendation.themes.set(themes)
    recommendation.violation_types.set(violation_types)
    recommendation.regions.set(regions)
    audit.record(
        Action.CHANGE,
        user=user,
        obj=recommendation,
        themes=sorted(f"{t.kind}:{t.code}" for t in themes),
        violation_types=sorted(t.code for t in violation_types),
        regions=sorted(r.pcode for r in regions),
    )
