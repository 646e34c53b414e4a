from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

from . import twofactor  # noqa: E402

urlpatterns += [
    path("2fa/setup/", twofactor.setup, name="2fa_setup"),
    path("2fa/verify/", twofactor.verify, name="2fa_verify"),
]

from . import quick_exit  # noqa: E402

urlpatterns += [  # branch protection: "Quitter maintenant / Leave now"
    path("leave/", quick_exit.quick_exit, name="quick_exit"),
    path("blank/", quick_exit.neutral, name="neutral"),
]
