from django.apps import AppConfig


class OffendingConfig(AppConfig):
    name = "desist.offending"
    label = "offending"
    verbose_name = "Offending history"
