from django.urls import path

from . import views

app_name = "reparations"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_create, name="create"),
    path("figures/", views.figures, name="figures"),
    path("<str:reference>/", views.claim_detail, name="detail"),
    path("<str:reference>/edit/", views.claim_edit, name="edit"),
    path("<str:reference>/status/", views.claim_status, name="status"),
    path("<str:reference>/payments/", views.claim_payment, name="payment"),
]
