"""The published measures, written once over Narwhals lazy frames.

Every measure takes a :class:`desist.dataset.frames.DataSet` (from ``read_dataset`` for a
data set folder, ``read_database`` for the case database, or ``dataset_from_polars``) on
Polars, DuckDB or PySpark, and returns a :class:`Result` whose definition and source are
quoted from the measure's docstring. No Django import: this is pure library code.

Definitions: ``shared/reference/measures.md``; the page for analysts: ``docs/measures.md``.
"""

from __future__ import annotations

from desist.measures.common import MeasureError, ProvisionalError, Result
from desist.measures.impact import impact_estimate
from desist.measures.interventions import (
    Target,
    post_completion_reoffending,
    read_targets,
    starts_and_completions,
)
from desist.measures.management import custody_reentry, rag_movement
from desist.measures.reoffending import (
    Period,
    proven_reoffending,
    proven_reoffending_period,
    quarters,
    reoffending_by_disposal,
)
from desist.measures.tracker import WARNING, offending_tracker, tracker_frame

__all__ = [
    "WARNING",
    "MeasureError",
    "Period",
    "ProvisionalError",
    "Result",
    "Target",
    "custody_reentry",
    "impact_estimate",
    "offending_tracker",
    "post_completion_reoffending",
    "proven_reoffending",
    "proven_reoffending_period",
    "quarters",
    "rag_movement",
    "read_targets",
    "reoffending_by_disposal",
    "starts_and_completions",
    "tracker_frame",
]
