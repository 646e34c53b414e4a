"""What a report says, built once and rendered three ways (PDF, DOCX, XLSX) so the formats cannot disagree.

Every number comes from `kurukan.statistics.counting.table` (or the statistics app's schools and the
recommendations' follow-up figures, or the public page's disclosure-controlled figures for the bulletin),
with the report's parameters and the requester's scope: there is no report-only query. Each number printed
is also written into `Content.figures` under a stable key; the fingerprint hashes them, and the tests read
the files back and compare them with the statistics functions.

Call `build()` with the language already activated: labels and sentences come out in that language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from babel.dates import format_date
from babel.lists import format_list
from django.utils import timezone
from django.utils.translation import gettext as _

from kurukan.accounts import access
from kurukan.accounts.models import Organisation
from kurukan.places.models import AdminUnit, BoundarySet, Level
from kurukan.statistics import charts, compare, labels, maps, schools
from kurukan.statistics.counting import SIX_GRAVE, Filters, Scope, table
from kurukan.statistics.forms import previous_period
from kurukan.vocabularies.models import Term

from .models import Kind

SLAVERY_TYPE = "liberty.descent_slavery"
MAP_FILLS = {
    "none": "#f2f0ea",
    "q0": "#fee5d9",
    "q1": "#fcae91",
    "q2": "#fb6a4a",
    "q3": "#de2d26",
    "q4": "#a50f15",
    "hidden": "#969696",  # the hatching of a hidden figure, as on the public map
}


@dataclass
class Grid:
    """One table: a header and rows whose first cell is a label and the rest numbers (or, in the bulletin,
    the public page's text for a hidden figure)."""

    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)  # statistics.charts dicts
    map: maps.Map | None = None
    map_caption: str = ""


@dataclass
class Parameters:
    kind: str
    date_from: dt.date
    date_to: dt.date
    level: str = "documented"
    regions: tuple[str, ...] = ()  # P-codes; none: all of Mali
    organisations: tuple[Organisation, ...] = ()  # none: every organisation (an administrator's choice)
    language: str = "fr"


@dataclass
class Content:
    kind: str
    title: str
    period: str
    generated: str
    where: str  # "Régions de Mopti et Ségou", "Mali": under the title on the cover
    parameters: list[tuple[str, str]]
    sections: list[Section] = field(default_factory=list)
    figures: dict[str, int | str] = field(default_factory=dict)


def _locale() -> str:
    return charts._locale()


def day(value: dt.date) -> str:
    return format_date(value, "long", locale=_locale())


def regions_of(params: Parameters) -> tuple[AdminUnit, ...]:
    """The report's regions, current units, in the order of their names ("Mopti et Ségou")."""
    if not params.regions:
        return ()
    units = AdminUnit.objects.current().filter(level=Level.REGION, pcode__in=params.regions)
    return tuple(units.order_by("name", "pcode"))


def filters_of(params: Parameters) -> Filters:
    """The counting filters of a report's parameters (access.py reads them too, to know what it counts).

    Regions asked for but no longer current (a new boundary set) count nothing, never all of Mali."""
    places = regions_of(params)
    if params.regions and not places:
        places = (AdminUnit(pk=0, pcode="?", name="?", level=Level.REGION),)
    return Filters(
        date_from=params.date_from,
        date_to=params.date_to,
        places=places,
        organisations=tuple(params.organisations),
        level=params.level,
    )


def _names(items) -> str:
    return format_list([str(item) for item in items], locale=_locale())


def where(params: Parameters) -> str:
    """What the report covers, for its cover: "Région de Mopti", "Régions de Mopti et Ségou", "Mali"."""
    regions = regions_of(params)
    if not regions:
        return _("Mali")
    names = _names(unit.name for unit in regions)
    if len(regions) == 1:
        return _("Région de %(name)s") % {"name": names}
    return _("Régions de %(names)s") % {"names": names}


class _Builder:
    def __init__(self, params: Parameters, scope: Scope, user) -> None:
        self.params = params
        self.scope = scope
        self.user = user
        self.filters = filters_of(params)
        self.figures: dict[str, int | str] = {}

    def count(self, key: str, measure: str, by=(), **changes):
        """`counting.table` with the report's filters (changed by `changes`), every value kept under `key`."""
        result = table(measure, by=list(by), filters=replace(self.filters, **changes), scope=self.scope)
        self.figures[f"{key}.total"] = result.total
        for row in result.rows:
            codes = "|".join(str(row[name]) for name in by)
            self.figures[f"{key}[{codes}]"] = row["value"]
        return result


