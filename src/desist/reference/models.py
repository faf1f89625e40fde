"""Reference tables: copies of the data files in ``data/``, loaded by migrations.

The code of each row is its primary key, so that imported rows refer to it directly. The
files stay the one definition; ``load.py`` copies them in. To change a list, edit its file
and add a migration that runs ``load_reference_data`` again.
"""

from __future__ import annotations

from django.db import models


class OffenceGroup(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    neighbourhood_crime = models.BooleanField(default=False)
    ogrs3_category = models.CharField(max_length=40)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Outcome(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    is_sanction = models.BooleanField(default=False)
    is_court = models.BooleanField(default=False)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Sentence(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    index_disposal = models.CharField(max_length=20)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Scheme(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    default_cohort_type = models.CharField(max_length=10)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Pathway(models.Model):
    """One of the seven resettlement pathways out of offending."""

    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class InterventionKind(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    pathway = models.ForeignKey(Pathway, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class UnitCost(models.Model):
    """Unit cost of one crime of an offence group, with price year and published source."""

    offence_group = models.OneToOneField(
        OffenceGroup, primary_key=True, on_delete=models.CASCADE, related_name="unit_cost"
    )
    unit_cost_gbp = models.DecimalField(max_digits=12, decimal_places=2)
    price_year = models.CharField(max_length=20)
    source = models.TextField()
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.offence_group_id}: £{self.unit_cost_gbp} ({self.price_year})"
