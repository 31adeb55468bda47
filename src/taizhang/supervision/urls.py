"""Supervision's pages (namespace ``supervision``), under /supervision/."""

from django.urls import URLPattern, URLResolver, path

from taizhang.supervision import views

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = [
    path("colours/", views.overview, name="overview"),
    path("plans/<int:plan_id>/colour-rules/", views.colour_rules, name="colour_rules"),
]
