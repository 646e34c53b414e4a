from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from kurukan.places.views import place_search

urlpatterns = [
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url="/static/kurukan/favicon.svg", permanent=True)),
    ),
    path("", RedirectView.as_view(pattern_name="incidents:list", permanent=False)),
    path("accounts/", include("kurukan.accounts.urls")),
    path("incidents/", include("kurukan.incidents.urls")),
    path("places/search/", place_search, name="place_search"),
    path("evidence/", include("kurukan.evidence.urls")),
    path("audit/", include("kurukan.audit.urls")),
    path("duplicates/", include("kurukan.duplicates.urls")),
    path("estimates/", include("kurukan.estimates.urls")),
    path("exports/", include("kurukan.exports.urls")),
    path("fieldforms/", include("kurukan.fieldforms.urls")),
    path("schools/", include("kurukan.schools.urls")),
    path("statistics/", include("kurukan.statistics.urls")),
    path("imports/", include("kurukan.imports.urls")),
    path("public/", include("kurukan.public.urls")),
    path("alerts/", include("kurukan.alerts.urls")),
    path("recommendations/", include("kurukan.recommendations.urls")),
    path("reparations/", include("kurukan.reparations.urls")),
    path("justice/", include("kurukan.justice.urls")),
    path("api/", include("kurukan.api.urls")),
    path("reports/", include("kurukan.reports.urls")),
    path("people/", include("kurukan.people.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler404 = "kurukan.api.errors.not_found_outside_routes"
