from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "desist.cohorts"
    label = "cohorts"
    verbose_name = "Cohorts and schemes"

    def ready(self) -> None:
        from desist.cohorts import rag

        rag.connect()
