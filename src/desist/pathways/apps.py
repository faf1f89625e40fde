from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "desist.pathways"
    label = "pathways"
    verbose_name = "Pathway needs"
