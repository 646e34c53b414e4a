"""Two small filters for the report templates: a dict look-up and the map legend's rows."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str) -> str:
    return mapping.get(key, "")


@register.filter
def legend_y(index: int) -> int:
    """The legend's rows, 24 units apart: legible (about 9 pt) once the 640-unit map is printed 13 cm wide."""
    return 8 + 24 * int(index)
