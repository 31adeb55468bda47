from django.urls import path

from taizhang.core import health

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", health.favicon, name="favicon"),
]
