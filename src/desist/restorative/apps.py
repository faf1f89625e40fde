from django.apps import AppConfig


class RestorativeConfig(AppConfig):
    name = "desist.restorative"
    label = "restorative"
    verbose_name = "Restorative justice"
