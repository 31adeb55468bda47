"""The archive's screens (namespace ``archive``)."""

from django.urls import path

from taizhang.archive import views

app_name = "archive"

urlpatterns = [
    path("archive/", views.search_page, name="search"),
    path("archive/documents/", views.document_list, name="documents"),
    path("archive/documents/<int:pk>/", views.document_detail, name="document"),
    path("archive/documents/<int:pk>/file/", views.document_file, name="file"),
    path("archive/upload/", views.upload, name="upload"),
    path("archive/across/", views.across_units, name="across"),
]
