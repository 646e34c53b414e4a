"""Field types shared by the API's schemas."""

from __future__ import annotations

from typing import Annotated

from django.utils.functional import Promise
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator

# Labels from TextChoices and presenters can be lazy translations: render them in the request's language.
Text = Annotated[str, BeforeValidator(lambda value: str(value) if isinstance(value, Promise) else value)]

# A list page's query string sends empty fields (`status=&date_from=`): they mean "no filter", as on the page.
Blank = BeforeValidator(lambda value: None if value == "" else value)


class Utf8JSONRenderer(JSONRenderer):
    """JSON with accents as written ("Ségou"), not escaped: the body is UTF-8 anyway."""

    json_dumps_params = {"ensure_ascii": False}
