"""Every assumption of the synthetic generator, in one place, with where its figure comes from.

Figures marked ``sources.md §N`` come from ``shared/reference/sources.md``. Everything else is a
**local assumption**: chosen to look plausible and then tuned so that the proven reoffending
figures computed on the output (measures.md §1) land near the published national ones
(sources.md §2.2 and §7.3). ``docs/synthetic-data.md`` lists each assumption and the figures
reached. Codes are never spelled out as lists here: they come from ``desist.reference.lists``
and ``desist.dataset.schema``; the weights below only name codes, and ``check_codes`` (run by
the tests) fails when a name is not one of those lists.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from desist.dataset import schema
from desist.reference import lists

# --- Codes, in the order of the reference lists ----------------------------------------------

GROUPS: tuple[str, ...] = tuple(lists.offence_groups())
OUTCOMES: tuple[str, ...] = tuple(lists.outcomes())
SENTENCES: tuple[str, ...] = tuple(lists.sentences())
SCHEMES: tuple[str, ...] = tuple(lists.schemes())
INTERVENTION_KINDS: tuple[str, ...] = tuple(lists.intervention_kinds())
SANCTIONS: frozenset[str] = lists.sanction_outcomes()
NEIGHBOURHOOD: frozenset[str] = lists.neighbourhood_crime_groups()


def g(code: str) -> int:
    """Index of an offence group code."""
    return GROUPS.index(code)


def o(code: str) -> int:
    """Index of an outcome code."""
    return OUTCOMES.index(code)


def s(code: str) -> int:
    """Index of a sentence code."""
    return SENTENCES.index(code)


# --- People ----------------------------------------------------------------------------------

FEMALE_SHARE = 0.15
"""Share of offenders who are women: the brief's "~15% of offenders" (local assumption)."""
UNKNOWN_SEX_SHARE = 0.003
"""Share recorded with sex U (not known): local assumption, to exercise the code."""

ONSET_SPAN_YEARS = 46
"""First offences are spread over the 46 years before the as-of date (local assumption): the
data set is a partnership's people with their whole recorded history."""
ONSET_YEAR_WEIGHT_KNOTS: tuple[tuple[int, float], ...] = ((-46, 0.45), (-18, 1.0), (0, 0.6))
"""Relative number of first offences by year, as (years before as-of, weight), linear between
the knots (local assumption: first-time entrants rose to a peak in the late 2000s and fell
since)."""

ETHNICITY: Mapping[str, float] = {
    "W1": 0.62,
    "W2": 0.01,
    "W9": 0.05,
    "M1": 0.04,
    "M2": 0.01,
    "M3": 0.01,
    "M9": 0.01,
    "A1": 0.03,
    "A2": 0.07,
    "A3": 0.01,
    "A9": 0.01,
    "B1": 0.04,
    "B2": 0.02,
    "B9": 0.01,
    "O1": 0.002,
    "O9": 0.008,
    "NS": 0.05,
}
"""Self-defined ethnicity (the police "16+1" code set; criminaljusticehub.org.uk jargon buster,
"Ethnicity Self Defined Code"). The shares are an illustrative local assumption, not a
published distribution; ``ethnicity`` is left empty for a further share."""
ETHNICITY_MISSING_SHARE = 0.04

LOCAL_AUTHORITIES: Mapping[str, float] = {
    "Birmingham": 1145,
    "Coventry": 345,
    "Dudley": 324,
    "Sandwell": 342,
    "Solihull": 216,
    "Walsall": 284,
    "Wolverhampton": 264,
}
"""The seven West Midlands metropolitan authorities (the "seven LOMUs" of DOMAIN.md), weighted
by approximate resident population in thousands (rounded 2021 census figures; weights only,
local assumption). Place names are not personal data."""
LOCAL_AUTHORITY_MISSING_SHARE = 0.01

