from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "desist.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from desist.audit.signals import signed_in

        user_logged_in.connect(signed_in, dispatch_uid="desist.audit.signed_in")
