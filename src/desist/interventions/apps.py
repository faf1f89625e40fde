from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "desist.interventions"
    label = "interventions"
    verbose_name = "Interventions"
