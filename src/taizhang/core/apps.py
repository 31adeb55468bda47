from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate

# Django names permissions "Can add access attempt" in the database, in English whatever the language.
PERMISSION_ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def chinese_permission_names(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Name each built-in permission of ``sender``'s models in Chinese: 可添加登录尝试."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    if not apps.is_installed("django.contrib.auth") or sender.models_module is None:
        return
    # auth's own post_migrate receiver may run after this one: make sure the rows exist first.
    create_permissions(sender, verbosity=0, using=using)
    with translation.override("zh-hans"):
        for model in sender.get_models():
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            label = str(model._meta.verbose_name)
            for action, word in PERMISSION_ACTIONS.items():
                Permission.objects.using(using).filter(
                    content_type=content_type, codename=f"{action}_{model._meta.model_name}"
                ).exclude(name=f"可{word}{label}"[:255]).update(name=f"可{word}{label}"[:255])


class CoreConfig(AppConfig):
    name = "taizhang.core"
    verbose_name = "基础"

    def ready(self) -> None:
        post_migrate.connect(chinese_permission_names, dispatch_uid="taizhang.chinese_permission_names")
