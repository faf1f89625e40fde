from django.urls import URLPattern, URLResolver

app_name = "restorative"
urlpatterns: list[URLPattern | URLResolver] = []
