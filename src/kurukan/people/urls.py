from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<str:person_id>/", views.person_detail, name="detail"),
    path("<str:person_id>/consent/", views.consent_record, name="consent"),
]
