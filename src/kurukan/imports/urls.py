from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template.<str:extension>", views.template_file, name="template"),
    path("<int:job_id>/", views.detail, name="detail"),
    path("<int:job_id>/progress/", views.progress, name="progress"),
    path("<int:job_id>/resume/", views.resume, name="resume"),
    path("<int:job_id>/rejected.csv", views.rejected, name="rejected"),
    path("<int:job_id>/quarantine/<int:row_id>/", views.correct, name="correct"),
]
urlpatterns += [  # form servers (branch intake)
    path("connections/", views.connections, name="connections"),
    path("connections/<int:connection_id>/", views.connection, name="connection"),
    path("connections/<int:connection_id>/test/", views.connection_test, name="connection_test"),
    path("connections/<int:connection_id>/pull/", views.connection_pull, name="connection_pull"),
]
urlpatterns += [  # column mappings saved per form (branch intake)
    path("mapping/", views.mapping, name="mapping"),
    path("mapping/<int:mapping_id>/forget/", views.mapping_forget, name="mapping_forget"),
]
