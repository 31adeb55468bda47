"""The indicator screens (namespace ``indicators``)."""

from django.urls import path

from taizhang.indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.index, name="index"),
    path("indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("plans/<int:pk>/indicators/", views.plan_indicators, name="plan"),
    path("plans/<int:pk>/indicators/new/", views.indicator_new, name="new"),
    path("plans/<int:pk>/indicators/from-source/", views.generate, name="generate"),
    path("plans/<int:pk>/indicators/entry/", views.entry, name="entry"),
    path("plans/<int:pk>/indicators/upload/", views.upload, name="upload"),
    path("plans/<int:pk>/indicators/template.xlsx", views.template_download, name="template"),
]
