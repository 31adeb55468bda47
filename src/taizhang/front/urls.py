"""The role home pages (namespace ``front``)."""

from django.urls import path

from taizhang.front import views

app_name = "front"

urlpatterns = [
    path("", views.home, name="home"),
    path("lagging/", views.lagging, name="lagging"),
    path("cockpit/", views.cockpit, name="cockpit"),
]
