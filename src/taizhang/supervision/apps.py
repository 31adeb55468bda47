from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "taizhang.supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        # A task's colour is refreshed when its facts change (signals on the ledger's models).
        from taizhang.supervision import signals  # noqa: F401
