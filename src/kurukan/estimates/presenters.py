"""Prepared data for estimate pages: numbers in the page's language (Babel), the chart's geometry, the
public view with small cells suppressed. Templates only lay these out."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kurukan.accounts.models import Organisation
from kurukan.analysis.disclosure import Publication, Status, protect
from kurukan.statistics.charts import Bar as ChartRow
from kurukan.statistics.charts import bar_chart, number
from kurukan.vocabularies.models import Term

from . import messages
from .captures import LISTS_BY_SOURCE_KIND, Strata
from .forms import Matching
from .models import EstimateRun

DASH = "—"


def _locale() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"({number(low)}–{number(high)})"


def estimate_text(item: dict) -> str:
    """ "1 184 (717–1 657)": the estimate and its interval, as one string."""
    if item.get("estimate") is None:
        return DASH
    return " ".join(
        part for part in (number(item["estimate"]), interval(item.get("ci_low"), item.get("ci_high"))) if part
    )


def level_text(level: float | None) -> str:
    return format_percent(level or 0.95, locale=_locale())


def stratum_label(item: dict) -> str:
    if item["key"] == "all":
        return _("Ensemble")
    region = item.get("region_name") or (_("Région inconnue") if item["key"].startswith("?") else "")
    parts = [p for p in (region, str(item["year"]) if item.get("year") else "") if p]
    return " · ".join(parts)


# --- parameters, said in words ------------------------------------------------------------------------------


def _day(value: str | None) -> str:
    return format_date(dt.date.fromisoformat(value), "long", locale=_locale()) if value else ""


def period_text(parameters: dict) -> str:
    start, end = _day(parameters.get("date_from")), _day(parameters.get("date_to"))
    if start and end:
        return _("du %(start)s au %(end)s") % {"start": start, "end": end}
    if start:
        return _("depuis le %(start)s") % {"start": start}
    if end:
        return _("jusqu'au %(end)s") % {"end": end}
    return _("toutes dates")


def strata_text(strata: str) -> str:
    return {
        Strata.NONE: _("sans strate"),
        Strata.REGION: _("par région"),
        Strata.YEAR: _("par année"),
        Strata.REGION_YEAR: _("par région et par année"),
    }.get(strata, strata)


def verification_text(parameters: dict) -> str:
    if parameters.get("verification") == "verified":
        return _("victimes de violations vérifiées seulement")
    return _(
        "victimes documentées : toutes les violations enregistrées, sauf celles dont la vérification a conclu "
        "que les faits n'ont pas eu lieu (brouillons exclus)"
    )


def matching_text(parameters: dict) -> str:
    if parameters.get("matching") == Matching.PAIRS:
        return _(
            "fusions confirmées, et paires non examinées de la dernière recherche de doublons dont la "
            "probabilité est d'au moins %(p)s"
        ) % {"p": format_decimal(parameters.get("min_probability") or 0, locale=_locale())}
    return _("fusions confirmées par un examinateur seulement")


def method_text(parameters: dict) -> str:
    if parameters.get("method") == "lcmcr":
        return _("LCMCR : modèle bayésien à classes latentes (Manrique-Vallier 2016)")
    criterion = {"stepwise": _("pas à pas"), "bic": "BIC", "aic": "AIC"}.get(
        parameters.get("criterion") or "", ""
    )
    return _("modèle log-linéaire choisi par %(criterion)s (Chan, Silverman et Vincent 2021)") % {
        "criterion": criterion
    }


def list_labels(codes: list[str], parameters: dict | None = None) -> dict[str, str]:
    """Each list's label: an organisation's name, or a kind of source's label when lists are kinds."""
    if parameters and parameters.get("lists_by") == LISTS_BY_SOURCE_KIND:
        kinds = Term.objects.filter(vocabulary="source_kind", code__in=codes)
        found = {t.code: _("Sources : %(kind)s") % {"kind": t.label} for t in kinds}
        return {code: found.get(code, code) for code in codes}
    found = {o.code: str(o) for o in Organisation.objects.filter(code__in=codes)}
    return {code: found.get(code, code) for code in codes}


