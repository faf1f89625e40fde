from django.urls import URLPattern, URLResolver

app_name = "disposals"
urlpatterns: list[URLPattern | URLResolver] = []