# --- Offending careers -----------------------------------------------------------------------
# An occasion is one date on which a person commits one or more offences that are dealt with
# together. Three latent classes, a personal rate multiplier and active/quiet spells give the
# heavy-tailed mix of individual offending rates: most people have one or two occasions, a small
# prolific group has many. "About 100,000 offenders commit about 50% of crime; the most active
# 5,000 about 9%" (sources.md §5, PPO strategy material 2004) is the shape aimed at. Class
# shares, onset, continuation and gaps are local assumptions, tuned so that the proven
# reoffending figures land near sources.md §2.2 (docs/synthetic-data.md has the result).

CLASS_NAMES = ("occasional", "repeat", "prolific")
CLASS_SHARE_MALE = (0.60, 0.29, 0.11)
CLASS_SHARE_FEMALE = (0.70, 0.24, 0.06)

ONSET_AGE_MEDIAN_EXCESS = (9.0, 6.5, 4.5)
"""Onset age = 10 + a lognormal excess with this median per class, so onset is mostly 12-25 and
earlier for the prolific (age-crime curve; local assumption). Women start 2 years later."""
ONSET_AGE_SIGMA = (0.75, 0.65, 0.5)
ONSET_AGE_FEMALE_SHIFT = 2.0
ONSET_AGE_MAX = 80.0

JUVENILE_ONSET_KEEP_KNOTS: tuple[tuple[int, float], ...] = ((-46, 1.0), (-18, 1.0), (0, 0.35))
"""Chance that an onset drawn under 18 stays under 18, by years before as-of (else it moves to
18-26): youth first-time entrants fell faster than adult ones in recent years, so juveniles are
a small part of a recent reoffending cohort (local assumption, tuned)."""

P_CONTINUE_FIRST = (0.22, 0.93, 0.985)
"""Chance of any occasion after the first, per class (local assumption, tuned)."""
CAREER_HAZARD = (0.45, 0.08, 0.04)
"""Yearly hazard of desisting at age 25 or under, per class (local assumption, tuned)."""
CAREER_HAZARD_AGE_SLOPE = 0.06
"""The desistance hazard grows by this factor per year of age above 25: desistance with age
(local assumption)."""
RATE_SIGMA = 0.9
"""Spread (lognormal sigma) of each person's own offending rate around their class's: gaps are
divided by the person's multiplier (local assumption, tuned)."""
GAP_MEDIAN_DAYS = (1640.0, 1080.0, 730.0)
"""Median days at liberty between occasions, per class (local assumption, tuned)."""
GAP_SIGMA = (0.9, 0.9, 0.9)
"""Lognormal sigma of each gap around its median (local assumption)."""
ACTIVE_GAP_FACTOR = 0.45
QUIET_GAP_FACTOR = 2.2
P_ACTIVE_AT_ONSET = 0.5
P_ACTIVE_TO_QUIET = 0.15
P_QUIET_TO_ACTIVE = 0.25
"""Careers alternate between active and quiet spells that persist over several occasions; gaps
are shorter in an active spell. Persistence is what makes a person selected at a peak keep
offending for a while after adoption (local assumption, tuned with the offending tracker)."""
EARLY_GAP_FACTOR = (1.2, 1.4, 1.2)
"""The gaps after the first, second and third occasions are longer by these factors: offending
accelerates over the first occasions of a career (local assumption, tuned to the low
reoffending of people with no previous offences, sources.md §2.2)."""
GAP_JUVENILE_FACTOR = 0.65
"""Gaps are shorter under 18 (local assumption, tuned to the juvenile rate, sources.md §2.2)."""
GAP_AGE_SLOPE = 0.025
"""Gaps lengthen by this factor per year of age above 21 (local assumption)."""

EXTRA_OFFENCES_MEAN = (0.35, 0.9, 1.45)
"""Offences charged together at one occasion: 1 + Poisson(this mean), per class (tuned: it
sets reoffences per reoffender, sources.md §2.2: 2.79 to 2.9)."""

