from django.urls import path

from . import shared, views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("shared/", shared.index, name="shared"),
    path("shared/share/", shared.share, name="share_counts"),
    path("shared/revoke/", shared.revoke, name="revoke_counts"),
    path("shared/public-setting/", shared.public_setting, name="public_setting"),
]
