"""Supervision's pages (namespace ``supervision``), under /supervision/."""

from django.urls import URLPattern, URLResolver, path

from taizhang.supervision import notice_views, views

app_name = "supervision"

urlpatterns: list[URLPattern | URLResolver] = [
    path("colours/", views.overview, name="overview"),
    path("plans/<int:plan_id>/colour-rules/", views.colour_rules, name="colour_rules"),
    # 督办通知
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/suggested/", notice_views.notice_suggestions, name="notice_suggestions"),
    path("notices/new/", notice_views.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/reply/", notice_views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/decide/", notice_views.notice_decide, name="notice_decide"),
    path("notices/<int:pk>/print/", notice_views.notice_print, name="notice_print"),
    path("files/notice/<int:pk>/", notice_views.notice_file, name="notice_file"),
    # 批示件
    path("instructions/", notice_views.instruction_list, name="instruction_list"),
    path("instructions/<int:pk>/answer/", notice_views.instruction_answer, name="instruction_answer"),
    path("tasks/<int:pk>/instructions/new/", notice_views.instruction_new, name="instruction_new"),
    path("comments/<int:pk>/follow-up/", notice_views.comment_follow_up, name="comment_follow_up"),
]
