from django.urls import URLPattern, URLResolver, path

from desist.supervision import views

app_name = "supervision"
ORDER = "people/<int:pk>/orders/<int:order_pk>"
urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/", views.due_list, name="due"),
    path("people/<int:pk>/orders/new/", views.order_new, name="order-new"),
    path(f"{ORDER}/conditions/new/", views.condition_new, name="condition-new"),
    path(f"{ORDER}/contacts/new/", views.contact_new, name="contact-new"),
    path(f"{ORDER}/visits/new/", views.visit_new, name="visit-new"),
    path(f"{ORDER}/warnings/new/", views.warning_new, name="warning-new"),
    path(f"{ORDER}/breaches/new/", views.breach_new, name="breach-new"),
    path(f"{ORDER}/recalls/new/", views.recall_new, name="recall-new"),
]
