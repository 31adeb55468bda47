from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "taizhang.notify"
    verbose_name = "消息提醒"
