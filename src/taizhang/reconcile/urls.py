"""The 对账 screen (namespace ``reconcile``): from any plan in scope or a plan document, or from a
plan's page."""

from django.urls import path

from taizhang.reconcile import views

app_name = "reconcile"

urlpatterns = [
    path("reconcile/", views.reconcile_page, name="start"),
    path("plans/<int:pk>/reconcile/", views.reconcile_page, name="plan"),
]
