from django.urls import path

from desist.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/performance/", views.report_page, name="performance"),
]
