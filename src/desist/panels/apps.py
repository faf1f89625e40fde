from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "desist.panels"
    verbose_name = "Panels and actions"
