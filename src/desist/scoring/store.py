"""Save scoring runs to the case database (the only scoring module that imports Django).

Matrix runs keep people with at least one point (a zero score has nothing to show); OGRS3 runs
keep everyone scored. People are matched on ``Person.source_id`` (the data set's person_id);
scored people with no case record are counted on the run, not invented.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from desist.scoring.history import problem_person_ids
from desist.scoring.matrix import COMPONENTS, MatrixRun
from desist.scoring.ogrs3 import Ogrs3Run

BATCH = 5000


def _person_ids() -> dict[str, int]:
    from desist.people.models import Person

    return dict(Person.objects.values_list("source_id", "id"))


def save_matrix(run: MatrixRun, source: str) -> Any:
    """Store a matrix run with each person's components and breakdown; return the ScoreRun."""
    import polars as pl
    from django.db import transaction

    from desist.scoring.models import PersonScore, ScoreRun

    scored = run.scores.filter(pl.col("score") > 0)
    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in run.breakdown.filter(pl.col("points") > 0).to_dicts():
        points[row["person_id"]].append(
            {
                "component": row["component"],
                "record_kind": row["record_kind"],
                "record_id": row["record_id"],
                "record_date": str(row["record_date"]),
                "offence_group": row["offence_group"],
                "points": row["points"],
                "rule": row["rule"],
            }
        )
    ids = _person_ids()
    with transaction.atomic():
        score_run = ScoreRun.objects.create(
            kind="matrix",
            as_of=run.as_of,
            settings_name=run.settings.name,
            settings_version=run.settings.version,
            settings_fingerprint=run.settings.fingerprint,
            settings_effective_date=run.settings.effective_date,
            basis=run.settings.basis,
            source=source,
        )
        rows, missing = [], 0
        for row in scored.to_dicts():
            pk = ids.get(row["person_id"])
            if pk is None:
                missing += 1
                continue
            rows.append(
                PersonScore(
                    run=score_run,
                    person_id=pk,
                    score=row["score"],
                    grade=row["grade"],
                    components={c: row[c] for c in COMPONENTS},
                    breakdown=points.get(row["person_id"], []),
                )
            )
        PersonScore.objects.bulk_create(rows, batch_size=BATCH)
        score_run.people_scored = len(rows)
        score_run.people_not_found = missing
        score_run.save(update_fields=["people_scored", "people_not_found", "modified_on"])
    return score_run


def save_ogrs3(run: Ogrs3Run, source: str) -> Any:
    """Store an OGRS3 run: 2-year probability as the score, terms and inputs as components."""
    from django.db import transaction

    from desist.scoring.models import PersonScore, ScoreRun

    ids = _person_ids()
    terms = ("term_age_gender", "term_sanction_status", "term_copas", "term_offence",
             "linear_predictor", "ogrs3_1y", "ogrs3_2y", "age_at_follow_up", "total_sanctions",
             "age_at_first_sanction", "age_at_current_sanction", "ogrs3_category",
             "current_offence_id", "follow_up_basis", "indicative_reason")  # fmt: skip
    with transaction.atomic():
        score_run = ScoreRun.objects.create(
            kind="ogrs3",
            as_of=run.as_of,
            settings_name="OGRS3 (Howard et al. 2009; HMPPS implementation)",
            settings_version=run.profile,
            basis="published method (sources.md section 1)",
            source=source,
        )
        rows, missing = [], 0
        for row in run.scores.to_dicts():
            pk = ids.get(row["person_id"])
            if pk is None:
                missing += 1
                continue
            rows.append(
                PersonScore(
                    run=score_run,
                    person_id=pk,
                    score=row["ogrs3_2y"],
                    grade=row["ogrs3_band"],
                    components={t: row[t] for t in terms},
                    indicative=row["indicative"],
                )
            )
        PersonScore.objects.bulk_create(rows, batch_size=BATCH)
        score_run.people_scored = len(rows)
        score_run.people_not_found = missing
        score_run.save(update_fields=["people_scored", "people_not_found", "modified_on"])
    return score_run


def score_case_database(as_of: dt.date, source: str = "case database") -> tuple[Any, Any]:
    """Score everyone in the case database with the matrix (the settings in force on ``as_of``)
    and OGRS3 on Polars, and save both runs; return the two ScoreRuns (matrix, OGRS3).

    People with problems in their history (``history.problem_person_ids``) are left out of
    both, as ``--skip-invalid`` does on the command line. Used by ``desist demo``.
    """
    import polars as pl

    from desist.dataset.database import read_database
    from desist.scoring.matrix import run_matrix
    from desist.scoring.ogrs3 import score_history
    from desist.scoring.settings import settings_for

    data = read_database("polars")
    skipped = sorted(problem_person_ids(data, as_of))
    matrix = run_matrix(data, as_of, settings_for(as_of)[0])
    ogrs3 = score_history(data, as_of, check=False)
    if skipped:
        matrix.scores = matrix.scores.filter(~pl.col("person_id").is_in(skipped))
        matrix.breakdown = matrix.breakdown.filter(~pl.col("person_id").is_in(skipped))
        ogrs3.scores = ogrs3.scores.filter(~pl.col("person_id").is_in(skipped))
    return save_matrix(matrix, source), save_ogrs3(ogrs3, source)
