from django.urls import path

from desist.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("cohort/", views.cohort_list, name="cohort"),
    path("cohort/search/", views.cohort_search, name="cohort-search"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reason/", views.person_reason, name="person-reason"),
    path("people/<int:pk>/rag/", views.rag_review_new, name="rag-review-new"),
    path("people/<int:pk>/needs/new/", views.pathway_need_new, name="pathway-need-new"),
    path("people/<int:pk>/needs/<int:need_pk>/", views.pathway_need_edit, name="pathway-need-edit"),
]
