from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "desist.core"
    label = "core"
    verbose_name = "Core"
