"""The demo scores step on a synthetic partnership: both runs saved, breakdowns add up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desist.demo.run import DEMO_STEPS
from desist.ingest.service import run_import
from desist.scoring.demo import create_demo_scores
from desist.scoring.models import PersonScore
from desist.synth.generate import write_dataset

AS_OF = dt.date(2026, 6, 30)


def test_the_demo_runs_the_step() -> None:
    assert "desist.scoring.demo.create_demo_scores" in DEMO_STEPS


@pytest.mark.django_db(transaction=True)
def test_demo_scores_are_saved_for_the_synthetic_partnership(tmp_path: Path) -> None:
    write_dataset(tmp_path, people=600, seed=11, as_of=AS_OF)
    assert run_import(tmp_path).loaded
    matrix, ogrs3 = create_demo_scores("", AS_OF)
    assert (matrix.kind, ogrs3.kind) == ("matrix", "ogrs3")
    assert matrix.source == ogrs3.source == "desist demo" and matrix.as_of == AS_OF
    assert matrix.people_scored > 0 and ogrs3.people_scored > matrix.people_scored
    assert matrix.people_not_found == ogrs3.people_not_found == 0
    assert matrix.settings_effective_date is not None and matrix.basis == "local choice"
    for saved in PersonScore.objects.filter(run=matrix):
        assert sum(p["points"] for p in saved.breakdown) == pytest.approx(saved.score)
    for saved in PersonScore.objects.filter(run=ogrs3):
        assert 0 < saved.components["ogrs3_1y"] < saved.components["ogrs3_2y"] < 1
