from django.urls import path

from . import views

app_name = "duplicates"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("runs/", views.run_start, name="run_start"),
    path("runs/status/", views.run_status, name="run_status"),
    path("pairs/<int:pair_id>/<str:decision>/", views.decide, name="decide"),
    path("merges/<int:merge_id>/undo/", views.undo, name="undo"),
]
