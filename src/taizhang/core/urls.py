from django.urls import path

from taizhang.core import views

app_name = "core"

urlpatterns = [
    path("files/attachment/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("files/source/<int:pk>/", views.source_download, name="source_download"),
    path("healthz", views.healthz, name="healthz"),
]