# --- the periodic situation report -------------------------------------------------------------------------

HEADLINE = (
    ("incidents", False, "incidents"),
    ("violations", False, "violations"),
    ("victims", False, "victims"),
    ("victims", True, "children"),
)


def _periodic(b: _Builder) -> list[Section]:
    p = b.params
    before = previous_period(p.date_from, p.date_to)
    days = (p.date_to - p.date_from).days + 1
    sections = []

    headline = Section("headline", _("Chiffres clés"))
    grid = Grid(
        "headline",
        _("Chiffres clés, comparés à la période précédente"),
        [_("Mesure"), _("Période précédente"), _("Période"), _("Évolution")],
    )
    for measure, children, key in HEADLINE:
        now = b.count(f"headline.{key}", measure, children_only=children).total
        then = b.count(
            f"headline.{key}.previous",
            measure,
            children_only=children,
            date_from=before[0],
            date_to=before[1],
        ).total
        title = labels.measure_title(measure) if not children else _("Victimes enfants")
        grid.rows.append([title, then, now, compare.change(then, now)])
        if not children:
            p_value = compare.p_value(then, now, days, days)
            headline.paragraphs.append(compare.sentence(measure, b.filters, then, now, p_value))
    headline.grids.append(grid)
    sections.append(headline)

    by_type = Section("types", _("Évolution par type de violation"))
    now = b.count("violations.category", "violations", ["violation_category"])
    then = b.count(
        "violations.category.previous",
        "violations",
        ["violation_category"],
        date_from=before[0],
        date_to=before[1],
    )
    _comparison(by_type, "violations.category", "violation_category", now, then)
    if now.total or then.total:
        sections.append(by_type)

    by_region = Section("regions", _("Évolution par région"))
    now = b.count("victims.region", "victims", ["region"])
    then = b.count("victims.region.previous", "victims", ["region"], date_from=before[0], date_to=before[1])
    _comparison(by_region, "victims.region", "region", now, then)
    by_region.map = _map(now)
    by_region.map_caption = _("Victimes par région, %(period)s") % {"period": _period(p)}
    if now.total or then.total:
        sections.append(by_region)

    monthly = b.count("violations.month", "violations", ["month"])
    if monthly.total:
        trend = Section("trend", _("Tendance mensuelle"))
        names = labels.labels_for("month", {r["month"] for r in monthly.rows})
        codes = [r["month"] for r in monthly.rows if r["month"]]
        trend.charts.append(
            charts.line_chart(
                [names[c] for c in codes],
                [charts.Series(labels.measure_title("violations"), [monthly.value(month=c) for c in codes])],
                _("Violations et atteintes par mois"),
                "trend",
            )
        )
        trend.grids.append(
            _simple("violations.month", _("Violations et atteintes par mois"), "month", monthly)
        )
        sections.append(trend)

    perpetrators = b.count("violations.perpetrator", "violations", ["perpetrator_category"])
    if perpetrators.total:
        section = Section("perpetrators", _("Catégories d'auteurs présumés"))
        section.grids.append(
            _simple(
                "violations.perpetrator",
                _("Violations et atteintes par catégorie d'auteur présumé"),
                "perpetrator_category",
                perpetrators,
            )
        )
        section.paragraphs.append(
            _("Une violation peut avoir plusieurs auteurs : la somme des lignes peut dépasser le total.")
        )
        sections.append(section)

    women_children = b.count("victims.sex_child", "victims", ["child", "sex"])
    if women_children.total:
        sections.append(_women_and_children(women_children))

    slavery_type = Term.objects.filter(vocabulary="violation_type", code=SLAVERY_TYPE).first()
    if slavery_type is not None:
        slavery = b.count("slavery.region", "victims", ["region"], violation_type=slavery_type)
        if slavery.total:
            section = Section("slavery", _("Esclavage par ascendance"))
            section.grids.append(
                _simple(
                    "slavery.region", _("Victimes d'esclavage par ascendance par région"), "region", slavery
                )
            )
            sections.append(section)

    closed = schools.closed_on(p.date_to, "region", schools.SchoolFilters(places=b.filters.places))
    if closed.total:
        section = Section("schools", _("Écoles fermées"))
        grid = Grid(
            "schools.region",
            _("Écoles fermées le %(day)s, par région") % {"day": day(p.date_to)},
            [_("Région"), _("Écoles"), _("Élèves privés d'école"), _("Enseignants")],
        )
        for row in closed.rows:
            grid.rows.append([row["name"], row["value"], row["pupils"], row["teachers"]])
            b.figures[f"schools.region[{row['region']}]"] = row["value"]
        grid.rows.append([_("Total"), closed.total, closed.pupils, closed.teachers])
        b.figures["schools.region.total"] = closed.total
        section.grids.append(grid)
        sections.append(section)

    for register in (_justice(b), _reparations(b)):
        if register is not None:
            sections.append(register)
    recommendations = _recommendations(b)
    if recommendations is not None:
        sections.append(recommendations)
    sections.append(_methods(b))
    return sections


