"""Selection criteria per scheme, as data: a versioned TOML file (``data/schemes.toml``).

The file's comments document each criterion. Loading validates the whole file and reports every
problem at once, each naming the scheme and the field. The criteria are a LOCAL CHOICE except
the Fixed cohort's offence groups, which are the neighbourhood crime groups of the 2025 National
IOM Operational Guidance (``lists.neighbourhood_crime_groups()``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desist.dataset.schema import COHORT_TYPES, SEXES
from desist.reference import lists
from desist.scoring.errors import SettingsError
from desist.scoring.settings import Reader

CRITERIA_FILE = Path(__file__).parent / "data" / "schemes.toml"
NEIGHBOURHOOD_CRIME = "neighbourhood_crime"
ANY = "any"
SCHEME_KEYS = {
    "label", "cohort_type", "scheme", "description", "offences", "arrests", "sex", "min_age",
    "max_age", "max_sanctions", "max_convictions", "max_arrests", "interventions",
    "released_within_months", "max_sentence_days", "min_score",
}  # fmt: skip


@dataclass(frozen=True)
class OffenceRule:
    """At least ``minimum`` counted offences in ``groups`` in the look-back."""

    groups: tuple[str, ...]
    minimum: int
    lookback_months: int
    domestic_abuse: bool = False
    min_custody_days: int | None = None
    named: str = ""

    def describe(self) -> str:
        what = self.named or ", ".join(self.groups)
        extra = " flagged domestic abuse" if self.domestic_abuse else ""
        custody = f" with {self.min_custody_days}+ custody days" if self.min_custody_days else ""
        return f"{what}{extra}{custody}"


@dataclass(frozen=True)
class SchemeCriteria:
    code: str
    label: str
    cohort_type: str
    scheme: str
    description: str
    offences: tuple[OffenceRule, ...] = ()
    arrests_min: int | None = None
    arrests_lookback_months: int = 12
    sex: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    max_sanctions: int | None = None
    max_convictions: int | None = None
    max_arrests: int | None = None
    interventions: tuple[str, ...] = ()
    released_within_months: int | None = None
    max_sentence_days: int | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class Criteria:
    version: str
    effective_date: dt.date
    basis: str
    other_panel_schemes: tuple[str, ...]
    schemes: dict[str, SchemeCriteria]
    source: str
    fingerprint: str


def _int(r: Reader, data: dict[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        r.fail(f"{where}{key}", f"must be a whole number, 0 or more: {value!r}")
        return None
    return value


def _codes(
    r: Reader, data: dict[str, Any], key: str, where: str, known: set[str]
) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        r.fail(f"{where}{key}", f"must be a list of codes: {value!r}")
        return ()
    for code in value:
        if code not in known:
            r.fail(f"{where}{key}", f"unknown code {code!r} (one of {', '.join(sorted(known))})")
    return tuple(value)


def _offence_rule(r: Reader, raw: Any, where: str) -> OffenceRule | None:
    if not isinstance(raw, dict):
        r.fail(where, f"must be a table {{groups, min, lookback_months}}, not {raw!r}")
        return None
    r.keys(raw, {"groups", "min", "lookback_months", "domestic_abuse", "min_custody_days"},
           where + ".")  # fmt: skip
    known = set(lists.offence_groups()) | {NEIGHBOURHOOD_CRIME, ANY}
    groups = _codes(r, raw, "groups", where + ".", known)
    named = ""
    expanded: set[str] = set()
    for group in groups:
        if group == NEIGHBOURHOOD_CRIME:
            expanded |= set(lists.neighbourhood_crime_groups())
            named = "neighbourhood crime"
        elif group == ANY:
            expanded |= set(lists.offence_groups())
            named = "any offence group"
        else:
            expanded.add(group)
    if not groups:
        r.fail(where + ".groups", "required: a list of offence groups")
    minimum = _int(r, raw, "min", where + ".")
    domestic = raw.get("domestic_abuse", False)
    if not isinstance(domestic, bool):
        r.fail(where + ".domestic_abuse", f"must be true or false: {domestic!r}")
        domestic = False
    return OffenceRule(
        groups=tuple(sorted(expanded)),
        minimum=1 if minimum is None else minimum,
        lookback_months=r.months(raw, "lookback_months", where + "."),
        domestic_abuse=domestic,
        min_custody_days=_int(r, raw, "min_custody_days", where + "."),
        named=named if len(groups) == 1 else "",
    )


def parse_criteria(text: str, source: str = "<criteria>") -> Criteria:
    """Validate and read criteria from TOML text; SettingsError lists every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{source}: not valid TOML: {error}") from None
    r = Reader(source)
    r.keys(raw, {"version", "effective_date", "basis", "other_panel_schemes", "schemes"}, "")
    version = r.version(raw)
    basis = r.string(raw, "basis")
    effective_date = r.effective_date(raw)
    schemes_known = set(lists.schemes())
    others = _codes(r, raw, "other_panel_schemes", "", schemes_known)
    schemes: dict[str, SchemeCriteria] = {}
    for code, body in r.table(raw, "schemes").items():
        where = f"schemes.{code}."
        if not isinstance(body, dict):
            r.fail(where.rstrip("."), f"must be a table, not {body!r}")
            continue
        r.keys(body, SCHEME_KEYS, where)
        cohort_type = body.get("cohort_type")
        if cohort_type not in COHORT_TYPES:
            r.fail(where + "cohort_type", f"must be one of {', '.join(COHORT_TYPES)}: "
                   f"{cohort_type!r}")  # fmt: skip
        scheme = body.get("scheme")
        if scheme not in schemes_known:
            r.fail(where + "scheme", f"unknown scheme {scheme!r} (one of "
                   f"{', '.join(sorted(schemes_known))})")  # fmt: skip
        rules_raw = body.get("offences", [])
        if not isinstance(rules_raw, list):
            r.fail(where + "offences", "must be a list of {groups, min, lookback_months}")
            rules_raw = []
        rules = [_offence_rule(r, item, f"{where}offences[{i}]") for i, item in
                 enumerate(rules_raw)]  # fmt: skip
        arrests = body.get("arrests")
        arrests_min: int | None = None
        arrests_months = 12
        if arrests is not None:
            if isinstance(arrests, dict):
                r.keys(arrests, {"min", "lookback_months"}, where + "arrests.")
                arrests_min = _int(r, arrests, "min", where + "arrests.")
                arrests_months = r.months(arrests, "lookback_months", where + "arrests.")
            else:
                r.fail(where + "arrests", f"must be a table {{min, lookback_months}}: {arrests!r}")
        min_age, max_age = _int(r, body, "min_age", where), _int(r, body, "max_age", where)
        if min_age is not None and max_age is not None and min_age > max_age:
            r.fail(where + "min_age", f"{min_age} is above max_age {max_age}")
        released = body.get("released_within_months")
        schemes[code] = SchemeCriteria(
            code=code,
            label=r.string(body, "label", where),
            cohort_type=str(cohort_type),
            scheme=str(scheme),
            description=str(body.get("description", "")),
            offences=tuple(rule for rule in rules if rule is not None),
            arrests_min=arrests_min,
            arrests_lookback_months=arrests_months,
            sex=_codes(r, body, "sex", where, set(SEXES)),
            min_age=min_age,
            max_age=max_age,
            max_sanctions=_int(r, body, "max_sanctions", where),
            max_convictions=_int(r, body, "max_convictions", where),
            max_arrests=_int(r, body, "max_arrests", where),
            interventions=_codes(r, body, "interventions", where, set(lists.intervention_kinds())),
            released_within_months=(
                r.months(body, "released_within_months", where) if released is not None else None
            ),
            max_sentence_days=_int(r, body, "max_sentence_days", where),
            min_score=r.number(body, "min_score", where, required=False),
        )
    if not schemes and not r.problems:
        r.fail("schemes", "no schemes defined")
    if r.problems:
        raise SettingsError("\n".join(r.problems))
    return Criteria(
        version=version,
        effective_date=effective_date,
        basis=basis,
        other_panel_schemes=others,
        schemes=schemes,
        source=source,
        fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def load_criteria(path: Path = CRITERIA_FILE) -> Criteria:
    """Read and validate a criteria file; SettingsError names the file and each field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such criteria file") from None
    except UnicodeDecodeError as error:
        raise SettingsError(f"{path}: not UTF-8 text: {error}") from None
    return parse_criteria(text, str(path))
