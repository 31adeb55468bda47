from django.urls import path

from taizhang.ledger.importing import views

app_name = "import"

urlpatterns = [
    path("", views.plan_upload, name="plan"),
    path("xlsx/", views.xlsx_upload, name="xlsx"),
    path("preview/<slug:key>/", views.preview, name="preview"),
    path("preview/<slug:key>/rows/<int:index>/", views.preview_row, name="preview_row"),
    path("preview/<slug:key>/discard/", views.discard, name="discard"),
    path("done/<int:pk>/", views.done, name="done"),
]
