from django.urls import path

from . import views
from .rows import Level

app_name = "exports"
urlpatterns = [
    path("incidents/", views.download, {"level": Level.INCIDENTS}, name="incidents"),
    path("violations/", views.download, {"level": Level.VIOLATIONS}, name="violations"),
    path("victims/", views.download, {"level": Level.VICTIMS}, name="victims"),
]