EXTRA_ARREST_P = (0.04, 0.15, 0.3)
"""Chance of an arrest with no offence recorded in the gap after an occasion (local)."""

# --- Offending profiles: what people offend ---------------------------------------------------

# fmt: off
PROFILE_NAMES = ("acquisitive", "violent", "versatile", "drugs", "motoring", "domestic_abuse",
                 "sexual", "other")

PROFILE_GROUP_WEIGHTS: Mapping[str, Mapping[str, float]] = {
    "acquisitive": {
        "shoplifting": 35, "other_theft": 10, "burglary_residential": 6, "burglary_business": 4,
        "vehicle_theft": 3, "theft_from_vehicle": 4, "theft_from_person": 2,
        "handling_stolen_goods": 4, "fraud": 3, "drug_possession": 8, "criminal_damage": 4,
        "public_order": 3, "absconding_or_bail": 3, "breach_of_order": 4,
        "violence_without_injury": 3, "violence_with_injury": 2, "robbery_personal": 1,
        "robbery_business": 0.2, "possession_of_weapons": 1, "other_summary": 1,
    },
    "violent": {
        "violence_with_injury": 25, "violence_without_injury": 25, "public_order": 12,
        "criminal_damage": 12, "possession_of_weapons": 5, "robbery_personal": 2,
        "drug_possession": 4, "breach_of_order": 4, "other_summary": 3, "arson": 1,
        "homicide": 0.05, "other_sexual": 1, "shoplifting": 3, "other_theft": 2, "motoring": 2,
    },
    "versatile": {
        "shoplifting": 15, "other_theft": 7, "violence_with_injury": 9,
        "violence_without_injury": 10, "criminal_damage": 9, "public_order": 7,
        "drug_possession": 8, "burglary_residential": 3, "burglary_business": 2,
        "vehicle_theft": 3, "theft_from_vehicle": 3, "theft_from_person": 1,
        "robbery_personal": 2, "robbery_business": 0.4, "handling_stolen_goods": 2, "fraud": 2,
        "possession_of_weapons": 3, "drug_supply": 2, "motoring": 4, "drink_driving": 1,
        "absconding_or_bail": 2, "breach_of_order": 3, "other_summary": 2, "other": 1,
        "arson": 0.3, "homicide": 0.01,
    },
    "drugs": {
        "drug_possession": 35, "drug_supply": 25, "possession_of_weapons": 8,
        "violence_with_injury": 4, "violence_without_injury": 4, "public_order": 4,
        "motoring": 6, "robbery_personal": 2, "other_theft": 3, "shoplifting": 3,
        "handling_stolen_goods": 2, "breach_of_order": 2, "absconding_or_bail": 2,
        "homicide": 0.02,
    },
    "motoring": {
        "motoring": 50, "drink_driving": 30, "vehicle_theft": 3, "criminal_damage": 2,
        "public_order": 3, "violence_without_injury": 3, "other_summary": 5, "fraud": 2,
        "drug_possession": 2,
    },
    "domestic_abuse": {
        "violence_with_injury": 30, "violence_without_injury": 30, "criminal_damage": 15,
        "public_order": 8, "breach_of_order": 10, "other_sexual": 1, "rape": 0.5,
        "possession_of_weapons": 1, "arson": 0.5, "other_summary": 2, "homicide": 0.03,
    },
    "sexual": {
        "other_sexual": 40, "sexual_child": 30, "rape": 15, "violence_without_injury": 5,
        "violence_with_injury": 3, "other": 5, "public_order": 2,
    },
    "other": {
        "fraud": 40, "other": 15, "other_summary": 15, "handling_stolen_goods": 8,
        "other_theft": 10, "motoring": 7, "public_order": 5,
    },
}
"""Offence mix per profile (relative weights; local assumption). Shoplifting, violence, theft,
drugs and criminal damage are common, homicide very rare, as the brief asks."""

