from django.urls import path

from . import register_views, views
from .registers import RegisterLevel
from .rows import Level

app_name = "exports"
urlpatterns = [
    path("incidents/", views.download, {"level": Level.INCIDENTS}, name="incidents"),
    path("violations/", views.download, {"level": Level.VIOLATIONS}, name="violations"),
    path("victims/", views.download, {"level": Level.VICTIMS}, name="victims"),
    path("cases/", register_views.download, {"level": RegisterLevel.CASES}, name="cases"),
    path(
        "interventions/",
        register_views.download,
        {"level": RegisterLevel.INTERVENTIONS},
        name="interventions",
    ),
    path("claims/", register_views.download, {"level": RegisterLevel.CLAIMS}, name="claims"),
]
