"""URL configuration. Every view except login checks permission at the object level."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("taizhang.front.urls")),
    path("", include("taizhang.core.urls")),
    path("", include("taizhang.ledger.urls")),
    path("", include("taizhang.supervision.problems_urls")),
    path("", include("taizhang.supervision.reminder_urls")),
    path("notify/", include("taizhang.notify.urls")),
    path("", include("taizhang.indicators.urls")),
    path("", include("taizhang.archive.urls")),
    path("import/", include("taizhang.ledger.importing.urls")),
    path("", include("taizhang.reconcile.urls")),
    path("supervision/", include("taizhang.supervision.urls")),
    path("rankings/", include("taizhang.rankings.urls")),
    path("writing/", include("taizhang.writing.urls")),
    path("accounts/", include("taizhang.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("taizhang.api.urls")),
]

handler400 = "taizhang.core.middleware.bad_request"
