from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/progress/", views.progress, name="progress"),
    path("<int:report_id>/download/", views.download, name="download"),
    path("<int:report_id>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:report_id>/publish/", views.publish, name="publish"),
]
