"""A small synthetic history for the impact estimate and the command-line tests.

Treated people are adopted into a scheme soon after a conviction; the comparison pool are
never-managed people with a conviction in the same years. Reoffending depends on previous
sanctions (so matching matters) and, for the treated, on a planted effect.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl

START = dt.date(2019, 1, 1)
AS_OF = dt.date(2023, 6, 1)


def impact_tables(
    seed: int = 7, treated: int = 150, pool: int = 900, effect: float = 0.0, scheme: str = "ppo"
) -> dict[str, pl.DataFrame]:
    """People, offences and memberships; ``effect`` is added to the treated's log-odds of
    reoffending within a year."""
    rng = np.random.default_rng(seed)
    n = treated + pool
    ids = [f"S{i:05d}" for i in range(n)]
    is_treated = np.arange(n) < treated
    prior = rng.poisson(np.where(is_treated, 6.0, 3.0))
    reference = rng.integers(0, 730, n)  # days after START: adoption or the index conviction
    people = pl.DataFrame(
        {
            "person_id": ids,
            "date_of_birth": [
                START - dt.timedelta(days=int(d)) for d in rng.integers(18 * 365, 45 * 365, n)
            ],
            "sex": rng.choice(["M", "F"], n, p=[0.85, 0.15]).tolist(),
        }
    )
    rows: list[dict[str, object]] = []
    groups = ["shoplifting", "burglary_residential", "violence_with_injury", "criminal_damage"]

    def add(person: int, committed: dt.date, decided: dt.date, sentence: str = "fine") -> None:
        rows.append(
            {
                "offence_id": f"X{len(rows):07d}",
                "person_id": ids[person],
                "offence_date": committed,
                "offence_group": groups[int(rng.integers(0, len(groups)))],
                "outcome": "conviction",
                "outcome_date": decided,
                "sentence": sentence,
            }
        )

    for i in range(n):
        ref = START + dt.timedelta(days=int(reference[i]))
        # The conviction at (pool) or just before (treated) the reference date.
        index_day = ref if not is_treated[i] else ref - dt.timedelta(days=int(rng.integers(5, 60)))
        add(i, index_day - dt.timedelta(days=40), index_day, "community_order")
        for _ in range(int(prior[i])):
            back = int(rng.integers(100, 2500))
            add(i, index_day - dt.timedelta(days=back + 30), index_day - dt.timedelta(days=back))
        logit = -1.6 + 0.25 * prior[i] + (effect if is_treated[i] else 0.0)
        if rng.random() < 1 / (1 + math.exp(-logit)):
            for _ in range(1 + int(rng.poisson(0.8))):
                committed = ref + dt.timedelta(days=int(rng.integers(1, 360)))
                add(i, committed, committed + dt.timedelta(days=int(rng.integers(10, 120))))
    memberships = pl.DataFrame(
        {
            "person_id": [ids[i] for i in range(treated)],
            "scheme": [scheme] * treated,
            "start_date": [START + dt.timedelta(days=int(reference[i])) for i in range(treated)],
            "tier": rng.choice(["1", "2", "3"], treated).tolist(),
            "local_authority": rng.choice(["North", "South"], treated).tolist(),
        }
    )
    return {
        "people": people,
        "offences": pl.DataFrame(rows, infer_schema_length=None),
        "cohort_memberships": memberships,
    }
