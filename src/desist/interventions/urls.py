from django.urls import URLPattern, URLResolver

app_name = "interventions"
urlpatterns: list[URLPattern | URLResolver] = []
