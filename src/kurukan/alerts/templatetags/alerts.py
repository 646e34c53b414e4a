"""`{% alerts_panel %}`: the latest alerts with their evidence, on the dashboard, for those who read them."""

from django import template

from kurukan.alerts.models import Alert

register = template.Library()
LATEST = 10


@register.inclusion_tag("alerts/_panel.html", takes_context=True)
def alerts_panel(context) -> dict:
    user = context["request"].user
    alerts = list(Alert.objects.for_user(user).select_related("area__parent", "organisation")[:LATEST])
    return {"alerts": alerts, "user": user, "show": bool(alerts)}
