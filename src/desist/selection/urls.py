from django.urls import path

from desist.selection import views

app_name = "selection"
urlpatterns = [
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<slug:scheme>/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("proposals/<slug:scheme>/<int:pk>/decline/", views.decline, name="decline"),
]
