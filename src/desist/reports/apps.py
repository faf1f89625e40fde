from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "desist.reports"
    label = "reports"
    verbose_name = "Scrutiny reports"
