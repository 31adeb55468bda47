from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "taizhang.accounts"
    verbose_name = "单位与用户"
