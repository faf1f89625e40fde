from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "desist.ingest"
    label = "ingest"
    verbose_name = "Imports"