def _justice(b: _Builder) -> Section | None:
    """Judicial follow-up of the period's verified violations, from statistics.impunity (the justice page's
    and the API's figures): present once any of them reached a court."""
    from kurukan.statistics.impunity import impunity

    result = impunity("violation_type", replace(b.filters, level="verified"), b.scope)
    if not result.total.with_case:
        return None
    section = Section("justice", _("Suivi judiciaire et impunité"))
    names = labels.labels_for("violation_type", {row.code for row in result.rows})
    grid = Grid(
        "justice.violation_type",
        _("Violations vérifiées et suite judiciaire, par type"),
        [
            _("Type de violation"),
            _("Vérifiées"),
            _("Sans procédure"),
            _("Enquête"),
            _("Procès"),
            _("Jugement"),
        ],
    )
    for row in [*result.rows, result.total]:
        label = names.get(row.code, names[None]) if row is not result.total else _("Total")
        grid.rows.append([label, row.verified, row.no_case, row.investigation, row.trial, row.judgment])
        key = "total" if row is result.total else f"[{row.code}]"
        b.figures[f"justice.violation_type{key}.no_case"] = row.no_case
        b.figures[f"justice.violation_type{key}.judgment"] = row.judgment
    section.grids.append(grid)
    total = result.total
    section.paragraphs.append(
        _(
            "%(share)s %% des violations vérifiées de la période n'ont fait l'objet d'aucune procédure "
            "judiciaire connue ; %(judged)s ont abouti à un jugement."
        )
        % {"share": charts.number(round(total.share("no_case"))), "judged": charts.number(total.judgment)}
    )
    return section


def _reparations(b: _Builder) -> Section | None:
    """Reparation claims (Act No. 2022-041) citing the period's violations, from statistics.reparations."""
    from kurukan.statistics.reparations import claim_table

    owners = tuple(b.params.organisations) or None
    result = claim_table(["region"], replace(b.filters, level="reported"), b.scope, owners)
    if not result.total.get("registered"):
        return None
    section = Section("reparations", _("Réparations"))
    names = labels.labels_for("region", {row["region"] for row in result.rows})
    grid = Grid(
        "reparations.region",
        _("Victimes ayant demandé réparation, par région"),
        [_("Région de la violation"), _("Enregistrées"), _("Jugées éligibles"), _("Indemnisées")],
    )
    for row in [*result.rows, {"region": "total", **result.total}]:
        label = _("Total") if row["region"] == "total" else names.get(row["region"], names[None])
        grid.rows.append([label, row["registered"], row["eligible"], row["paid"]])
        key = "total" if row["region"] == "total" else f"[{row['region']}]"
        b.figures[f"reparations.region{key}.paid"] = row["paid"]
    section.grids.append(grid)
    return section


def _period(p: Parameters) -> str:
    return _("du %(start)s au %(end)s") % {"start": day(p.date_from), "end": day(p.date_to)}


def _comparison(section: Section, key: str, name: str, now, then) -> None:
    before = {r[name]: r["value"] for r in then.rows}
    after = {r[name]: r["value"] for r in now.rows}
    codes = sorted(set(before) | set(after), key=lambda c: (c is None, str(c)))
    names = labels.labels_for(name, set(codes))
    grid = Grid(
        key, labels.field_title(name), [labels.field_title(name), _("Période précédente"), _("Période")]
    )
    bars = []
    for code in codes:
        grid.rows.append([names[code], before.get(code, 0), after.get(code, 0)])
        if after.get(code):
            bars.append(charts.Bar(names[code], after[code]))
    grid.rows.append([_("Total"), then.total, now.total])
    section.grids.append(grid)
    if bars:
        section.charts.append(charts.bar_chart(bars, section.title, key.replace(".", "-")))