PROFILE_SHARE: Mapping[tuple[str, str], tuple[float, ...]] = {
    # (sex, class): shares in PROFILE_NAMES order
    ("M", "occasional"): (0.20, 0.22, 0.06, 0.12, 0.20, 0.08, 0.04, 0.08),
    ("M", "repeat"): (0.26, 0.20, 0.18, 0.12, 0.06, 0.12, 0.01, 0.05),
    ("M", "prolific"): (0.44, 0.10, 0.30, 0.07, 0.01, 0.07, 0.002, 0.008),
    ("F", "occasional"): (0.36, 0.20, 0.05, 0.05, 0.12, 0.05, 0.003, 0.167),
    ("F", "repeat"): (0.52, 0.16, 0.14, 0.05, 0.03, 0.06, 0.0, 0.04),
    ("F", "prolific"): (0.60, 0.10, 0.20, 0.04, 0.0, 0.05, 0.0, 0.01),
}
"""Which profile a person has, by sex and class (local assumption)."""

JUVENILE_GROUP_FACTOR: Mapping[str, float] = {
    "motoring": 0.1,
    "drink_driving": 0.05,
    "fraud": 0.3,
    "shoplifting": 1.3,
    "criminal_damage": 1.5,
    "robbery_personal": 1.5,
    "rape": 0.5,
}
"""Under-18s drive less and commit less fraud; more criminal damage and robbery (local)."""

DOMESTIC_ABUSE_GROUPS: frozenset[str] = frozenset(
    {
        "violence_with_injury", "violence_without_injury", "criminal_damage", "public_order",
        "breach_of_order", "other_sexual", "rape", "homicide", "arson",
    }
)
DA_FLAG_P_PERPETRATOR = 0.85
"""Share of a domestic-abuse perpetrator's offences in DOMESTIC_ABUSE_GROUPS flagged as domestic
abuse (local assumption)."""
DA_FLAG_P_OTHER = 0.04

SERIOUSNESS: Mapping[str, int] = {
    "homicide": 5, "rape": 5, "sexual_child": 5,
    "robbery_personal": 4, "robbery_business": 4, "burglary_residential": 4, "drug_supply": 4,
    "violence_with_injury": 3, "possession_of_weapons": 3, "arson": 3, "other_sexual": 3,
    "burglary_business": 3, "vehicle_theft": 3,
    "fraud": 2, "handling_stolen_goods": 2, "theft_from_person": 2, "theft_from_vehicle": 2,
    "violence_without_injury": 2, "absconding_or_bail": 2, "breach_of_order": 2,
    "drink_driving": 2, "other": 2,
    "shoplifting": 1, "other_theft": 1, "criminal_damage": 1, "drug_possession": 1,
    "public_order": 1, "motoring": 1, "other_summary": 1,
}
"""Seriousness band 1 (least) to 5 of each group, used to choose disposals and sentence lengths.
A local assumption loosely ordered like the CCHI medians of sources.md §4.1."""

PENALTY_NOTICE_GROUPS: frozenset[str] = frozenset(
    {"shoplifting", "other_theft", "public_order", "criminal_damage", "drug_possession",
     "motoring", "other_summary"}
)
"""Groups for which a penalty notice is a possible disposal (local assumption)."""
# fmt: on

# --- Disposals -------------------------------------------------------------------------------
# Outcomes depend on seriousness and history: first offences more often out of court, repeat
# offenders convicted and then imprisoned. All local assumptions, tuned with the reoffending
# figures (only sanctions count as proven reoffences, measures.md §1).

P_NO_FURTHER_ACTION = 0.06
P_OUT_OF_COURT_BY_SERIOUSNESS = (0.62, 0.50, 0.22, 0.03, 0.0)
P_OUT_OF_COURT_HISTORY_FACTOR = (1.0, 0.7, 0.5, 0.3, 0.3, 0.3, 0.12)
"""Multiplier by previous sanction occasions 0, 1, 2, 3, 4, 5, 6+."""
JUVENILE_OUT_OF_COURT_FACTOR = 1.25

