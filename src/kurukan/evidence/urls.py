from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("<str:public_id>/", views.evidence_list, name="list"),
    path("<str:public_id>/upload/", views.evidence_upload, name="upload"),
    path("<str:public_id>/<int:item_id>/download/", views.evidence_download, name="download"),
    path("<str:public_id>/<int:item_id>/view/", views.evidence_view, name="view"),
    path("<str:public_id>/<int:item_id>/verify/", views.evidence_verify, name="verify"),
    path("<str:public_id>/<int:item_id>/custody/", views.evidence_custody, name="custody"),
]
