"""League tables (namespace ``rankings``), under /rankings/."""

from django.urls import URLPattern, URLResolver, path

from taizhang.rankings import views

app_name = "rankings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/", views.table, name="table"),
    path("plans/<int:plan_id>/publish/", views.publish, name="publish"),
    path("plans/<int:plan_id>/scheme/", views.scheme, name="scheme"),
]
