"""Field types shared by the API's schemas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from django.utils.functional import Promise
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from kurukan.paging import MAX_OFFSET

# Labels from TextChoices and presenters can be lazy translations: render them in the request's language.
Text = Annotated[str, BeforeValidator(lambda value: str(value) if isinstance(value, Promise) else value)]

# A list page's query string sends empty fields (`status=&date_from=`): they mean "no filter", as on the page.
Blank = BeforeValidator(lambda value: None if value == "" else value)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written_as_a_date(value: Any) -> Any:
    """pydantic reads `0` or `1700000000` as seconds since 1970: a date here is written YYYY-MM-DD."""
    if isinstance(value, bool | int | float) or (isinstance(value, str) and not ISO_DATE.fullmatch(value)):
        raise PydanticCustomError("date_format", "a date is written YYYY-MM-DD")
    return value


Date = Annotated[dt.date, BeforeValidator(_written_as_a_date)]

# Where a list page starts, bounded (kurukan.paging; schemathesis sent `offset=33140398769757420340472845434880`).
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class Utf8JSONRenderer(JSONRenderer):
    """JSON with accents as written ("Ségou"), not escaped: the body is UTF-8 anyway."""

    json_dumps_params = {"ensure_ascii": False}


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL: refused as bad input (422), never a 500 half-way through a file."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "NUL characters (\\u0000) are not allowed")
    return value


# Free text read by the API outside a Django form (whose fields already refuse NUL).
PlainText = Annotated[str, AfterValidator(_no_nul)]
