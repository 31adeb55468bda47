from django.apps import AppConfig


class WritingConfig(AppConfig):
    name = "taizhang.writing"
    verbose_name = "公文写作"
