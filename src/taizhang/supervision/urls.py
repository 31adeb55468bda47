<<<<<<< HEAD
"""Supervision's pages (namespace ``supervision``), under /supervision/."""

from django.urls import URLPattern, URLResolver, path
=======
"""The supervision screens (namespace ``supervision``)."""

from django.urls import path
>>>>>>> b1dbf4e (Supervision screens: notice list, 建议发单, issue from the task page, reply/decide, print; 批示件 issue and answer; homes and the task page show what is owed)

from taizhang.supervision import notice_views, views

app_name = "supervision"

<<<<<<< HEAD
urlpatterns: list[URLPattern | URLResolver] = [
    path("colours/", views.overview, name="overview"),
    path("plans/<int:plan_id>/colour-rules/", views.colour_rules, name="colour_rules"),
=======
urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/suggested/", views.notice_suggestions, name="notice_suggestions"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/decide/", views.notice_decide, name="notice_decide"),
    path("notices/<int:pk>/print/", views.notice_print, name="notice_print"),
    path("files/notice/<int:pk>/", views.notice_file, name="notice_file"),
    path("instructions/", views.instruction_list, name="instruction_list"),
    path("instructions/<int:pk>/answer/", views.instruction_answer, name="instruction_answer"),
    path("tasks/<int:pk>/instructions/new/", views.instruction_new, name="instruction_new"),
    path("comments/<int:pk>/follow-up/", views.comment_follow_up, name="comment_follow_up"),
>>>>>>> b1dbf4e (Supervision screens: notice list, 建议发单, issue from the task page, reply/decide, print; 批示件 issue and answer; homes and the task page show what is owed)
]
