"""Offending careers: people, their occasions (offences charged together), disposals, custody.

The simulation is vectorised across people and steps through occasions: step ``k`` draws the
``k``-th occasion of every person whose career is still running, so the Python loop runs once
per occasion number (a few hundred times), never once per person. Each step decides the
offences, the disposal (from seriousness and the history so far), the custody that follows
(remand or recall before the outcome, the sentence after it, a recall for breach of licence),
and the date of the next occasion, which falls only after release: custody periods of one person
never overlap and nobody offends while inside.

Days are integers counted from 1970-01-01. Internally every date is its true value even when it
lies after the as-of date; the table builder blanks or drops such dates. The figures used are in
``params`` (local assumptions unless marked otherwise there).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from desist.dataset import schema
from desist.synth import params as P

NONE = -(10**9)
"""A date that does not exist (no arrest, no licence)."""

ROUTE_NFA, ROUTE_OUT_OF_COURT, ROUTE_COURT = 0, 1, 2
KIND_SENTENCE, KIND_REMAND, KIND_RECALL = (
    schema.CUSTODY_KINDS.index("sentence"),
    schema.CUSTODY_KINDS.index("remand"),
    schema.CUSTODY_KINDS.index("recall"),
)
SEX_M, SEX_F, SEX_U = (schema.SEXES.index(code) for code in ("M", "F", "U"))

CUM_GROUPS = P.group_probabilities()
CLASS_ARRAYS = {
    name: np.asarray(value, dtype=float)
    for name, value in {
        "onset_median": P.ONSET_AGE_MEDIAN_EXCESS,
        "onset_sigma": P.ONSET_AGE_SIGMA,
        "p_first": P.P_CONTINUE_FIRST,
        "hazard": P.CAREER_HAZARD,
        "gap_median": P.GAP_MEDIAN_DAYS,
        "gap_sigma": P.GAP_SIGMA,
        "extra": P.EXTRA_OFFENCES_MEAN,
        "extra_arrest": P.EXTRA_ARREST_P,
    }.items()
}


def choose(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One draw per row of a (rows x options) weight matrix: the chosen column index."""
    cum = np.cumsum(weights, axis=1)
    total = cum[:, -1:]
    u = rng.random((weights.shape[0], 1)) * total
    return np.minimum((u >= cum).sum(axis=1), weights.shape[1] - 1)


def lognormal_days(
    rng: np.random.Generator, median: np.ndarray | float, sigma: float | np.ndarray, size: int
) -> np.ndarray:
    """Whole days from a lognormal with this median (at least 0)."""
    draw = np.exp(np.log(median) + np.asarray(sigma) * rng.standard_normal(size))
    return np.rint(draw).astype(np.int64)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class People:
    """Person-level draws of one chunk (arrays of equal length)."""

    dob: np.ndarray
    sex: np.ndarray
    cls: np.ndarray
    profile: np.ndarray
    onset: np.ndarray
    rate: np.ndarray
    local_authority: np.ndarray
    ethnicity: np.ndarray
    given: np.ndarray
    family: np.ndarray

    @property
    def female(self) -> np.ndarray:
        return self.sex == SEX_F


def _onset_offsets(rng: np.random.Generator, n: int) -> np.ndarray:
    """Days before the as-of date of each person's first occasion (piecewise-linear density)."""
    span = P.ONSET_SPAN_YEARS * 365
    knots_x = np.array([-k[0] * 365 for k in P.ONSET_YEAR_WEIGHT_KNOTS], dtype=float)
    knots_w = np.array([k[1] for k in P.ONSET_YEAR_WEIGHT_KNOTS])
    order = np.argsort(knots_x)
    days = np.arange(span)
    weights = np.interp(days, knots_x[order], knots_w[order])
    cum = np.cumsum(weights)
    return np.searchsorted(cum, rng.random(n) * cum[-1]).astype(np.int64)


