from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "desist.administration"
    label = "administration"
    verbose_name = "Administration"
