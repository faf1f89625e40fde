"""Interventions, cohort memberships and RAG reviews, derived from the simulated careers.

Memberships are chosen among the most prolific recent offenders and adopted near a peak of
their offending, as IOM selection works (DOMAIN.md §1-2); management has no causal effect in
this synthetic data, so any fall in offending after adoption is regression to the mean and
desistance, which is what the comparison-group estimate (measures.md §6) should find.
Interventions follow the disposals that bring them (a DRR or ATR with a community sentence,
conditions with a conditional caution) and fail more often when the person reoffends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from desist.dataset import schema
from desist.reference import lists
from desist.synth import params as P
from desist.synth.careers import NONE, People, choose
from desist.synth.tables import (
    ID_WIDTH_ROW,
    Occasions,
    OffenceRows,
    codes,
    dates,
    empty,
    frame,
    identifiers,
    person_ids,
)

KEY_SHIFT = np.int64(1) << np.int64(32)
DAY_OFFSET = np.int64(1) << np.int64(21)


def keys(person: np.ndarray, day: np.ndarray) -> np.ndarray:
    """One sortable int64 per (person, day)."""
    return person.astype(np.int64) * KEY_SHIFT + (day.astype(np.int64) + DAY_OFFSET)


@dataclass
class Interventions:
    person: np.ndarray
    kind: np.ndarray
    referral: np.ndarray
    start: np.ndarray
    end: np.ndarray
    status: np.ndarray


def _lifecycle(
    rng: np.random.Generator,
    person: np.ndarray,
    kind: int,
    referral: np.ndarray,
    start_delay: np.ndarray,
    length: np.ndarray,
    next_day: np.ndarray,
    as_of: int,
    p_fail_reoffended: float = P.P_FAIL_IF_REOFFENDED,
    p_fail: float = P.P_FAIL_OTHERWISE,
    p_withdrawn: float = P.P_WITHDRAWN,
) -> Interventions:
    """Start, end and status of interventions; failure is likelier after a new offence."""
    n = person.size
    start = referral + start_delay
    planned_end = start + length
    reoffended = (next_day != NONE) & (next_day >= start) & (next_day <= planned_end)
    u = rng.random(n)
    failed = np.where(reoffended, u < p_fail_reoffended, u < p_fail)
    withdrawn = ~failed & (rng.random(n) < p_withdrawn)
    early = start + (rng.random(n) * length).astype(np.int64)
    end = np.where(
        failed & reoffended,
        np.minimum(next_day + rng.integers(7, 60, n), planned_end),
        np.where(failed | withdrawn, early, planned_end),
    )
    statuses = schema.INTERVENTION_STATUSES
    status = np.where(
        failed,
        statuses.index("failed"),
        np.where(withdrawn, statuses.index("withdrawn"), statuses.index("completed")),
    )
    not_started = start > as_of
    running = ~not_started & (end > as_of)
    status = np.where(not_started, statuses.index("referred"), status)
    status = np.where(running, statuses.index("started"), status)
    start = np.where(not_started, NONE, start)
    end = np.where(not_started | running, NONE, end)
    return Interventions(person, np.full(n, kind), referral, start, end, status)


def interventions(
    rng: np.random.Generator, occ: Occasions, rows: OffenceRows, people: People, as_of: int
) -> list[Interventions]:
    """Interventions brought by disposals (the membership ones are added later)."""
    kinds = P.INTERVENTION_KINDS
    profile = people.profile[occ.person]
    prof = {name: profile == i for i, name in enumerate(P.PROFILE_NAMES)}
    decided = occ.outcome_day != NONE
    adult = ~occ.juvenile
    community = np.isin(occ.sentence, [P.s("community_order"), P.s("suspended_sentence")])
    youth_order = occ.sentence == P.s("youth_rehabilitation_order")
    da_occasion = np.zeros(occ.person.size, dtype=bool)
    np.logical_or.at(da_occasion, rows.occasion, rows.domestic_abuse)
    n = occ.person.size
    out: list[Interventions] = []

    def pick(mask: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        return np.flatnonzero(mask & decided & (rng.random(n) < p))

    def add(
        idx: np.ndarray,
        kind: str,
        referral: np.ndarray,
        delay: tuple[int, int],
        length: tuple[int, int],
        **kwargs: float,
    ) -> None:
        if idx.size == 0:
            return
        out.append(
            _lifecycle(
                rng,
                occ.person[idx],
                kinds.index(kind),
                referral,
                rng.integers(delay[0], delay[1] + 1, idx.size),
                rng.integers(length[0], length[1] + 1, idx.size),
                occ.next_day[idx],
                as_of,
                **kwargs,
            )
        )

    def before_sentence(idx: np.ndarray) -> np.ndarray:
        back = rng.integers(0, 22, idx.size)
        return np.maximum(occ.outcome_day[idx] - back, occ.day[idx])

    p_drr = np.where(
        prof["acquisitive"] | prof["drugs"], P.P_DRR, np.where(prof["versatile"], P.P_DRR / 2, 0.0)
    )
    idx = pick(community & adult, p_drr)
    add(idx, "drr", before_sentence(idx), (3, 21), P.DRR_DAYS)
    p_atr = np.where(
        prof["violent"] | prof["motoring"] | prof["domestic_abuse"],
        P.P_ATR,
        np.where(prof["versatile"], P.P_ATR / 2, 0.0),
    )
    idx = pick(community & adult, p_atr)
    add(idx, "atr", before_sentence(idx), (3, 21), P.ATR_DAYS)
    idx = pick(community & adult, P.P_MHTR)
    add(idx, "mhtr", before_sentence(idx), (7, 28), (120, 365))
    idx = pick(community & (da_occasion | prof["domestic_abuse"]), P.P_VICTIM_AWARENESS)
    add(idx, "victim_awareness", occ.outcome_day[idx], (14, 60), (42, 120), p_fail=0.1)
    idx = pick(community | youth_order, P.P_OTHER_INTERVENTION)
    add(idx, "other", occ.outcome_day[idx], (7, 30), (60, 180))
    conditional = np.isin(
        occ.outcome, [P.o("conditional_caution"), P.o("youth_conditional_caution")]
    )
    idx = pick(conditional, P.P_CONDITIONAL_CAUTION_CONDITIONS)
    add(
        idx,
        "conditional_caution_conditions",
        occ.outcome_day[idx],
        (0, 0),
        (14, 112),
        p_fail=0.1,
        p_withdrawn=0.03,
        p_fail_reoffended=0.5,
    )
    resolution = occ.outcome == P.o("community_resolution")
    idx = pick(resolution, P.P_COMMUNITY_RESOLUTION_CONDITIONS)
    add(
        idx,
        "community_resolution_conditions",
        occ.outcome_day[idx],
        (0, 0),
        (14, 56),
        p_fail=0.08,
        p_withdrawn=0.02,
        p_fail_reoffended=0.4,
    )
    idx = pick(resolution, P.P_RESTORATIVE_L1)
    add(
        idx,
        "restorative_justice_l1",
        occ.outcome_day[idx],
        (0, 0),
        (0, 0),
        p_fail=0.0,
        p_withdrawn=0.0,
        p_fail_reoffended=0.0,
    )
    idx = pick(
        youth_order | (occ.outcome == P.o("conviction")) & (occ.seriousness >= 3),
        P.P_RESTORATIVE_L2,
    )
    add(
        idx,
        "restorative_justice_l2",
        occ.outcome_day[idx],
        (30, 90),
        (0, 7),
        p_fail=0.0,
        p_withdrawn=0.4,
        p_fail_reoffended=0.0,
    )
    return out


@dataclass
class Memberships:
    person: np.ndarray
    scheme: np.ndarray
    neighbourhood: np.ndarray  # the peak occasion was neighbourhood crime (Fixed cohort)
    start: np.ndarray
    end: np.ndarray  # true end, may lie after as-of
    tier: np.ndarray
    local_authority: np.ndarray
    profile: np.ndarray


def _peak_scores(occ: Occasions, as_of: int) -> tuple[np.ndarray, np.ndarray]:
    """Per occasion: offences (not dropped) by the person in the 365 days up to it, and a
    selection score adding weight for serious and neighbourhood crime."""
    counted = ~np.isin(occ.outcome, [P.o("no_further_action"), P.o("not_guilty")])
    weight = np.where(counted, occ.n_offences, 0)
    cum = np.concatenate(([0], np.cumsum(weight)))
    k = keys(occ.person, occ.day)
    lo = np.searchsorted(k, k - (P.SELECTION_WINDOW_DAYS - 1), side="left")
    recent = cum[np.arange(k.size) + 1] - cum[lo]
    score = recent + 1.5 * (occ.seriousness >= 4) + 1.0 * P.NEIGHBOURHOOD_BY_GROUP[occ.main_group]
    return recent, score


def memberships(
    rng: np.random.Generator, occ: Occasions, people: People, as_of: int
) -> Memberships:
    """Select people as their offending rises to a peak and adopt them into schemes.

    At each occasion in the management era a person may be picked, with a chance rising with
    their selection score (offences in the past year, plus weight for serious and neighbourhood
    crime); their first pick is their adoption point, like a periodic review of the scored
    list that adopts people when they cross the threshold.
    """
    _recent, score = _peak_scores(occ, as_of)
    era = (occ.day >= as_of - P.MANAGEMENT_YEARS * 365) & (occ.day <= as_of - 30)
    cand = np.flatnonzero(era)
    sc = score[cand]
    c_person = occ.person[cand]
    c_profile = people.profile[c_person]
    c_juvenile = occ.juvenile[cand]
    c_female = people.female[c_person]
    p = P.SELECTION_P_MAX / (1.0 + np.exp(-(sc - P.SELECTION_THRESHOLD) / P.SELECTION_SCALE))
    da = c_profile == P.PROFILE_NAMES.index("domestic_abuse")
    p = np.where(da & (sc >= P.SELECTION_THRESHOLD_DA), np.maximum(p, P.SELECTION_P_DA), p)
    p = np.where(
        c_female & ~c_juvenile & (sc >= P.SELECTION_THRESHOLD_WOMEN),
        np.maximum(p, P.SELECTION_P_WOMEN),
        p,
    )
    p = np.where(
        c_juvenile & (sc >= P.SELECTION_THRESHOLD_YOUTH), np.maximum(p, P.SELECTION_P_YOUTH), p
    )
    picked = cand[rng.random(cand.size) < p]
    if picked.size == 0:
        return _no_memberships()
    best = picked[np.unique(occ.person[picked], return_index=True)[1]]
    person = occ.person[best]
    sc = score[best]
    n = best.size
    profile = people.profile[person]
    female = people.female[person]
    juvenile = occ.juvenile[best]
    age = (occ.day[best] - people.dob[person]) / 365.25
    is_profile = {name: profile == i for i, name in enumerate(P.PROFILE_NAMES)}

    schemes = P.SCHEMES
    sch = {code: schemes.index(code) for code in schemes}
    custody = occ.sentence[best] == P.s("custody")
    short = custody & (occ.custody_days[best] < 365)
    neighbourhood = P.NEIGHBOURHOOD_BY_GROUP[occ.main_group[best]]
    # Weights over (ppo, hccu, drr, atr, gang, mappa, short_term_custody, local).
    options = np.array(
        [
            sch[c]
            for c in ("ppo", "hccu", "drr", "atr", "gang", "mappa", "short_term_custody", "local")
        ]
    )
    w = np.tile(np.array([0.40, 0.25, 0.08, 0.02, 0.0, 0.0, 0.10, 0.15]), (n, 1))
    w[is_profile["drugs"]] = [0.10, 0.40, 0.25, 0.0, 0.15, 0.0, 0.05, 0.05]
    w[is_profile["violent"]] = [0.10, 0.0, 0.0, 0.20, 0.25, 0.20, 0.10, 0.15]
    w[is_profile["motoring"] | is_profile["other"]] = [0.2, 0, 0, 0.2, 0, 0, 0.1, 0.5]
    w[is_profile["sexual"]] = [0, 0, 0, 0, 0, 0.9, 0, 0.1]
    w[:, 4] *= age < 25
    w[:, 6] *= short
    w[:, 0] *= np.where(neighbourhood, 1.5, 1.0)
    scheme = options[choose(rng, w + 1e-9)]
    scheme = np.where(female & ~juvenile & (rng.random(n) < 0.7), sch["women"], scheme)
    young = (juvenile & (rng.random(n) < P.P_YOUTH_SCHEME_JUVENILE)) | (
        (age < 21) & (rng.random(n) < P.P_YOUTH_SCHEME_YOUNG_ADULT)
    )
    scheme = np.where(young, sch["youth"], scheme)
    scheme = np.where(is_profile["domestic_abuse"], sch["domestic_abuse"], scheme)

    # Adoption: near release when the peak ended in custody, otherwise after the outcome.
    released = occ.release_day[best]
    decided = np.where(occ.outcome_day[best] != NONE, occ.outcome_day[best], occ.day[best])
    adopt = np.where(
        custody & (released != NONE) & (released <= as_of),
        released - rng.integers(0, 31, n),
        decided + rng.integers(7, 61, n),
    )
    adopt = np.maximum(adopt, occ.day[best])
    chosen = adopt <= as_of
    duration = np.rint(
        np.exp(np.log(P.MEMBERSHIP_MEDIAN_DAYS) + P.MEMBERSHIP_SIGMA * rng.standard_normal(n))
    ).astype(np.int64)
    end = adopt + np.maximum(duration, 30)
    tier = 4 - np.searchsorted(np.array(P.TIER_SCORES), sc, side="right")
    tier = np.clip(tier + np.where(rng.random(n) < 0.2, rng.choice([-1, 1], n), 0), 1, 4)
    la = people.local_authority[person]
    la = np.where(la < 0, rng.integers(0, len(P.LOCAL_AUTHORITIES), n), la)
    first = Memberships(person, scheme, neighbourhood, adopt, end, tier, la, profile)
    first = _subset(first, chosen)

    # Re-adoption after de-selection, and a concurrent second scheme.
    m = first.person.size
    again = (rng.random(m) < P.P_SECOND_MEMBERSHIP) & (first.end < as_of)
    later = first.end + rng.integers(60, 721, m)
    second = _subset(first, again & (later <= as_of))
    gap = later[again & (later <= as_of)]
    second.end = gap + (second.end - second.start)
    second.start = gap
    conc = rng.random(m) < P.P_CONCURRENT_MEMBERSHIP
    prof_m = first.profile
    conc_scheme = np.where(
        (prof_m == P.PROFILE_NAMES.index("drugs"))
        | (prof_m == P.PROFILE_NAMES.index("acquisitive")),
        sch["drr"],
        np.where(
            np.isin(
                prof_m,
                [P.PROFILE_NAMES.index(x) for x in ("violent", "motoring", "domestic_abuse")],
            ),
            sch["atr"],
            sch["local"],
        ),
    )
    conc &= conc_scheme != first.scheme
    third = _subset(first, conc)
    shift = rng.integers(0, 91, third.person.size)
    third.start = third.start + shift
    third.end = third.start + np.maximum((third.end - third.start) // 2, 30)
    third.scheme = conc_scheme[conc]
    keep = third.start <= as_of
    third = _subset(third, keep)
    return _concat([first, second, third])


def _no_memberships() -> Memberships:
    z = np.zeros(0, dtype=np.int64)
    return Memberships(z, z, z.astype(bool), z, z, z, z, z)


def _subset(m: Memberships, mask: np.ndarray) -> Memberships:
    return Memberships(*(getattr(m, f)[mask] for f in Memberships.__dataclass_fields__))


def _concat(parts: list[Memberships]) -> Memberships:
    return Memberships(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in Memberships.__dataclass_fields__)
    )


def membership_table(mem: Memberships, as_of: int, first_person: int) -> pl.DataFrame:
    if mem.person.size == 0:
        return empty("cohort_memberships")
    order = np.lexsort((mem.scheme, mem.start, mem.person))
    scheme_info = lists.schemes()
    default_type = np.array(
        [schema.COHORT_TYPES.index(scheme_info[c].default_cohort_type) for c in P.SCHEMES]
    )
    fixed = schema.COHORT_TYPES.index("fixed")
    flex = schema.COHORT_TYPES.index("flex")
    ctype = default_type[mem.scheme]
    acquisitive = np.isin(mem.scheme, [P.SCHEMES.index(c) for c in ("ppo", "hccu")])
    ctype = np.where(acquisitive, np.where(mem.neighbourhood, fixed, flex), ctype)
    end = mem.end[order]
    frame_ = frame(
        "cohort_memberships",
        {
            "person_id": person_ids(mem.person[order], first_person),
            "scheme": codes(P.SCHEMES, mem.scheme[order]),
            "cohort_type": codes(schema.COHORT_TYPES, ctype[order]),
            "start_date": dates(mem.start[order]),
            "end_date": dates(end, end <= as_of),
            "tier": codes(schema.TIERS, mem.tier[order] - 1),
            "local_authority": codes(tuple(P.LOCAL_AUTHORITIES), mem.local_authority[order]),
        },
    )
    return frame_.unique(
        subset=["person_id", "scheme", "start_date"], keep="first", maintain_order=True
    )


def rag_table(
    rng: np.random.Generator, mem: Memberships, occ: Occasions, as_of: int, first_person: int
) -> pl.DataFrame:
    """Roughly monthly reviews while managed, moving between red, amber and green."""
    if mem.person.size == 0:
        return empty("rag_reviews")
    last = np.minimum(mem.end, as_of)
    count = np.maximum((last - mem.start - 14) / P.RAG_INTERVAL_DAYS, -1).astype(np.int64) + 1
    count = np.maximum(count, 0)
    seg = np.repeat(np.arange(mem.person.size), count)
    if seg.size == 0:
        return empty("rag_reviews")
    seg_first = np.concatenate(([0], np.cumsum(count)[:-1]))
    j = np.arange(seg.size) - seg_first[seg]
    review = (
        mem.start[seg]
        + 14
        + np.rint(j * P.RAG_INTERVAL_DAYS).astype(np.int64)
        + rng.integers(-3, 4, seg.size)
    )
    review = np.clip(review, mem.start[seg], last[seg])
    step = choose(rng, np.tile(np.array(P.RAG_STEP), (seg.size, 1))) - 1  # -1 improve, +1 worse
    start_level = 2 - choose(rng, np.tile(np.array(P.RAG_START), (mem.person.size, 1)))
    step = np.where(j == 0, start_level[seg], step)
    cum = np.cumsum(step)
    level = np.clip(cum - (cum[seg_first] - step[seg_first])[seg], 0, 2)
    person = mem.person[seg]
    k_occ = keys(occ.person, occ.day)
    k_rev = keys(person, review)
    i = np.searchsorted(k_occ, k_rev, side="right") - 1
    valid = i >= 0
    i = np.maximum(i, 0)
    recent = valid & (occ.person[i] == person) & (review - occ.day[i] <= P.RAG_RECENT_OFFENCE_DAYS)
    level = np.where(recent, 2, level)
    rag = 2 - level  # schema.RAGS is (red, amber, green)
    order = np.lexsort((review, person))
    result = frame(
        "rag_reviews",
        {
            "person_id": person_ids(person[order], first_person),
            "review_date": dates(review[order]),
            "rag": codes(schema.RAGS, rag[order]),
        },
    )
    return result.unique(subset=["person_id", "review_date"], keep="first", maintain_order=True)


def employment(
    rng: np.random.Generator, mem: Memberships, occ: Occasions, as_of: int
) -> list[Interventions]:
    """Employment programmes offered to some people while managed."""
    pick = rng.random(mem.person.size) < P.P_EMPLOYMENT_PROGRAMME
    person = mem.person[pick]
    referral = mem.start[pick] + rng.integers(0, 91, person.size)
    keep = referral <= as_of
    person, referral = person[keep], referral[keep]
    if person.size == 0:
        return []
    k_occ = keys(occ.person, occ.day)
    i = np.searchsorted(k_occ, keys(person, referral), side="right")
    i_ok = np.minimum(i, occ.person.size - 1)
    next_day = np.where((i < occ.person.size) & (occ.person[i_ok] == person), occ.day[i_ok], NONE)
    return [
        _lifecycle(
            rng,
            person,
            P.INTERVENTION_KINDS.index("employment_programme"),
            referral,
            rng.integers(7, 46, person.size),
            rng.integers(90, 183, person.size),
            next_day,
            as_of,
            p_fail_reoffended=0.5,
            p_fail=0.1,
            p_withdrawn=0.3,
        )
    ]


def interventions_table(
    parts: list[Interventions], first_person: int, first_id: int
) -> pl.DataFrame:
    parts = [p for p in parts if p.person.size]
    if not parts:
        return empty("interventions")
    person = np.concatenate([p.person for p in parts])
    kind = np.concatenate([p.kind for p in parts])
    referral = np.concatenate([p.referral for p in parts])
    start = np.concatenate([p.start for p in parts])
    end = np.concatenate([p.end for p in parts])
    status = np.concatenate([p.status for p in parts])
    order = np.lexsort((kind, referral, person))
    person, kind, referral, start, end, status = (
        x[order] for x in (person, kind, referral, start, end, status)
    )
    return frame(
        "interventions",
        {
            "intervention_id": identifiers("I", first_id, person.size, ID_WIDTH_ROW),
            "person_id": person_ids(person, first_person),
            "kind": codes(P.INTERVENTION_KINDS, kind),
            "referral_date": dates(referral),
            "start_date": dates(start, start != NONE),
            "end_date": dates(end, end != NONE),
            "status": codes(schema.INTERVENTION_STATUSES, status),
        },
    )