def draw_people(rng: np.random.Generator, n: int, as_of: int) -> People:
    """Sex, latent class, offending profile, onset date and age, and descriptive fields."""
    u = rng.random(n)
    sex = np.where(u < P.FEMALE_SHARE, SEX_F, SEX_M).astype(np.int8)
    sex[u > 1.0 - P.UNKNOWN_SEX_SHARE] = SEX_U
    female = sex == SEX_F
    shares = np.where(female[:, None], np.array(P.CLASS_SHARE_FEMALE), np.array(P.CLASS_SHARE_MALE))
    cls = choose(rng, shares).astype(np.int8)

    profile_rows = np.array(
        [
            P.PROFILE_SHARE[(sex_code, class_name)]
            for sex_code in ("M", "F")
            for class_name in P.CLASS_NAMES
        ]
    )
    profile = choose(rng, profile_rows[female.astype(int) * 3 + cls]).astype(np.int8)

    onset = as_of - _onset_offsets(rng, n)
    excess = np.exp(
        np.log(CLASS_ARRAYS["onset_median"][cls] + P.ONSET_AGE_FEMALE_SHIFT * female)
        + CLASS_ARRAYS["onset_sigma"][cls] * rng.standard_normal(n)
    )
    onset_age = np.minimum(10.0 + excess, P.ONSET_AGE_MAX)
    keep_x = np.array([-k[0] * 365 for k in P.JUVENILE_ONSET_KEEP_KNOTS], dtype=float)
    keep_w = np.array([k[1] for k in P.JUVENILE_ONSET_KEEP_KNOTS])
    order = np.argsort(keep_x)
    keep = np.interp(as_of - onset, keep_x[order], keep_w[order])
    moved = (onset_age < 18.0) & (rng.random(n) >= keep)
    onset_age = np.where(moved, 18.0 + (onset_age - 10.0), onset_age)
    rate = np.exp(P.RATE_SIGMA * rng.standard_normal(n))
    # 10 years plus three days at 365.25 days a year is always at least the tenth birthday.
    dob = onset - (3 + np.floor(onset_age * 365.25)).astype(np.int64)

    eth_codes = list(P.ETHNICITY)
    eth_w = np.array([P.ETHNICITY[c] for c in eth_codes])
    ethnicity = np.searchsorted(np.cumsum(eth_w / eth_w.sum()), rng.random(n)).astype(np.int16)
    ethnicity = np.minimum(ethnicity, len(eth_codes) - 1)
    ethnicity[rng.random(n) < P.ETHNICITY_MISSING_SHARE] = -1
    la_w = np.array(list(P.LOCAL_AUTHORITIES.values()), dtype=float)
    la = np.searchsorted(np.cumsum(la_w / la_w.sum()), rng.random(n)).astype(np.int16)
    la = np.minimum(la, len(la_w) - 1)
    la[rng.random(n) < P.LOCAL_AUTHORITY_MISSING_SHARE] = -1
    given_count = np.where(female, len(P.GIVEN_NAMES_FEMALE), len(P.GIVEN_NAMES_MALE))
    given = (rng.random(n) * given_count).astype(np.int16)
    family = rng.integers(0, len(P.FAMILY_NAMES), n).astype(np.int16)
    return People(dob, sex, cls, profile, onset, rate, la, ethnicity, given, family)


@dataclass
class Careers:
    """Everything the simulation decided, as flat arrays (occasion order: step, then person)."""

    # occasions
    person: np.ndarray
    step: np.ndarray
    day: np.ndarray
    n_offences: np.ndarray
    juvenile: np.ndarray
    seriousness: np.ndarray
    main_group: np.ndarray
    outcome: np.ndarray  # planned outcome index (pending is decided by the table builder)
    outcome_day: np.ndarray
    sentence: np.ndarray  # -1: none
    custody_days: np.ndarray  # 0: none
    arrest_day: np.ndarray  # NONE: no arrest
    arrest_outcome: np.ndarray
    next_day: np.ndarray  # NONE: no further occasion
    release_day: np.ndarray  # release from this occasion's sentence, NONE without custody
    # offences, in occasion order within each step; ``offence_occasion`` indexes occasions
    offence_occasion: np.ndarray
    offence_group: np.ndarray
    # custody periods
    custody_person: np.ndarray
    custody_start: np.ndarray
    custody_release: np.ndarray
    custody_kind: np.ndarray
    custody_licence_end: np.ndarray  # NONE: none
    # arrests with no offence recorded
    extra_person: np.ndarray
    extra_day: np.ndarray
    extra_group: np.ndarray
    extra_outcome: np.ndarray


