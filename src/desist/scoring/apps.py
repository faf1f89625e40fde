from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "desist.scoring"
    label = "scoring"
    verbose_name = "Scores"
