from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "taizhang.indicators"
    verbose_name = "指标"
