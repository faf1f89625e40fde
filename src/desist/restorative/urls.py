from django.urls import path

from desist.restorative import views

app_name = "restorative"
urlpatterns = [
    path("restorative-justice/", views.pipeline, name="pipeline"),
    path("restorative-justice/new/", views.case_new, name="case-new"),
    path("restorative-justice/<int:pk>/", views.case_detail, name="case"),
    path("restorative-justice/<int:pk>/advance/", views.case_advance, name="case-advance"),
    path("restorative-justice/<int:pk>/outcome/", views.case_outcome, name="case-outcome"),
    path("restorative-justice/<int:pk>/close/", views.case_close, name="case-close"),
    path("restorative-justice/facilitators/", views.facilitators, name="facilitators"),
]
