from django.apps import AppConfig


class DisposalsConfig(AppConfig):
    name = "desist.disposals"
    label = "disposals"
    verbose_name = "Out of court disposals"
