from django.urls import path

from . import views

app_name = "statistics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.children, name="children"),
    path("compare/", views.comparison, name="compare"),
    path("download/<slug:breakdown_id>.<str:file_format>", views.download, name="download"),
]
