from django.apps import AppConfig


class RankingsConfig(AppConfig):
    name = "taizhang.rankings"
    verbose_name = "排名晾晒"
