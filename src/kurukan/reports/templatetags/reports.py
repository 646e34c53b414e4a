"""Two small filters for the report templates: a dict look-up and the map legend's rows."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str) -> str:
    return mapping.get(key, "")


@register.filter
def legend_y(index: int) -> int:
    return 8 + 16 * int(index)