OUT_OF_COURT_ADULT: Mapping[str, float] = {
    "caution": 0.36,
    "conditional_caution": 0.16,
    "community_resolution": 0.34,
    "penalty_notice": 0.14,
}
OUT_OF_COURT_JUVENILE: Mapping[str, float] = {
    "youth_caution": 0.36,
    "youth_conditional_caution": 0.2,
    "community_resolution": 0.44,
}
COURT: Mapping[str, float] = {"conviction": 0.87, "not_guilty": 0.07, "no_further_action": 0.06}
"""Court outcomes; no_further_action here stands for a charge withdrawn or discontinued."""
P_SECONDARY_WITHDRAWN = 0.12
"""Share of the other charges of a convicted occasion that are withdrawn (local)."""

CUSTODY_LOGIT_ADULT = (-4.4, 0.85, 0.17, 0.45)
"""Adult custody: logit = a + b*(seriousness-1) + c*min(previous convictions, 15)
+ d*min(previous custody, 4) (local assumption, tuned)."""
CUSTODY_LOGIT_JUVENILE = (-6.2, 0.95, 0.15, 0.5)
CUSTODY_MEDIAN_DAYS = (45.0, 90.0, 180.0, 540.0, 2900.0)
"""Median custodial sentence by seriousness band (local assumption)."""
CUSTODY_HOMICIDE_MEDIAN_DAYS = 6000.0
CUSTODY_SIGMA = 0.6
CUSTODY_HISTORY_SLOPE = 0.04
CUSTODY_MIN_DAYS = 7
JUVENILE_CUSTODY_DAYS = (120, 730)
"""Detention and training orders run from 4 to 24 months."""
RELEASE_FRACTION = 0.5
"""Release at about half the sentence, on licence to the sentence end (the brief)."""

NON_CUSTODIAL_ADULT: Mapping[str, float] = {
    "suspended_sentence": 0.10,
    "community_order": 0.26,
    "fine": 0.40,
    "discharge": 0.16,
    "other": 0.08,
}
NON_CUSTODIAL_JUVENILE: Mapping[str, float] = {
    "youth_rehabilitation_order": 0.35,
    "other": 0.42,
    "fine": 0.06,
    "discharge": 0.17,
}
"""For juveniles ``other`` stands for a referral order (local assumption)."""

P_REMAND_IF_CUSTODY = 0.35
P_REMAND_OTHERWISE = 0.03
P_RECALL_ON_NEW_OFFENCE = 0.65
"""Chance that a new offence during licence brings a recall (local assumption)."""
P_BREACH_RECALL = 0.14
"""Chance of a recall for breach of licence conditions alone, per release on licence."""
P_BREACH_RECALL_PER_CUSTODY = 0.03
FIXED_TERM_RECALL_DAYS = 28
P_FIXED_TERM_RECALL = 0.55
STANDARD_RECALL_MEDIAN_DAYS = 110.0

# --- Delays ----------------------------------------------------------------------------------

P_ARREST_AT_ONCE = 0.6
ARREST_DELAY_MEAN = 12.0
ARREST_DELAY_MAX = 60
OUT_OF_COURT_DELAY_MEDIAN = 8.0
NFA_DELAY_MEDIAN = 25.0
MAGISTRATES_DELAY_MEDIAN = 70.0
CROWN_DELAY_MEDIAN = 260.0
DELAY_SIGMA = 0.7
COURT_DELAY_MAX = 730
OTHER_DELAY_MAX = 180
"""Days from offence (or arrest) to outcome: lognormal with these medians, capped, so cases
still pending at the as-of date are recent ones (local assumption)."""
# fmt: off
P_ARREST: Mapping[str, float] = {"court": 0.92, "out_of_court": 0.75, "penalty": 0.3,
                                 "nfa": 0.9}
"""Most offences are preceded by an arrest (local assumption)."""
# fmt: on

