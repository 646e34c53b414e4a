from django.urls import path

from . import document_views, views

app_name = "justice"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<str:case_id>/stages/", views.stage_add, name="stage_add"),
    path("cases/<str:case_id>/defendants/", views.defendant_add, name="defendant_add"),
    path("cases/<str:case_id>/civil-parties/", views.civil_party_add, name="civil_party_add"),
    path("cases/<str:case_id>/documents/", document_views.document_add, name="document_add"),
    path(
        "cases/<str:case_id>/documents/<int:document_id>/",
        document_views.document_download,
        name="document_download",
    ),
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/overdue/", views.overdue, name="overdue"),
    path("interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/<str:intervention_id>/", views.intervention_detail, name="intervention_detail"),
    path(
        "interventions/<str:intervention_id>/answer/", views.intervention_answer, name="intervention_answer"
    ),
    path("impunity/", views.impunity, name="impunity"),
]
