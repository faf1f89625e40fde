from django.urls import URLPattern, URLResolver

app_name = "partnership"
urlpatterns: list[URLPattern | URLResolver] = []
