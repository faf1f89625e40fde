from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "desist.selection"
    label = "selection"
    verbose_name = "Cohort selection"
