"""Shared base models."""

from __future__ import annotations

from django.db import models


class TimeStamped(models.Model):
    """Adds when a row was created and last changed."""

    created_on = models.DateTimeField(auto_now_add=True)
    modified_on = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
