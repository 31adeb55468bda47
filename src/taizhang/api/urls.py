"""Included at /api/ by ``taizhang.urls``; URL names are in the ``api`` namespace (``api:task_list``)."""

from taizhang.api.api import api

app_name = "api"
urlpatterns = api.urls[0]
