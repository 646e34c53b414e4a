from django.urls import path

from . import views

app_name = "estimates"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/", views.runs, name="runs"),
    path("public/", views.public, name="public"),
    path("<int:run_id>/", views.detail, name="detail"),
    path("<int:run_id>/progress/", views.progress, name="progress"),
    path("<int:run_id>/publish/", views.publish, name="publish"),
    path("<int:run_id>/withdraw/", views.withdraw, name="withdraw"),
]