def type_label(parameters: dict) -> str:
    term = Term.objects.filter(pk=parameters.get("violation_type_id") or 0).first()
    return term.label if term else parameters.get("violation_type", "")


def summary(run: EstimateRun) -> dict:
    parameters = run.parameters
    lists = list_labels(parameters.get("source_kinds") or parameters.get("organisations", []), parameters)
    return {
        "type": type_label(parameters),
        "period": period_text(parameters),
        "strata": strata_text(parameters.get("strata", Strata.NONE)),
        "lists": list(lists.values()),
        "verification": verification_text(parameters),
        "matching": matching_text(parameters),
        "method": method_text(parameters),
        "method_code": parameters.get("method"),
        "seed": parameters.get("seed"),
    }


# --- the analyst's result ----------------------------------------------------------------------------------


def _pattern(row: dict, lists: list[str], labels: dict[str, str]) -> str:
    return " + ".join(labels[name] for name in lists if row.get(name))


def result_rows(run: EstimateRun) -> dict:
    result = run.result or {}
    lists = result.get("lists", [])
    labels = list_labels(lists, run.parameters)
    strata = []
    for item in result.get("strata", []):
        strata.append(
            {
                "label": stratum_label(item),
                "documented": number(item["observed"]),
                "estimate": estimate_text(item),
                "estimated": item.get("estimate") is not None,
                "level": level_text(item.get("ci_level")),
                "model": item.get("model", ""),
                "overlap": number(item.get("overlap")),
                "low_overlap": item.get("low_overlap"),
                "groups": number(item.get("group_victims_excluded", 0)),
                "reason": messages.reason(item.get("reason_code", ""), item["not_estimable"])
                if item.get("not_estimable")
                else "",
                "warnings": [messages.translate(w) for w in item.get("warnings", [])],
                "on_each_list": [(labels[n], number(item["on_each_list"].get(n, 0))) for n in lists],
                "patterns": [
                    (_pattern(row, lists, labels), number(row["count"])) for row in item.get("table", [])
                ],
            }
        )
    total = result.get("total") or {}
    excluded = [
        stratum_label(s) for s in result.get("strata", []) if s["key"] in total.get("excluded_strata", [])
    ]
    return {
        "strata": strata,
        "stratified": run.parameters.get("strata", Strata.NONE) != Strata.NONE,
        "total": {
            "documented": number(total.get("documented")),
            "observed": number(total.get("observed")),
            "estimate": estimate_text(total),
            "estimated": total.get("estimate") is not None,
            "level": level_text(total.get("ci_level")),
            "model": total.get("model", ""),
            "warnings": [messages.translate(w) for w in total.get("warnings", [])],
            "excluded": excluded,
        },
        "lists": [labels[n] for n in lists],
        "groups_excluded": result.get("group_victims_excluded", 0),
        "groups_excluded_text": number(result.get("group_victims_excluded", 0)),
        "people": number(result.get("people")),
        "records": number(result.get("victim_records")),
        "pairs_used": number(result.get("pairs_used")),
        "merged_records": result.get("merged_incident_records", 0),
        "merged_records_text": number(result.get("merged_incident_records", 0)),
        "conflicts": result.get("stratum_conflicts", 0),
        "conflicts_text": number(result.get("stratum_conflicts", 0)),
        "low_overlap": any(s.get("low_overlap") for s in result.get("strata", [])),
        "charts": charts(result),
    }


# --- the chart: bars for documented victims, a point with whiskers for the estimate -------------------------


def chart(rows: list[ChartRow], title: str, chart_id: str) -> dict:
    return bar_chart(rows, title, chart_id, unestimated=_("non estimable"))


