from django.apps import AppConfig


class ReconcileConfig(AppConfig):
    name = "taizhang.reconcile"
    verbose_name = "对账"