def _simple(key: str, title: str, name: str, result) -> Grid:
    names = labels.labels_for(name, {r[name] for r in result.rows})
    grid = Grid(key, title, [labels.field_title(name), labels.measure_title(result.measure)])
    for row in result.rows:
        label = names[row[name]] if name != "month" or row[name] else names[None]
        grid.rows.append([label, row["value"]])
    grid.rows.append([_("Total"), result.total])
    return grid


def _women_and_children(result) -> Section:
    section = Section("women_children", _("Femmes et enfants"))
    sexes = ("female", "male", "unknown")
    grid = Grid(
        "victims.sex_child",
        _("Victimes par sexe et par âge"),
        [_("Âge"), _("Femmes et filles"), _("Hommes et garçons"), _("Sexe inconnu")],
    )
    for child, label in (("child", _("Enfants")), ("adult", _("Adultes")), ("unknown", _("Âge inconnu"))):
        grid.rows.append([label, *(result.value(child=child, sex=s) for s in sexes)])
    section.grids.append(grid)
    return section


def _map(result) -> maps.Map | None:
    if not BoundarySet.objects.filter(is_current=True).exists():
        return None
    figures = {
        r["region"]: maps.Figure(r["value"], charts.number(r["value"])) for r in result.rows if r["region"]
    }
    return maps.choropleth(
        Level.REGION,
        figures,
        measure_label=str(labels.measure_title("victims")).lower(),
        url_for=lambda pcode: "",
        number=charts.number,
    )


def _recommendations(b: _Builder) -> Section | None:
    from kurukan.recommendations.figures import STATUSES, status_by
    from kurukan.recommendations.models import Recommendation
    from kurukan.recommendations.presenters import status_label

    qs = access.visible_recommendations(b.user) if b.user is not None else Recommendation.objects.all()
    rows = status_by(qs, "mechanism")
    if not rows:
        return None
    section = Section("recommendations", _("Suivi des recommandations"))
    grid = Grid(
        "recommendations.mechanism",
        _("Recommandations par mécanisme et par état de mise en œuvre"),
        [_("Mécanisme"), *(status_label(s) for s in STATUSES), _("Total")],
    )
    for row in rows:
        grid.rows.append([row["label"], *(row[s] for s in STATUSES), row["total"]])
        b.figures[f"recommendations.mechanism[{row['key']}]"] = row["total"]
    section.grids.append(grid)
    return section


def _methods(b: _Builder) -> Section:
    section = Section("methods", _("Annexe méthodologique"))
    section.paragraphs += [
        _(
            "Tous les chiffres de ce rapport sont comptés par les mêmes règles que le tableau de bord des "
            "statistiques de Kurukan, sur les dossiers que la personne qui a demandé le rapport peut voir."
        ),
        _("Niveau de vérification compté : %(level)s.") % {"level": labels.level_title(b.params.level)},
        _(
            "Une victime est comptée une fois par violation qu'elle a subie ; une personne fusionnée avec "
            "une autre est comptée une seule fois. Les groupes de victimes sont comptés par leur nombre."
        ),
        _(
            "« Documenté » ne veut pas dire « vérifié » : une violation documentée a au moins une source ; "
            "une violation vérifiée a été confirmée selon la norme de preuve de l'organisation."
        ),
        _(
            "Les chiffres documentés ne sont pas le nombre total de victimes : ils ne comptent que ce qui "
            "a été enregistré. Une estimation des victimes non documentées n'est donnée que lorsqu'un "
            "analyste en a publié une."
        ),
        _(
            "Le changement d'une période à l'autre est testé par le test exact de deux comptes de Poisson "
            "(Przyborowski et Wilenski, 1940)."
        ),
    ]
    estimate = _published_estimate()
    if estimate:
        section.paragraphs.append(estimate)
    return section


def _published_estimate() -> str:
    """The latest estimate of undocumented victims an analyst published, as the public page shows it."""
    from kurukan.estimates.models import EstimateRun
    from kurukan.estimates.presenters import public_entry

    run = EstimateRun.objects.published().order_by("-published_at", "-id").first()
    if run is None:
        return ""
    entry = public_entry(run)
    return _(
        "Estimation publiée le %(day)s (%(method)s, %(period)s) : %(documented)s victimes documentées, "
        "%(estimate)s victimes estimées en tout (%(level)s)."
    ) % {
        "day": entry["published_at"],
        "method": entry["summary"]["method"],
        "period": entry["summary"]["period"],
        "documented": entry["total"]["documented"],
        "estimate": entry["total"]["estimate"],
        "level": entry["total"]["level"],
    }


