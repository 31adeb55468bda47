"""The ledger's screens (namespace ``ledger``)."""

from django.urls import path

from taizhang.ledger import downloads, views

app_name = "ledger"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("tasks/<int:pk>/report/<str:period>/", views.report_submit, name="report_submit"),
    path("tasks/<int:pk>/co-report/<str:period>/", views.co_report_submit, name="co_report_submit"),
    path("tasks/<int:pk>/requests/new/", views.change_request_new, name="change_request_new"),
    path("requests/<int:pk>/decide/", views.change_request_decide, name="change_request_decide"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("files/attachment/<int:pk>/", downloads.attachment_download, name="attachment_download"),
    path("files/source/<int:pk>/", downloads.source_download, name="source_download"),
]
