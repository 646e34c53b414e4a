from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("similar/", views.incident_similar, name="similar"),
    path("<str:public_id>/", views.incident_detail, name="detail"),
    path("<str:public_id>/edit/", views.incident_edit, name="edit"),
    path("<str:public_id>/submit/", views.incident_submit, name="submit"),
    path("<str:public_id>/close/", views.incident_close, name="close"),
    path("<str:public_id>/reopen/", views.incident_reopen, name="reopen"),
    path("<str:public_id>/follow-up/", views.follow_up_add, name="follow_up"),
    path("<str:public_id>/history/", views.incident_history, name="history"),
    path("<str:public_id>/violations/", views.violation_add, name="violation_add"),
    path(
        "<str:public_id>/violations/<int:violation_id>/remove/",
        views.violation_remove,
        name="violation_remove",
    ),
    path("<str:public_id>/violations/<int:violation_id>/victims/", views.victim_add, name="victim_add"),
    path("<str:public_id>/violations/<int:violation_id>/groups/", views.group_add, name="group_add"),
    path(
        "<str:public_id>/violations/<int:violation_id>/perpetrators/",
        views.perpetrator_add,
        name="perpetrator_add",
    ),
    path("<str:public_id>/violations/<int:violation_id>/verify/", views.violation_verify, name="verify"),
    path("<str:public_id>/sources/", views.source_add, name="source_add"),
    path("<str:public_id>/shares/", views.share_add, name="share_add"),
    path("<str:public_id>/shares/<int:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("<str:public_id>/<str:kind>/<int:part_id>/remove/", views.part_remove, name="part_remove"),
]
