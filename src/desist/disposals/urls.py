from django.urls import path

from desist.disposals import views

app_name = "disposals"
urlpatterns = [
    path("disposals/", views.disposal_list, name="disposals"),
    path("disposals/new/", views.disposal_new, name="disposal-new"),
    path("disposals/<int:pk>/", views.disposal_detail, name="disposal"),
    path("disposals/<int:pk>/conditions/", views.condition_add, name="condition-add"),
    path(
        "disposals/<int:pk>/conditions/<int:condition_pk>/compliance/",
        views.condition_compliance,
        name="condition-compliance",
    ),
]
