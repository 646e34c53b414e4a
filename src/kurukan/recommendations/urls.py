from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_file, name="import"),
    path("similar/", views.similar, name="similar"),
    path("similar/find/", views.similar_find, name="similar_find"),
    path("similar/<int:similar_id>/decide/", views.similar_decide, name="similar_decide"),
    path("export.<str:fmt>", views.export, name="export"),
    path("public/", views.public, name="public"),
    path("public/export.<str:fmt>", views.public_export, name="public_export"),
    path("<int:rec_id>/", views.detail, name="detail"),
    path("<int:rec_id>/measures/", views.measure_add, name="measure_add"),
    path("<int:rec_id>/assessments/", views.assessment_add, name="assessment_add"),
    path("<int:rec_id>/assign/", views.assign, name="assign"),
    path("<int:rec_id>/indicators/", views.indicator_add, name="indicator_add"),
    path(
        "<int:rec_id>/indicators/<int:indicator_id>/values/",
        views.indicator_value_add,
        name="indicator_value_add",
    ),
    path("<int:rec_id>/files/<int:file_id>/", views.file_download, name="file_download"),
    path("<int:rec_id>/classify/", views.classify, name="classify"),  # registers branch
]