# --- Integrated offender management ----------------------------------------------------------

MANAGEMENT_YEARS = 12
"""Cohort memberships start within the last 12 years (local assumption)."""
SELECTION_WINDOW_DAYS = 365
SELECTION_THRESHOLD = 5.0
SELECTION_SCALE = 1.5
SELECTION_P_MAX = 0.3
"""At each occasion in the management era a person may be picked for IOM, with a chance that
rises with their selection score (offences in the past SELECTION_WINDOW_DAYS, +1.5 for a
seriousness of 4-5, +1 for neighbourhood crime): logistic in (score - threshold)/scale, capped
at SELECTION_P_MAX. The first pick is the adoption point (a periodic review adopting people as
they cross the threshold). No published RFG formula exists (sources.md §5): this is a local
stand-in. It gives a before/during fall of about 55-60% with no effect of management at all;
West Midlands reported -40.8% (DOMAIN.md §5)."""
SELECTION_P_DA = 0.06
SELECTION_THRESHOLD_DA = 2.0
SELECTION_P_WOMEN = 0.05
SELECTION_THRESHOLD_WOMEN = 2.0
SELECTION_P_YOUTH = 0.06
SELECTION_THRESHOLD_YOUTH = 4.0
"""Lower thresholds for domestic-abuse perpetrators, adult women and juveniles, whose schemes
take people with less offending (local assumption)."""
TIER_SCORES = (4.0, 6.0, 9.0)
"""Selection scores from which a person is tier 3, 2 and 1 (tier 1 = highest risk; below the
first, tier 4), before a one-step random move for a fifth of people (local assumption)."""
P_YOUTH_SCHEME_JUVENILE = 0.6
P_YOUTH_SCHEME_YOUNG_ADULT = 0.15
MEMBERSHIP_MEDIAN_DAYS = 420.0
MEMBERSHIP_SIGMA = 0.6
"""Time managed before de-selection: lognormal, median about 14 months (local assumption)."""
P_SECOND_MEMBERSHIP = 0.15
P_CONCURRENT_MEMBERSHIP = 0.06
"""Chance of a re-adoption after de-selection, and of a second, concurrent scheme (local)."""
RAG_START = (0.5, 0.4, 0.1)
"""First RAG at adoption: red, amber, green (local assumption)."""
RAG_STEP = (0.15, 0.72, 0.13)
"""Monthly move: improve, stay, worsen (local assumption); an offence in the 45 days before a
review makes it red."""
RAG_INTERVAL_DAYS = 30.4
RAG_RECENT_OFFENCE_DAYS = 45

# --- Interventions ---------------------------------------------------------------------------

P_DRR = 0.25
P_ATR = 0.14
DRR_DAYS = (182, 365)
ATR_DAYS = (120, 182)
P_FAIL_IF_REOFFENDED = 0.75
P_WITHDRAWN = 0.1
P_FAIL_OTHERWISE = 0.06
P_VICTIM_AWARENESS = 0.35
P_CONDITIONAL_CAUTION_CONDITIONS = 0.9
P_COMMUNITY_RESOLUTION_CONDITIONS = 0.25
P_RESTORATIVE_L1 = 0.1
P_RESTORATIVE_L2 = 0.03
P_MHTR = 0.03
P_OTHER_INTERVENTION = 0.02
P_EMPLOYMENT_PROGRAMME = 0.35

# --- Names (invented lists of common English names; no real person is described) -------------

