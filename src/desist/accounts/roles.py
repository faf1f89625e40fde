"""The roles of shared/design/ROLES.md. What each may see is decided by the permission rules."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    POLICE_OFFENDER_MANAGER = "police_offender_manager", "Police offender manager"
    PROBATION_OFFICER = "probation_officer", "Probation officer"
    YOUTH_JUSTICE_WORKER = "youth_justice_worker", "Youth justice worker"
    DRUG_ALCOHOL_WORKER = "drug_alcohol_worker", "Drug and alcohol worker"
    HOUSING_EMPLOYMENT_WORKER = "housing_employment_worker", "Housing or employment worker"
    IOM_COORDINATOR = "iom_coordinator", "IOM coordinator / panel chair"
    ANALYST = "analyst", "Analyst"
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    ADMINISTRATOR = "administrator", "Administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data protection officer"
