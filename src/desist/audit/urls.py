from django.urls import path

from desist.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.log, name="log"),
    path("audit/export/", views.export, name="export"),
]
