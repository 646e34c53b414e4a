"""One NinjaAPI assembled from each app's api.py, mounted at /api/ by kurukan.urls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, path
from ninja import NinjaAPI

from kurukan.exports.api import router as exports_router
from kurukan.imports.api import router as imports_router
from kurukan.incidents.api import router as incidents_router
from kurukan.justice.api import router as justice_router
from kurukan.places.api import router as places_router
from kurukan.public.api import router as public_router
from kurukan.recommendations.api import router as recommendations_router
from kurukan.reparations.api import router as reparations_router
from kurukan.reports.api import router as reports_router
from kurukan.schools.api import router as schools_router
from kurukan.statistics.api import router as statistics_router
from kurukan.vocabularies.api import router as vocabularies_router

from . import errors
from .auth import login_required_json, session_auth
from .types import Utf8JSONRenderer

api = NinjaAPI(
    title="Kurukan API",
    version="1",
    description=(
        "Incidents, violations et atteintes, vocabulaires et lieux, "
        "avec les mêmes droits d'accès que les pages. "
        "Authentification par la session de l'application ; les écritures demandent l'en-tête X-CSRFToken. "
        "Les messages suivent la langue choisie dans l'application (français par défaut)."
    ),
    urls_namespace="api",
    auth=session_auth,
    renderer=Utf8JSONRenderer(),
)
errors.install(api)
api.add_router("/incidents", incidents_router)
api.add_router("/vocabularies", vocabularies_router)
api.add_router("/places", places_router)
api.add_router("/exports", exports_router)
api.add_router("/schools", schools_router)
api.add_router("/statistics", statistics_router)
api.add_router("/imports", imports_router)
api.add_router("/public", public_router)
api.add_router("/recommendations", recommendations_router)
api.add_router("/reports", reports_router)
api.add_router("/reparations", reparations_router)
api.add_router("/justice", justice_router)


def _patterns() -> list:
    """Operations answer an anonymous call with a 401 themselves, so LoginRequiredMiddleware must let them
    through; the schema does the same. The docs page is for people: it keeps the redirect to login.

    Every operation also answers with a trailing slash (`/api/incidents/`), which clients add by habit:
    the same view under the same name, listed first so that `reverse` keeps giving the documented path."""
    patterns, _app_name, _namespace = api.urls
    twins = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern) or pattern.callback is None:
            continue
        if pattern.name == "openapi-json":
            pattern.callback = login_required_json(pattern.callback)
        elif pattern.name != "openapi-view":
            login_not_required(pattern.callback)
        route = str(pattern.pattern)
        if route and not route.endswith("/") and pattern.name not in {"openapi-json", "openapi-view"}:
            twins.append(path(route + "/", pattern.callback, name=pattern.name))
    return twins + patterns


app_name = "api"
urlpatterns = _patterns()
