from django.urls import path

from desist.administration import views

app_name = "administration"
urlpatterns = [
    path("administration/", views.home, name="home"),
    path("administration/users/", views.user_list, name="users"),
    path("administration/users/new/", views.user_new, name="user-new"),
    path("administration/users/<int:pk>/", views.user_detail, name="user"),
    path("administration/users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("administration/users/<int:pk>/password/", views.user_password, name="user-password"),
    path(
        "administration/users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"
    ),
    path(
        "administration/users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"
    ),
    path("administration/users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path(
        "administration/users/<int:pk>/second-factor/",
        views.user_second_factor,
        name="user-second-factor",
    ),
    path("administration/agencies/", views.agency_list, name="agencies"),
    path("administration/agencies/new/", views.agency_new, name="agency-new"),
    path("administration/agencies/<int:pk>/", views.agency_edit, name="agency"),
    path(
        "administration/agencies/<int:pk>/deactivate/",
        views.agency_deactivate,
        name="agency-deactivate",
    ),
    path(
        "administration/agencies/<int:pk>/reactivate/",
        views.agency_reactivate,
        name="agency-reactivate",
    ),
    path("administration/roles/", views.roles, name="roles"),
    path("administration/reference/", views.reference_lists, name="reference-lists"),
    path("administration/reference/<slug:slug>/", views.reference_list, name="reference-list"),
]
