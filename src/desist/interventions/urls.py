from django.urls import path

from desist.interventions import views

app_name = "interventions"
urlpatterns = [
    path("interventions/", views.intervention_list, name="list"),
    path("interventions/targets/", views.target_list, name="targets"),
    path("interventions/targets/new/", views.target_edit, name="target-new"),
    path("interventions/targets/<int:pk>/", views.target_edit, name="target-edit"),
    path("interventions/<int:pk>/", views.intervention_detail, name="detail"),
    path("interventions/<int:pk>/assessment/", views.intervention_assess, name="assess"),
    path("interventions/<int:pk>/start/", views.intervention_start, name="start"),
    path("interventions/<int:pk>/drug-tests/", views.intervention_drug_test, name="drug-test"),
    path("interventions/<int:pk>/end/", views.intervention_end, name="end"),
    path("people/<int:pk>/interventions/", views.person_interventions, name="person"),
    path("people/<int:pk>/interventions/new/", views.intervention_new, name="new"),
]
