"""`{% dashboard_map %}`: victims by region over what the reader may see, each region a link to the list."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kurukan.places.models import AdminUnit, Level
from kurukan.statistics import maps
from kurukan.statistics.counting import CountingError, Scope, table

register = template.Library()


@register.inclusion_tag("statistics/_map.html", takes_context=True)
def dashboard_map(context) -> dict:
    request, form = context["request"], context["form"]
    try:
        filters = form.filters()
    except (CountingError, AttributeError, KeyError):
        return {"map": None}
    counted = table("victims", by=["region"], filters=filters, scope=Scope.for_user(request.user))
    values = {row["region"]: row["value"] for row in counted.rows if row["region"]}
    units = dict(AdminUnit.objects.current().regions().values_list("pcode", "pk"))
    base = {k: v for k, v in request.GET.items() if k in {"date_from", "date_to", "violation_type"}}

    def url_for(pcode: str) -> str:
        return reverse("incidents:list") + "?" + urlencode({**base, "place": f"unit:{units.get(pcode, '')}"})

    figures = {pcode: maps.Figure(value, str(value)) for pcode, value in values.items()}
    the_map = maps.choropleth(Level.REGION, figures, measure_label=_("victimes"), url_for=url_for)
    return {"map": the_map, "caption": _("Victimes par région (cliquer pour la liste)")}