# --- children and armed conflict -----------------------------------------------------------------------------


def _quarters(start: dt.date, end: dt.date) -> list[str]:
    out = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        out.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def _children(b: _Builder) -> list[Section]:
    p = b.params
    grave = labels.grave_violation_labels()
    quarters = _quarters(p.date_from, p.date_to)
    quarter_names = [labels.period_label("quarter", q) for q in quarters]
    sections = []
    for level, title in (
        ("verified", _("Violations graves vérifiées, par trimestre")),
        ("reported", _("Violations graves signalées (vérifiées ou non), par trimestre")),
    ):
        key = f"mrm.{level}.quarter"
        result = b.count(
            key, "mrm", ["grave_violation", "quarter"], level=level, grave_only=True, children_only=True
        )
        section = Section(f"quarters_{level}", title)
        grid = Grid(key, title, [_("Violation grave"), *quarter_names, _("Total")])
        layers = []
        for code in SIX_GRAVE:
            values = [result.value(grave_violation=code, quarter=q) for q in quarters]
            total = sum(r["value"] for r in result.rows if r["grave_violation"] == code)
            grid.rows.append([grave[code], *values, total])
            layers.append(charts.Series(grave[code], values))
        if result.total:  # the quarters as stacked bars, one colour per grave violation, above the table
            section.charts.append(charts.stacked_chart(quarter_names, layers, title, key.replace(".", "-")))
        grid.rows.append([_("Total"), *(result.value(quarter=q) for q in quarters), result.total])
        section.grids.append(grid)
        section.paragraphs.append(
            _(
                "Compté comme le MRM : par enfant victime pour les violations comptées par victime, par "
                "incident pour les attaques contre des écoles et des hôpitaux et le déni d'accès humanitaire."
            )
        )
        sections.append(section)

    sexes = b.count(
        "mrm.verified.sex",
        "mrm",
        ["grave_violation", "sex"],
        level="verified",
        grave_only=True,
        children_only=True,
    )
    section = Section("sex", _("Filles et garçons (violations vérifiées)"))
    grid = Grid(
        "mrm.verified.sex",
        section.title,
        [_("Violation grave"), _("Filles"), _("Garçons"), _("Sexe inconnu"), _("Sans objet (incident)")],
    )
    for code in SIX_GRAVE:
        grid.rows.append(
            [
                grave[code],
                *(sexes.value(grave_violation=code, sex=s) for s in ("female", "male", "unknown", None)),
            ]
        )
    section.grids.append(grid)
    sections.append(section)

    actors = b.count(
        "mrm.verified.perpetrator",
        "mrm",
        ["grave_violation", "perpetrator_category"],
        level="verified",
        grave_only=True,
        children_only=True,
    )
    names = labels.labels_for("perpetrator_category", {r["perpetrator_category"] for r in actors.rows})
    section = Section("perpetrators", _("Par auteur présumé (violations vérifiées)"))
    grid = Grid(
        "mrm.verified.perpetrator", section.title, [_("Violation grave"), _("Auteur présumé"), _("Nombre")]
    )
    for row in actors.rows:
        grid.rows.append(
            [grave.get(row["grave_violation"], "—"), names[row["perpetrator_category"]], row["value"]]
        )
    section.grids.append(grid)
    sections.append(section)
    sections.append(_methods(b))
    return sections


# --- the public bulletin ---------------------------------------------------------------------------------------


