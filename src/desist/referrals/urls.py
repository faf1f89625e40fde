from django.urls import path

from desist.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_new, name="referral-new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/triage/", views.referral_triage, name="referral-triage"),
    path("referrals/<int:pk>/contact/", views.referral_contact, name="referral-contact"),
    path("referrals/<int:pk>/signpost/", views.referral_signpost, name="referral-signpost"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral-outcome"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_new, name="service-new"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
]
