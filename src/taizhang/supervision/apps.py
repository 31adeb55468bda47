from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "taizhang.supervision"
    verbose_name = "督查督办"

    def ready(self) -> None:
        # A task's colour is refreshed when its facts change (signals on the ledger's models).
        # A notice issued, escalated or returned tells the unit's reporters (message centre).
        from taizhang.supervision import (
            notice_messages,  # noqa: F401
            signals,  # noqa: F401
        )
