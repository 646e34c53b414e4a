from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("<str:public_id>/", views.person_detail, name="detail"),
    path("<str:public_id>/consent/", views.consent_record, name="consent"),
]
