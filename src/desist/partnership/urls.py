from django.urls import path

from desist.partnership import views

app_name = "partnership"
urlpatterns = [
    path("partnership/", views.index, name="index"),
    path("partnership/priorities/", views.priority_list, name="priorities"),
    path("partnership/priorities/new/", views.priority_new, name="priority-new"),
    path("partnership/priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("partnership/priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path(
        "partnership/priorities/<int:pk>/indicators/new/",
        views.indicator_new,
        name="indicator-new",
    ),
    path("partnership/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("partnership/indicators/<int:pk>/results/new/", views.result_new, name="result-new"),
    path("partnership/risks/", views.risk_list, name="risks"),
    path("partnership/risks/new/", views.risk_new, name="risk-new"),
    path("partnership/risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("partnership/risks/thresholds/", views.thresholds_edit, name="thresholds"),
    path("partnership/agreements/", views.agreement_list, name="agreements"),
    path("partnership/agreements/new/", views.agreement_new, name="agreement-new"),
    path("partnership/agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("partnership/problems/", views.problem_list, name="problems"),
    path("partnership/problems/new/", views.problem_new, name="problem-new"),
    path("partnership/problems/<int:pk>/", views.problem_detail, name="problem"),
    path("partnership/problems/<int:pk>/edit/", views.problem_edit, name="problem-edit"),
    path("partnership/problems/<int:pk>/close/", views.problem_close, name="problem-close"),
]
