"""The reference files are the one definition: check they agree with each other and the DB."""

from __future__ import annotations

import pytest

from desist.dataset.schema import tables
from desist.reference import lists
from desist.reference.models import OffenceGroup, Outcome, UnitCost


def test_every_unit_cost_belongs_to_a_known_offence_group() -> None:
    assert set(lists.unit_costs()) <= set(lists.offence_groups())


def test_sanction_outcomes_are_those_of_measures_md() -> None:
    assert lists.sanction_outcomes() == {
        "conviction",
        "caution",
        "conditional_caution",
        "youth_caution",
        "youth_conditional_caution",
    }


def test_fixed_cohort_is_neighbourhood_crime() -> None:
    assert lists.neighbourhood_crime_groups() == {
        "burglary_residential",
        "robbery_personal",
        "vehicle_theft",
        "theft_from_vehicle",
        "theft_from_person",
    }


def test_seven_pathways() -> None:
    assert len(lists.pathways()) == 7


def test_intervention_kinds_name_known_pathways() -> None:
    for kind in lists.intervention_kinds().values():
        assert kind.pathway is None or kind.pathway in lists.pathways()


def test_schema_codes_come_from_the_reference_files() -> None:
    offences = tables()["offences"]
    assert set(offences.column_index["offence_group"].codes) == set(lists.offence_groups())
    assert set(offences.column_index["outcome"].codes) == set(lists.outcomes())


@pytest.mark.django_db
def test_migrations_load_the_reference_files_into_the_database() -> None:
    assert OffenceGroup.objects.count() == len(lists.offence_groups())
    assert set(Outcome.objects.filter(is_sanction=True).values_list("code", flat=True)) == set(
        lists.sanction_outcomes()
    )
    homicide = UnitCost.objects.get(offence_group="homicide")
    assert homicide.unit_cost_gbp == lists.unit_costs()["homicide"].unit_cost_gbp
    assert "Research Report 99" in homicide.source


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
