from django.contrib.auth import views as auth_views
from django.urls import path

from taizhang.accounts import views
from taizhang.accounts.forms import LoginForm
from taizhang.core.context_processors import SITE_NAME

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        # Django's LoginView puts the host's name in ``site_name``; the banner shows the system's.
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            extra_context={"site_name": SITE_NAME},
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("text-size/", views.text_size, name="text_size"),
]
