from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.school_create, name="create"),
    path("public/", views.public, name="public"),
    path("public/closed.csv", views.public_download, {"fmt": "csv"}, name="public_csv"),
    path("public/closed.xlsx", views.public_download, {"fmt": "xlsx"}, name="public_xlsx"),
    path("<str:code>/", views.school_detail, name="detail"),
    path("<str:code>/status/", views.status_add, name="status_add"),
]