def _bulletin(b: _Builder) -> list[Section]:
    """The public page's figures, through its disclosure control, for the period: nothing else."""
    from kurukan.public import presenters
    from kurukan.public.figures import public_figures

    p = b.params
    published = public_figures(p.level, date_from=p.date_from, date_to=p.date_to)
    total = published.get("total")
    b.figures["public.total"] = _public_value(total)
    section = Section("public", _("Chiffres publics"))
    section.paragraphs.append(
        _("Victimes %(level)s, %(period)s : %(total)s.")
        % {"level": labels.level_title(p.level), "period": _period(p), "total": presenters.text(total)}
    )
    section.paragraphs.append(
        _(
            "Un chiffre trop petit pour être publié sans risque pour les personnes est remplacé par « < N » "
            "ou « • » ; d'autres chiffres sont alors masqués pour qu'on ne puisse pas le retrouver par "
            "soustraction."
        )
    )
    regions = Grid("public.region", _("Victimes par région"), [_("Région"), _("Victimes")])
    area_rows = presenters.rows_by_area(published, Level.REGION)
    bars = []
    for row in area_rows:
        figure = published.get("region", row["pcode"])
        regions.rows.append([row["name"], _public_cell(figure)])
        b.figures[f"public.region[{row['pcode']}]"] = _public_value(figure)
        bars.append(_public_bar(row["name"], figure))
    section.grids.append(regions)
    if any(bar.value for bar in bars):
        chart = charts.bar_chart(bars, _("Victimes par région"), "public-region")
        for bar in chart["rows"]:
            if bar.note:  # hidden: no length, the public page's text in place of the value
                bar.shapes["bar"]["width"] = 0
                bar.shapes["value_text"] = bar.note
        section.charts.append(chart)
    if BoundarySet.objects.filter(is_current=True).exists():
        # The public page's own map: a hidden figure has no value and is drawn hatched, never coloured.
        section.map = presenters.the_map(published, Level.REGION, area_rows, url_for=lambda pcode: "")
        section.map_caption = _("Victimes par région, %(period)s (chiffres publics)") % {"period": _period(p)}
    categories = Grid(
        "public.category", _("Victimes par catégorie de violation"), [_("Catégorie"), _("Victimes")]
    )
    names = labels.labels_for("violation_category", set(published.categories))
    for code in published.categories:
        figure = published.get("category", code)
        categories.rows.append([names.get(code, code), _public_cell(figure)])
        b.figures[f"public.category[{code}]"] = _public_value(figure)
    section.grids.append(categories)
    ages = Grid("public.child", _("Enfants et adultes"), [_("Âge"), _("Victimes")])
    age_names = labels.labels_for("child", set(published.children))
    for code in published.children:
        figure = published.get("child", code)
        ages.rows.append([age_names[code], _public_cell(figure)])
        b.figures[f"public.child[{code}]"] = _public_value(figure)
    section.grids.append(ages)
    return [section]


def _public_bar(label: str, figure) -> charts.Bar:
    """A bar for a shown figure; for a hidden one no bar at all, only the public page's text where the
    value would be ("< 10", "•"): a suppressed cell is never drawn as a length."""
    from kurukan.analysis.disclosure import Status

    if figure.status == Status.SHOWN:
        return charts.Bar(label, figure.value)
    return charts.Bar(label, 0, note=figure.text or "•")


def _public_cell(figure) -> int | str:
    """A shown figure is a number; a hidden one only the public page's text for it, never its value."""
    from kurukan.analysis.disclosure import Status

    return figure.value if figure.status == Status.SHOWN else figure.text


def _public_value(figure) -> int | str:
    return _public_cell(figure)


# --- the whole -------------------------------------------------------------------------------------------------

TITLES = {
    Kind.PERIODIC: lambda: _("Rapport périodique sur la situation des droits humains au Mali"),
    Kind.CHILDREN: lambda: _("Enfants et conflits armés : les six violations graves"),
    Kind.BULLETIN: lambda: _("Bulletin public : victimes de violations des droits humains au Mali"),
}
BUILDERS = {Kind.PERIODIC: _periodic, Kind.CHILDREN: _children, Kind.BULLETIN: _bulletin}


def build(params: Parameters, scope: Scope, user=None, today: dt.date | None = None) -> Content:
    """The report's content, in the active language. A bulletin reads the public's figures whatever the scope."""
    builder = _Builder(params, Scope.public() if params.kind == Kind.BULLETIN else scope, user)
    sections = BUILDERS[Kind(params.kind)](builder)
    shown = [
        (_("Période"), _period(params)),
        (_("Niveau de vérification"), str(labels.level_title(params.level))),
    ]
    regions = regions_of(params)
    if regions:
        shown.append((_("Régions") if len(regions) > 1 else _("Région"), _names(u.name for u in regions)))
    if params.organisations:
        label = _("Organisations") if len(params.organisations) > 1 else _("Organisation")
        shown.append((label, _names(params.organisations)))
    return Content(
        kind=params.kind,
        title=str(TITLES[Kind(params.kind)]()),
        period=_period(params),
        generated=day(today or timezone.localdate()),
        where=where(params),
        parameters=shown,
        sections=sections,
        figures=builder.figures,
    )


def figures_only(params: Parameters, scope: Scope, user=None) -> dict[str, int | str]:
    """The figures a report printed, counted again now: "regenerate" and "changed since" compare these."""
    return build(params, scope, user).figures
