"""Demo records for scoring: a saved matrix run and OGRS3 run, so nominal pages show scores."""

from __future__ import annotations

from datetime import date
from typing import Any

from desist.scoring.store import score_case_database


def create_demo_scores(local_authority: str, as_of: date) -> tuple[Any, Any]:
    """Score the whole demo partnership as of ``as_of`` (matrix and OGRS3, on Polars) and save
    both runs to the case database. ``local_authority`` is not needed: every unit's people get
    scores. 6.5 s measured for the 20,000 people of the demo (docs/scoring.md section 7)."""
    del local_authority
    return score_case_database(as_of, source="desist demo")
