from django.urls import path

from desist.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("cohort/", views.cohort_list, name="cohort"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
