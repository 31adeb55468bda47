from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "taizhang.front"
    verbose_name = "首页"
