from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.school_create, name="create"),
    path("import/", views.school_import, name="import"),
    path("import/schools_template.csv", views.import_template, name="import_template"),
    path("public/", views.public, name="public"),
    path("public/closed.csv", views.public_download, {"fmt": "csv"}, name="public_csv"),
    path("public/closed.xlsx", views.public_download, {"fmt": "xlsx"}, name="public_xlsx"),
    path("<str:code>/", views.school_detail, name="detail"),
    path("<str:code>/status/", views.status_add, name="status_add"),
    path("<str:code>/status/<int:change_id>/", views.status_edit, name="status_edit"),  # registers branch
]
