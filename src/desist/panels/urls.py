from django.urls import path

from desist.panels import views

app_name = "panels"
urlpatterns = [
    path("panels/", views.panel_list, name="panels"),
    path("panels/new/", views.panel_new, name="panel-new"),
    path("panels/<int:pk>/", views.panel_detail, name="panel"),
    path("panels/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("panels/<int:pk>/cases/<int:case_pk>/", views.case_detail, name="case"),
    path("panels/<int:pk>/cases/<int:case_pk>/outcome/", views.case_outcome, name="case-outcome"),
    path("panels/<int:pk>/cases/<int:case_pk>/actions/", views.case_action, name="case-action"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:action_pk>/done/", views.action_done, name="action-done"),
]
