"""The message centre and the robots' settings (namespace ``notify``)."""

from django.urls import path

from taizhang.notify import views

app_name = "notify"

urlpatterns = [
    path("messages/", views.message_list, name="messages"),
    path("messages/<int:pk>/read/", views.message_read, name="message_read"),
    path("messages/read-all/", views.message_read_all, name="message_read_all"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:pk>/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel_test"),
    path("channels/<int:pk>/delete/", views.channel_delete, name="channel_delete"),
]
