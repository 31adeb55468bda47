"""Generated documents (namespace ``writing``), under /writing/."""

from django.urls import URLPattern, URLResolver, path

from taizhang.writing import views

app_name = "writing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/<int:plan_id>/bulletin/", views.bulletin_page, name="bulletin"),
    path("plans/<int:plan_id>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
]
