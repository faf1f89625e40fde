from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "desist.reference"
    label = "reference"
    verbose_name = "Reference lists"
