from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def restore_reference_data(sender: AppConfig, **kwargs: Any) -> None:
    """Reload the reference lists when their tables are empty.

    The migration ``0002_load_reference_data`` loads them; this covers a database that was
    flushed afterwards (Django's ``flush`` and the transactional tests that use it emit
    ``post_migrate``), since every imported row refers to these codes.
    """
    from django.apps import apps

    from desist.reference.load import load_reference_data
    from desist.reference.models import OffenceGroup

    if not OffenceGroup.objects.using(kwargs.get("using", "default")).exists():
        load_reference_data(apps)


class ReferenceConfig(AppConfig):
    name = "desist.reference"
    label = "reference"
    verbose_name = "Reference lists"

    def ready(self) -> None:
        post_migrate.connect(restore_reference_data, sender=self)
