"""The problem ledger's screens (namespace ``problems``)."""

from django.urls import path

from taizhang.supervision import problems_views as views

app_name = "problems"

urlpatterns = [
    path("problems/", views.problem_list, name="list"),
    path("problems/export.xlsx", views.problem_export, name="export"),
    path("problems/<int:pk>/", views.problem_detail, name="detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="edit"),
    path("problems/<int:pk>/rectify/", views.problem_rectify, name="rectify"),
    path("problems/<int:pk>/verify/", views.problem_verify, name="verify"),
    path("problems/<int:pk>/reopen/", views.problem_reopen, name="reopen"),
    path("problems/import/<slug:key>/", views.problem_import_preview, name="import_preview"),
    path("problem-files/<int:pk>/", views.problem_file, name="file"),
    path("plans/<int:pk>/problems/new/", views.problem_new, name="new"),
    path("plans/<int:pk>/problems/import/", views.problem_import, name="import"),
]