def _draw_groups(rng: np.random.Generator, rows: np.ndarray) -> np.ndarray:
    u = rng.random(rows.size)
    return (u[:, None] >= CUM_GROUPS[rows]).sum(axis=1).clip(0, len(P.GROUPS) - 1)


def simulate(rng: np.random.Generator, people: People, as_of: int) -> Careers:
    """Run every career of the chunk up to the as-of date."""
    n = people.dob.size
    female = people.female.astype(np.int64)
    t = people.onset.copy()
    prev_sanctions = np.zeros(n, dtype=np.int64)
    prev_convictions = np.zeros(n, dtype=np.int64)
    prev_custody = np.zeros(n, dtype=np.int64)
    licence_end = np.full(n, NONE, dtype=np.int64)
    active_spell = rng.random(n) < P.P_ACTIVE_AT_ONSET
    active = np.arange(n)
    out: dict[str, list[np.ndarray]] = {f.name: [] for f in fields(Careers)}
    occasions_so_far = 0
    step = 0

    o_conv, o_nfa = P.o("conviction"), P.o("no_further_action")
    oocd_adult = np.array([P.o(c) for c in P.OUT_OF_COURT_ADULT])
    oocd_adult_w = np.array(list(P.OUT_OF_COURT_ADULT.values()))
    oocd_juv = np.array([P.o(c) for c in P.OUT_OF_COURT_JUVENILE])
    oocd_juv_w = np.array(list(P.OUT_OF_COURT_JUVENILE.values()))
    court = np.array([P.o(c) for c in P.COURT])
    court_w = np.array(list(P.COURT.values()))
    ncs_adult = np.array([P.s(c) for c in P.NON_CUSTODIAL_ADULT])
    ncs_adult_w = np.array(list(P.NON_CUSTODIAL_ADULT.values()))
    ncs_juv = np.array([P.s(c) for c in P.NON_CUSTODIAL_JUVENILE])
    ncs_juv_w = np.array(list(P.NON_CUSTODIAL_JUVENILE.values()))
    s_custody = P.s("custody")
    community_like = np.isin(ncs_adult, [P.s("suspended_sentence"), P.s("community_order")])
    low_like = np.isin(ncs_adult, [P.s("fine"), P.s("discharge")])
    o_pn = P.o("penalty_notice")
    arrest_codes = schema.ARREST_OUTCOMES
    a_charged, a_nfa, a_oocd, a_rui, a_bail, a_other = (
        arrest_codes.index(c)
        for c in (
            "charged",
            "no_further_action",
            "out_of_court_disposal",
            "released_under_investigation",
            "bail",
            "other",
        )
    )
    homicide = P.g("homicide")
    hist_factor = np.array(P.P_OUT_OF_COURT_HISTORY_FACTOR)
    oocd_by_ser = np.array(P.P_OUT_OF_COURT_BY_SERIOUSNESS)
    custody_median = np.array(P.CUSTODY_MEDIAN_DAYS)

    while active.size:
        a = active
        m = a.size
        day = t[a]
        age = (day - people.dob[a]) / 365.25
        juv = age < 18.0
        cls = people.cls[a]
        ps, pc, pcu = prev_sanctions[a], prev_convictions[a], prev_custody[a]

        # Offences charged together at this occasion, most serious first.
        n_off = 1 + rng.poisson(CLASS_ARRAYS["extra"][cls])
        occ_of_off = np.repeat(np.arange(m), n_off)
        row = people.profile[a].astype(np.int64) * 4 + female[a] * 2 + juv
        groups = _draw_groups(rng, row[occ_of_off])
        ser_off = P.SERIOUSNESS_BY_GROUP[groups]
        order = np.lexsort((-ser_off, occ_of_off))
        groups = groups[order]
        starts = np.concatenate(([0], np.cumsum(n_off)[:-1]))
        main = groups[starts]
        ser = P.SERIOUSNESS_BY_GROUP[main].astype(np.int64)

        # Route: no further action, out of court, or court.
        p_oocd = oocd_by_ser[ser - 1] * hist_factor[np.minimum(ps, 6)]
        p_oocd = np.minimum(p_oocd * np.where(juv, P.JUVENILE_OUT_OF_COURT_FACTOR, 1.0), 0.92)
        u = rng.random(m)
        route = np.where(
            u < P.P_NO_FURTHER_ACTION,
            ROUTE_NFA,
            np.where(
                u < P.P_NO_FURTHER_ACTION + (1 - P.P_NO_FURTHER_ACTION) * p_oocd,
                ROUTE_OUT_OF_COURT,
                ROUTE_COURT,
            ),
        )
        repeat = ps >= 2
        w_adult = np.tile(oocd_adult_w, (m, 1))
        w_adult[:, 3] *= P.PENALTY_BY_GROUP[main]
        w_adult[repeat, 2] *= 0.5
        w_adult[repeat, 3] *= 0.7
        w_juv = np.tile(oocd_juv_w, (m, 1))
        w_juv[repeat, 2] *= 0.5
        oocd = np.where(juv, oocd_juv[choose(rng, w_juv)], oocd_adult[choose(rng, w_adult)])
        court_outcome = court[choose(rng, np.tile(court_w, (m, 1)))]
        outcome = np.where(
            route == ROUTE_NFA, o_nfa, np.where(route == ROUTE_OUT_OF_COURT, oocd, court_outcome)
        )
        convicted = outcome == o_conv

        # Sentence.
        coef = np.where(
            juv[:, None], np.array(P.CUSTODY_LOGIT_JUVENILE), np.array(P.CUSTODY_LOGIT_ADULT)
        )
        logit = (
            coef[:, 0]
            + coef[:, 1] * (ser - 1)
            + coef[:, 2] * np.minimum(pc, 15)
            + coef[:, 3] * np.minimum(pcu, 4)
        )
        p_cust = np.where(ser == 5, np.maximum(sigmoid(logit), 0.9), sigmoid(logit))
        custody = convicted & (rng.random(m) < p_cust)
        w_nc = np.tile(ncs_adult_w, (m, 1))
        w_nc[:, community_like] *= np.where(ser >= 3, 2.0, 1.0)[:, None]
        w_nc[:, low_like] *= np.where(ser >= 3, 0.5, 1.0)[:, None]
        w_nc[:, community_like] *= np.where(pc >= 3, 1.5, 1.0)[:, None]
        w_nc[:, ncs_adult == P.s("discharge")] *= np.where(pc >= 3, 0.3, 1.0)[:, None]
        w_ncj = np.tile(ncs_juv_w, (m, 1))
        w_ncj[:, 0] *= np.where(pc >= 2, 2.0, 1.0)
        non_custodial = np.where(juv, ncs_juv[choose(rng, w_ncj)], ncs_adult[choose(rng, w_nc)])
        sentence = np.where(convicted, np.where(custody, s_custody, non_custodial), -1)
        median = custody_median[ser - 1] * (1 + P.CUSTODY_HISTORY_SLOPE * np.minimum(pc, 20))
        median = np.where(main == homicide, P.CUSTODY_HOMICIDE_MEDIAN_DAYS, median)
        cdays = np.maximum(lognormal_days(rng, median, P.CUSTODY_SIGMA, m), P.CUSTODY_MIN_DAYS)
        lo, hi = P.JUVENILE_CUSTODY_DAYS
        cdays = np.where(juv & (ser < 5), np.clip(cdays, lo, hi), cdays)
        cdays = np.where(custody, cdays, 0)

        # Arrest and outcome dates.
        arrest_delay = np.where(
            rng.random(m) < P.P_ARREST_AT_ONCE,
            0,
            np.minimum(rng.geometric(1.0 / P.ARREST_DELAY_MEAN, m), P.ARREST_DELAY_MAX),
        )
        court_median = np.where(ser >= 4, P.CROWN_DELAY_MEDIAN, P.MAGISTRATES_DELAY_MEDIAN)
        delay = np.where(
            route == ROUTE_COURT,
            1 + np.minimum(lognormal_days(rng, court_median, P.DELAY_SIGMA, m), P.COURT_DELAY_MAX),
            np.where(
                route == ROUTE_OUT_OF_COURT,
                np.minimum(
                    lognormal_days(rng, P.OUT_OF_COURT_DELAY_MEDIAN, P.DELAY_SIGMA, m),
                    P.OTHER_DELAY_MAX,
                ),
                np.minimum(
                    lognormal_days(rng, P.NFA_DELAY_MEDIAN, P.DELAY_SIGMA, m), P.OTHER_DELAY_MAX
                ),
            ),
        )
        arrest = day + arrest_delay
        outcome_day = arrest + delay
        pending = outcome_day > as_of
        penalty = outcome == o_pn
        p_arrest = np.where(
            route == ROUTE_COURT,
            P.P_ARREST["court"],
            np.where(
                route == ROUTE_NFA,
                P.P_ARREST["nfa"],
                np.where(penalty, P.P_ARREST["penalty"], P.P_ARREST["out_of_court"]),
            ),
        )
        arrested = (rng.random(m) < p_arrest) & (arrest <= as_of)
        ua = rng.random(m)
        arrest_outcome = np.select(
            [
                pending & (ua < 0.45),
                pending & (ua < 0.75),
                pending,
                route == ROUTE_OUT_OF_COURT,
                (route == ROUTE_NFA) & (ua < 0.8),
                route == ROUTE_NFA,
                ua < 0.85,
            ],
            [a_rui, a_bail, a_charged, a_oocd, a_nfa, a_rui, a_charged],
            a_bail,
        )

        # Custody before the outcome: a recall when on licence, otherwise perhaps remand.
        on_licence = day <= licence_end[a]
        recall = on_licence & (rng.random(m) < P.P_RECALL_ON_NEW_OFFENCE)
        p_remand = np.where(custody, P.P_REMAND_IF_CUSTODY, P.P_REMAND_OTHERWISE)
        remand = ~recall & (route == ROUTE_COURT) & (rng.random(m) < p_remand)
        pre_start = arrest
        recall_len = np.where(
            rng.random(m) < P.P_FIXED_TERM_RECALL,
            P.FIXED_TERM_RECALL_DAYS,
            np.minimum(
                lognormal_days(rng, P.STANDARD_RECALL_MEDIAN_DAYS, 0.6, m),
                np.maximum(licence_end[a] - pre_start, 14),
            ),
        )
        pre_release = np.where(
            remand, np.where(custody, outcome_day - 1, outcome_day), pre_start + recall_len
        )
        pre_release = np.where(
            recall & custody, np.minimum(pre_release, outcome_day - 1), pre_release
        )
        pre_release = np.maximum(pre_release, pre_start)
        pre = (recall | remand) & (pre_start <= as_of)
        credited = np.where(remand, outcome_day - pre_start, 0)

        # The sentence itself: release at about half, licence to the sentence end.
        sent_start = outcome_day
        sent_release = sent_start + np.maximum(
            0, np.rint(cdays * P.RELEASE_FRACTION).astype(np.int64) - credited
        )
        sent_licence = sent_start + cdays
        free_from = np.maximum(day, np.where(pre, pre_release, day))
        free_from = np.maximum(free_from, np.where(custody, sent_release, day))

        # Next occasion, if the career continues.
        spell = np.where(active_spell[a], P.ACTIVE_GAP_FACTOR, P.QUIET_GAP_FACTOR)
        gap_median = (
            CLASS_ARRAYS["gap_median"][cls]
            * spell
            / people.rate[a]
            * np.exp(P.GAP_AGE_SLOPE * np.maximum(age - 21.0, 0.0))
        )
        gap_median = gap_median * np.where(juv, P.GAP_JUVENILE_FACTOR, 1.0)
        if step < len(P.EARLY_GAP_FACTOR):
            gap_median = gap_median * P.EARLY_GAP_FACTOR[step]
        gap = 1 + lognormal_days(rng, gap_median, CLASS_ARRAYS["gap_sigma"][cls], m)
        hazard = CLASS_ARRAYS["hazard"][cls] * np.exp(
            P.CAREER_HAZARD_AGE_SLOPE * np.maximum(age - 25.0, 0.0)
        )
        cont = rng.exponential(1.0 / hazard) * 365.25 > gap
        if step == 0:
            cont &= rng.random(m) < CLASS_ARRAYS["p_first"][cls]
        next_day = free_from + gap

        # A recall for breach of licence conditions alone, between release and next occasion.
        licence_len = sent_licence - sent_release
        breach = (
            custody
            & (licence_len > 1)
            & (
                rng.random(m)
                < P.P_BREACH_RECALL + P.P_BREACH_RECALL_PER_CUSTODY * np.minimum(pcu, 5)
            )
        )
        br_start = (
            sent_release + 1 + (rng.random(m) * np.minimum(licence_len, 365)).astype(np.int64)
        )
        breach &= ~cont | (br_start < next_day)
        br_len = np.where(
            rng.random(m) < P.P_FIXED_TERM_RECALL,
            P.FIXED_TERM_RECALL_DAYS,
            np.minimum(
                lognormal_days(rng, P.STANDARD_RECALL_MEDIAN_DAYS, 0.6, m),
                np.maximum(sent_licence - br_start, 14),
            ),
        )
        br_end = br_start + br_len
        next_day = np.where(breach & (next_day <= br_end), br_end + gap, next_day)
        breach &= br_start <= as_of

        # An arrest with no offence recorded, while at liberty before the next occasion.
        window_end = np.where(cont, next_day, free_from + 730)
        extra_day = free_from + 1 + (rng.random(m) * (window_end - free_from - 1)).astype(np.int64)
        extra = (
            (rng.random(m) < CLASS_ARRAYS["extra_arrest"][cls])
            & (window_end - free_from > 2)
            & (extra_day <= as_of)
            & ~(breach & (extra_day >= br_start) & (extra_day <= br_end))
        )
        extra_groups = _draw_groups(rng, row[extra])
        ux = rng.random(int(extra.sum()))
        extra_outcome = np.select([ux < 0.75, ux < 0.9, ux < 0.95], [a_nfa, a_rui, a_other], a_bail)

        # Record the step.
        out["person"].append(a)
        out["step"].append(np.full(m, step, dtype=np.int32))
        out["day"].append(day)
        out["n_offences"].append(n_off)
        out["juvenile"].append(juv)
        out["seriousness"].append(ser.astype(np.int8))
        out["main_group"].append(main)
        out["outcome"].append(outcome)
        out["outcome_day"].append(outcome_day)
        out["sentence"].append(sentence)
        out["custody_days"].append(cdays)
        out["arrest_day"].append(np.where(arrested, arrest, NONE))
        out["arrest_outcome"].append(arrest_outcome)
        out["next_day"].append(np.where(cont, next_day, NONE))
        out["release_day"].append(np.where(custody, sent_release, NONE))
        out["offence_occasion"].append(occ_of_off + occasions_so_far)
        out["offence_group"].append(groups)
        sentenced = custody & ~pending
        out["custody_person"] += [a[pre], a[sentenced], a[breach]]
        out["custody_start"] += [pre_start[pre], sent_start[sentenced], br_start[breach]]
        out["custody_release"] += [pre_release[pre], sent_release[sentenced], br_end[breach]]
        out["custody_kind"] += [
            np.where(recall[pre], KIND_RECALL, KIND_REMAND),
            np.full(int(sentenced.sum()), KIND_SENTENCE),
            np.full(int(breach.sum()), KIND_RECALL),
        ]
        out["custody_licence_end"] += [
            np.full(int(pre.sum()), NONE),
            sent_licence[sentenced],
            np.full(int(breach.sum()), NONE),
        ]
        out["extra_person"].append(a[extra])
        out["extra_day"].append(extra_day[extra])
        out["extra_group"].append(extra_groups)
        out["extra_outcome"].append(extra_outcome)

        # Update the history and move on.
        prev_sanctions[a] += P.SANCTION_BY_OUTCOME[outcome]
        prev_convictions[a] += convicted
        prev_custody[a] += custody
        licence_end[a] = np.where(custody, sent_licence, licence_end[a])
        t[a] = next_day
        flip = rng.random(m) < np.where(active_spell[a], P.P_ACTIVE_TO_QUIET, P.P_QUIET_TO_ACTIVE)
        active_spell[a] ^= flip
        occasions_so_far += m
        step += 1
        active = a[cont & (next_day <= as_of)]

    return Careers(
        **{
            name: np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
            for name, parts in out.items()
        }
    )
