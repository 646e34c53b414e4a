from django.urls import path

from . import views

app_name = "fieldforms"
urlpatterns = [path("xlsform/", views.download, name="xlsform")]