def _chart_row(item: dict, label: str) -> ChartRow:
    documented = item.get("observed") or 0
    note = _("%(label)s : %(documented)s victimes documentées ; estimation %(estimate)s") % {
        "label": label,
        "documented": number(documented),
        "estimate": estimate_text(item),
    }
    return ChartRow(label, documented, item.get("estimate"), item.get("ci_low"), item.get("ci_high"), note)


def charts(result: dict) -> list[dict]:
    strata = result.get("strata", [])
    out = []
    if len(strata) > 1:
        rows = [_chart_row(item, stratum_label(item)) for item in strata]
        out.append(chart(rows, _("Par strate"), "strata"))
    total = dict(result.get("total") or {})
    if strata:
        total["observed"] = (
            total.get("observed") if total.get("estimate") is not None else total.get("documented")
        )
        out.append(chart([_chart_row(total, _("Total"))], _("Total"), "total"))
    return out


# --- the public page: small cells suppressed ----------------------------------------------------------------


def _protected_strata(strata: list[dict]) -> dict:
    """The public figures' disclosure control (analysis/disclosure.py) on the strata's documented counts
    and their total, at the higher threshold: an estimate magnifies whatever small count it starts from."""
    atoms = {item["key"]: item["observed"] for item in strata}
    pub = Publication(atoms, {}, threshold_of=lambda _key: settings.PUBLIC_THRESHOLD_SENSITIVE)
    pub.breakdown("stratum", {key: key for key in atoms})
    return protect(pub)


def public_entry(run: EstimateRun) -> dict:
    result = run.result or {}
    strata = result.get("strata", [])
    total = result.get("total") or {}
    # The total estimate covers the estimable strata only: compare it with what was documented in them.
    documented = total.get("observed") if total.get("excluded_strata") else total.get("documented")
    minimum = settings.PUBLIC_THRESHOLD_SENSITIVE
    rows, hidden, total_hidden = [], False, False
    if len(strata) > 1:
        shown = _protected_strata(strata)
        # The total is the strata's sum: if protecting a stratum hid it, the page hides it too.
        total_hidden = (
            documented == sum(i["observed"] for i in strata) and shown["total"].status != Status.SHOWN
        )
        for item in strata:
            figure = shown[("stratum", item["key"])]
            secret = figure.status != Status.SHOWN
            hidden = hidden or secret
            rows.append(
                {
                    "label": stratum_label(item),
                    "documented": figure.text if secret else number(item["observed"]),
                    "estimate": DASH if secret else estimate_text(item),
                    "suppressed": secret,
                }
            )
    small_total = (documented or 0) < minimum or total_hidden
    groups = result.get("group_victims_excluded", 0)
    return {
        "summary": summary(run),
        "published_at": format_date(run.published_at, "long", locale=_locale()) if run.published_at else "",
        "rows": rows,
        "total": {
            "documented": f"< {minimum}" if small_total else number(documented),
            "estimate": DASH if small_total else estimate_text(total),
            "level": level_text(total.get("ci_level")),
        },
        "groups_excluded": groups,
        "groups_excluded_text": f"< {minimum}" if 0 < groups < minimum else number(groups),
        "any_suppressed": small_total or hidden,
        "excluded": bool(total.get("excluded_strata")),
    }


def public_parts(run: EstimateRun) -> list[tuple[str, str]]:
    """What the public page of estimates will show of this run, part by part, with where it shows: checked
    for names and numbers before publication (kurukan.people.public_text)."""
    entry = public_entry(run)
    described = _("Page publique des estimations, description")
    strata = _("Page publique des estimations, strates")
    info = entry["summary"]
    parts = [
        (described, str(info[key] or ""))
        for key in ("type", "period", "strata", "verification", "matching", "method")
    ]
    parts += [(described, str(name)) for name in info["lists"]]
    parts += [(strata, str(row["label"])) for row in entry["rows"]]
    return parts
