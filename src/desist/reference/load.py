"""Copy the reference data files into the reference tables (used by migrations)."""

from __future__ import annotations

from typing import Any

from desist.reference import lists


def load_reference_data(apps: Any, schema_editor: Any = None) -> None:
    """Insert or update every reference row from the data files.

    Takes the historical ``apps`` registry so that it runs inside a migration.
    """
    model = apps.get_model
    for group in lists.offence_groups().values():
        model("reference", "OffenceGroup").objects.update_or_create(
            code=group.code,
            defaults={
                "label": group.label,
                "neighbourhood_crime": group.neighbourhood_crime,
                "ogrs3_category": group.ogrs3_category,
            },
        )
    for outcome in lists.outcomes().values():
        model("reference", "Outcome").objects.update_or_create(
            code=outcome.code,
            defaults={
                "label": outcome.label,
                "is_sanction": outcome.is_sanction,
                "is_court": outcome.is_court,
            },
        )
    for sentence in lists.sentences().values():
        model("reference", "Sentence").objects.update_or_create(
            code=sentence.code,
            defaults={"label": sentence.label, "index_disposal": sentence.index_disposal},
        )
    for scheme in lists.schemes().values():
        model("reference", "Scheme").objects.update_or_create(
            code=scheme.code,
            defaults={
                "label": scheme.label,
                "default_cohort_type": scheme.default_cohort_type,
                "description": scheme.description,
            },
        )
    for pathway in lists.pathways().values():
        model("reference", "Pathway").objects.update_or_create(
            code=pathway.code, defaults={"label": pathway.label}
        )
    for kind in lists.intervention_kinds().values():
        model("reference", "InterventionKind").objects.update_or_create(
            code=kind.code, defaults={"label": kind.label, "pathway_id": kind.pathway}
        )
    for cost in lists.unit_costs().values():
        model("reference", "UnitCost").objects.update_or_create(
            offence_group_id=cost.offence_group,
            defaults={
                "unit_cost_gbp": cost.unit_cost_gbp,
                "price_year": cost.price_year,
                "source": cost.source,
                "note": cost.note,
            },
        )
