"""Start Django for command-line use (the web server and tests start it themselves)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django once; safe to call again."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "desist.config.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
