from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "taizhang.archive"
    verbose_name = "档案"

    def ready(self) -> None:
        # The index follows the ledger (tasks, progress reports) and a plan's imported document is
        # archived when the plan is created: the receivers live here, so the ledger imports nothing
        # of the archive.
        from taizhang.archive import signals  # noqa: F401
