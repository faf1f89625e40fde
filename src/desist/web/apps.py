from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "desist.web"
    label = "web"
    verbose_name = "Web application"
