"""API errors as JSON in the user's language: 401, 403, 404, 422 with field names, and never a stack trace.

Every error body has a `detail` sentence; a 422 adds `errors`, a list of `{"field", "message"}` where the
field is the path in the request (`start_date`, `victims.0.age_at_time`, `limit`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("kurukan.api")

# Where ninja puts a parameter (first item of `loc`) and the names our operations give their parameters.
PARAM_SOURCES = {"body", "query", "path", "form", "header", "cookie", "file"}
PARAM_NAMES = {"payload", "filters"}


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] | None = None


def responses(*codes: int) -> dict[int, type[Schema]]:
    """The error answers the OpenAPI schema documents beside an operation's success.

    Every operation may answer 400: a body that is not JSON, a multipart body without its boundary, a
    query string that is not UTF-8 — whatever cannot be read at all."""
    return dict.fromkeys((400, *codes), ErrorOut)


class InvalidInput(Exception):
    """Input that reads as JSON but breaks a rule: answered 422 with every error and its field."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} invalid field(s)")  # field names only: values may be names of people


class Conflict(Exception):
    """A valid request that the record's state does not allow now (409)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def field_error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": str(message)}


def form_errors(
    form: BaseForm, prefix: str = "", rename: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """A Django form's messages (already in the request's language) under the API's field names."""
    rename = rename or {}
    errors: list[dict[str, str]] = []
    for name, messages in form.errors.items():
        field = rename.get(name, name) if name != "__all__" else ""
        path = ".".join(part for part in (prefix, field) if part) or "body"
        errors.extend(field_error(path, str(message)) for message in messages)
    return errors


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Saisissez une date valide au format AAAA-MM-JJ (par ex. 2023-04-04).")
    if kind.startswith("int"):
        return _("Saisissez un nombre entier.")
    if kind.startswith("float") or kind.startswith("decimal"):
        return _("Saisissez un nombre (avec un point décimal : 14.35).")
    if kind.startswith("bool"):
        return _("Saisissez true ou false.")
    if kind == "string_type":
        return _("Saisissez du texte.")
    if kind == "string_too_long":
        return _("Ce texte est trop long : %(max)s caractères au plus.") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Ce texte est trop court : %(min)s caractères au moins.") % {"min": ctx.get("min_length")}
    if kind == "too_long":
        return _("Trop d'éléments : %(max)s au plus par requête.") % {"max": ctx.get("max_length")}
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return _("La valeur doit être au moins %(limit)s.") % {"limit": limit}
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return _("La valeur doit être au plus %(limit)s.") % {"limit": limit}
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return _("Valeur inconnue : choisissez parmi %(expected)s.") % {"expected": expected}
    if kind == "list_type":
        return _("Une liste est attendue.")
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        return _("Un objet JSON est attendu.")
    if kind == "json_invalid":
        return _("Le corps de la requête n'est pas du JSON valide.")
    if kind == "extra_forbidden":
        return _("Champ inconnu : retirez-le ou corrigez son nom (voir /api/docs).")
    return _("Valeur invalide.")


def _field_path(loc: list | tuple) -> str:
    parts = list(loc)
    if parts and parts[0] in PARAM_SOURCES:
        parts = parts[1:]
    if parts and parts[0] in PARAM_NAMES:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def validation_errors(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [field_error(_field_path(e.get("loc", ())), _pydantic_message(e)) for e in raw]


def _json(api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def install(api: NinjaAPI) -> None:
    """Replace ninja's English defaults (and its re-raise of unexpected errors) with ours."""

    def invalid_body(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _json(
            api,
            request,
            422,
            _("Requête invalide : corrigez les champs indiqués."),
            errors=validation_errors(exc.errors),
        )

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return _json(
            api, request, 422, _("Requête invalide : corrigez les champs indiqués."), errors=exc.errors
        )

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _json(
            api, request, 401, _("Connectez-vous d'abord : l'API utilise la session de l'application.")
        )

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja's only 400: a body it cannot parse
            return _json(
                api,
                request,
                400,
                _(
                    "Le corps de la requête n'est pas du JSON valide : "
                    "vérifiez sa syntaxe et l'en-tête Content-Type."
                ),
            )
        return _json(api, request, exc.status_code, str(exc))

    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django's own parsers refused the request before any operation ran: say which way, never quote it.
        if isinstance(exc, RequestDataTooBig):
            detail = _("Requête trop volumineuse : envoyez moins de données à la fois.")
        elif isinstance(exc, MultiPartParserError):
            detail = _(
                "Corps multipart illisible (frontière absente ou invalide) : l'API attend du JSON "
                "avec l'en-tête Content-Type: application/json."
            )
        elif isinstance(exc, UnicodeDecodeError):
            detail = _("La requête n'est pas encodée en UTF-8.")
        else:
            detail = _("Requête illisible : trop de champs, ou un en-tête ou un paramètre invalide.")
        return _json(api, request, 400, detail)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, 404, _("Introuvable : cet élément n'existe pas ou n'est pas accessible."))

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _json(api, request, 403, _("Votre rôle ne permet pas cette action sur cet élément."))

    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return _json(api, request, 409, exc.message)

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The exception's message can quote submitted values (names of victims): log its type and frames only.
        logger.error(
            "API error %s on %s %s\n%s",
            type(exc).__name__,
            request.method,
            request.path,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        return _json(
            api, request, 500, _("Erreur interne : l'équipe technique en a été avertie. Réessayez plus tard.")
        )

    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        ValidationError: invalid_body,
        InvalidInput: invalid_input,
        AuthenticationError: unauthenticated,
        HttpError: http_error,
        MultiPartParserError: unreadable,
        BadRequest: unreadable,
        SuspiciousOperation: unreadable,
        UnicodeDecodeError: unreadable,
        Http404: not_found,
        PermissionDenied: forbidden,
        Conflict: conflict,
        Exception: unexpected,
    }
    for exception, handler in handlers.items():
        api.add_exception_handler(exception, handler)


def not_found_outside_routes(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: a path under /api/ that no route matches (an id that is not a number, say)
    answers in JSON like the API's own 404s; every other path gets the page."""
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        message = _("Introuvable : cet élément n'existe pas ou n'est pas accessible.")
        return JsonResponse({"detail": str(message)}, status=404, json_dumps_params={"ensure_ascii": False})
    return page_not_found(request, exception)
