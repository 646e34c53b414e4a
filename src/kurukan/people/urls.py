from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("records/<str:public_id>/need-to-know/", views.need_to_know, name="need_to_know"),
    path("<str:person_id>/", views.person_detail, name="detail"),
    path("<str:person_id>/consent/", views.consent_record, name="consent"),
    path("<str:person_id>/erase/", views.erase, name="erase"),
]
