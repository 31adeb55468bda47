"""催报 (namespace ``reminders``)."""

from django.urls import path

from taizhang.supervision import reminder_views

app_name = "reminders"

urlpatterns = [
    path("tasks/<int:pk>/chase/", reminder_views.chase_task, name="chase_task"),
    path("plans/<int:pk>/chase/", reminder_views.chase_plan, name="chase_plan"),
]