# fmt: off
GIVEN_NAMES_MALE = (
    "James", "John", "David", "Michael", "Paul", "Mark", "Andrew", "Richard", "Daniel",
    "Thomas", "Christopher", "Matthew", "Steven", "Robert", "Peter", "Lee", "Craig", "Darren",
    "Jamie", "Ryan", "Liam", "Connor", "Jordan", "Kyle", "Callum", "Jack", "Harry", "Oliver",
    "George", "Alfie", "Charlie", "Joshua", "Nathan", "Adam", "Ben", "Sam", "Luke", "Scott",
    "Dean", "Wayne", "Gary", "Kevin", "Stephen", "Anthony", "Simon", "Carl", "Jason", "Ashley",
)
GIVEN_NAMES_FEMALE = (
    "Sarah", "Emma", "Laura", "Claire", "Lisa", "Michelle", "Nicola", "Kelly", "Rebecca",
    "Gemma", "Amy", "Hannah", "Jessica", "Charlotte", "Sophie", "Chloe", "Lauren", "Megan",
    "Amelia", "Olivia", "Emily", "Ellie", "Jade", "Stacey", "Donna", "Tracey", "Karen",
    "Julie", "Joanne", "Helen", "Rachel", "Natalie", "Danielle", "Leanne", "Zoe", "Katie",
)
FAMILY_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke", "Harris", "Lewis", "Edwards", "Turner", "Hill", "Moore", "Cooper",
    "Ward", "Morris", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
    "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
    "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
    "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams",
    "Singh", "Begum", "Ali", "Hussain", "Ahmed", "Patel", "Campbell", "Hughes", "Fisher",
)
# fmt: on


# --- Derived arrays --------------------------------------------------------------------------


def _weights(mapping: Mapping[str, float], codes: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(len(codes))
    for code, weight in mapping.items():
        out[codes.index(code)] = weight
    return out / out.sum()


def group_probabilities() -> np.ndarray:
    """Rows (profile, female, juvenile) -> cumulative probabilities over GROUPS.

    Row index = profile * 4 + female * 2 + juvenile. Women's mix is the same profile mix
    (their profile shares already differ).
    """
    rows = []
    factors = np.ones(len(GROUPS))
    for code, factor in JUVENILE_GROUP_FACTOR.items():
        factors[g(code)] = factor
    for name in PROFILE_NAMES:
        base = _weights(PROFILE_GROUP_WEIGHTS[name], GROUPS)
        for _female in (0, 1):
            for juvenile in (0, 1):
                p = base * factors if juvenile else base
                rows.append(np.cumsum(p / p.sum()))
    cum = np.array(rows)
    cum[:, -1] = 1.0
    return cum


SERIOUSNESS_BY_GROUP = np.array([SERIOUSNESS[code] for code in GROUPS], dtype=np.int8)
NEIGHBOURHOOD_BY_GROUP = np.array([code in NEIGHBOURHOOD for code in GROUPS])
PENALTY_BY_GROUP = np.array([code in PENALTY_NOTICE_GROUPS for code in GROUPS])
DA_BY_GROUP = np.array([code in DOMESTIC_ABUSE_GROUPS for code in GROUPS])
SANCTION_BY_OUTCOME = np.array([code in SANCTIONS for code in OUTCOMES])


def check_codes() -> None:
    """Fail loudly if a code named above is not in the reference lists or the schema."""
    for profile in PROFILE_GROUP_WEIGHTS.values():
        for code in profile:
            assert code in GROUPS, code
    for mapping in (JUVENILE_GROUP_FACTOR, SERIOUSNESS):
        for code in mapping:
            assert code in GROUPS, code
    assert set(SERIOUSNESS) == set(GROUPS)
    for frozen in (DOMESTIC_ABUSE_GROUPS, PENALTY_NOTICE_GROUPS):
        assert frozen <= set(GROUPS)
    for mapping in (OUT_OF_COURT_ADULT, OUT_OF_COURT_JUVENILE, COURT):
        assert set(mapping) <= set(OUTCOMES)
    for mapping in (NON_CUSTODIAL_ADULT, NON_CUSTODIAL_JUVENILE):
        assert set(mapping) <= set(SENTENCES)
    assert set(PROFILE_NAMES) == set(PROFILE_GROUP_WEIGHTS)
    assert {"M", "F", "U"} <= set(schema.SEXES)
