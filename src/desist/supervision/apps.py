from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "desist.supervision"
    label = "supervision"
    verbose_name = "Licence and order supervision"
