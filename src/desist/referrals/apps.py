from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "desist.referrals"
    label = "referrals"
    verbose_name = "Referrals of vulnerable people"
