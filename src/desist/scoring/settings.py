"""Selection matrix settings: a partnership's weights, look-back windows and thresholds as data.

A settings file is TOML with a ``version`` and an ``effective_date``. Versions live side by side
(``data/matrix/`` ships desist's default); a selection made on a date uses the version in force
on that date, and every score records the version and a fingerprint of the file, so a past
selection can be reproduced exactly. The shipped defaults are a LOCAL CHOICE, not a published
method: no published recency-frequency-gravity formula exists (sources.md section 5).

Loading validates the whole file and reports every problem at once, each naming the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desist.reference import lists
from desist.scoring.errors import SettingsError

DATA_DIR = Path(__file__).parent / "data"
SETTINGS_DIR = DATA_DIR / "matrix"
CCHI_FILE = DATA_DIR / "cchi_medians.csv"
SANCTION = "sanction"
METHODS = ("weights", "harm")
TRANSFORMS = ("log1p", "days")


@dataclass(frozen=True)
class RecencyBand:
    within_months: int
    points: float


@dataclass(frozen=True)
class Window:
    """Points per record in a look-back window, capped at ``max_points`` (None: no cap)."""

    lookback_months: int
    points: float
    max_points: float | None


@dataclass(frozen=True)
class MatrixSettings:
    """One version of the matrix settings (see the module docstring)."""

    name: str
    version: str
    effective_date: dt.date
    basis: str
    description: str
    outcomes: tuple[str, ...]
    recency: tuple[RecencyBand, ...]
    frequency: Window
    gravity_lookback_months: int
    gravity_method: str
    gravity_max_points: float | None
    gravity_weights: dict[str, float] = field(hash=False)
    gravity_notes: dict[str, str] = field(hash=False)
    arrests: Window | None
    grade_high: float
    grade_medium: float
    minimum_score: float
    source: str = ""
    fingerprint: str = ""

    def counted_outcomes(self) -> list[str]:
        """The outcome codes counted, with ``sanction`` expanded (measures.md, Terms)."""
        codes: set[str] = set()
        for code in self.outcomes:
            codes |= set(lists.sanction_outcomes()) if code == SANCTION else {code}
        return sorted(codes)

    def grade(self, score: float) -> str:
        if score >= self.grade_high:
            return "high"
        return "medium" if score >= self.grade_medium else "low"

    def label(self) -> str:
        return f"{self.name} v{self.version} (effective {self.effective_date})"


def cchi_medians() -> dict[str, tuple[float | None, str, str]]:
    """CCHI subgroup median days by offence group: (days or None, subgroup, note)."""
    with CCHI_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["offence_group"]: (
                float(row["median_days"]) if row["median_days"] else None,
                row["cchi_subgroup"],
                row["note"],
            )
            for row in csv.DictReader(handle)
        }


class Reader:
    """Reads typed values out of the parsed TOML, collecting every problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}: {where}: {message}")

    def table(self, data: dict[str, Any], key: str, where: str = "") -> dict[str, Any]:
        path = f"{where}{key}"
        value = data.get(key)
        if value is None:
            self.fail(path, "missing (a [" + path + "] table is required)")
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"must be a table, not {value!r}")
            return {}
        return value

    def keys(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                near = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                self.fail(f"{where}{key}", f"unknown setting{hint}")

    def string(self, data: dict[str, Any], key: str, where: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}{key}", "required: a non-empty string")
            return ""
        return value

    def number(
        self, data: dict[str, Any], key: str, where: str = "", *, required: bool = True
    ) -> float | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.fail(f"{where}{key}", f"must be a number, not {value!r}")
            return None
        if value < 0:
            self.fail(f"{where}{key}", f"must not be negative: {value!r}")
            return None
        return float(value)

    def version(self, data: dict[str, Any]) -> str:
        """The top-level ``version``, a non-empty string (a bare TOML number is accepted)."""
        value = data.get("version")
        if isinstance(value, int | float) and not isinstance(value, bool):
            data["version"] = str(value)
        return self.string(data, "version")

    def effective_date(self, data: dict[str, Any]) -> dt.date:
        """The top-level ``effective_date``: a TOML date or a YYYY-MM-DD string."""
        value = data.get("effective_date")
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                self.fail("effective_date", f"not a date (YYYY-MM-DD): {value!r}")
        else:
            self.fail("effective_date", f"required: a date (YYYY-MM-DD), not {value!r}")
        return dt.date(1970, 1, 1)

    def months(self, data: dict[str, Any], key: str, where: str = "") -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(f"{where}{key}", f"must be a whole number of months, 1 or more: {value!r}")
            return 1
        return value


def parse_settings(text: str, source: str = "<settings>") -> MatrixSettings:
    """Validate and read settings from TOML text; SettingsError lists every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{source}: not valid TOML: {error}") from None
    r = Reader(source)
    r.keys(
        raw,
        {"name", "version", "effective_date", "basis", "description", "counting", "recency",
         "frequency", "gravity", "arrests", "grades", "selection"},
        "",
    )  # fmt: skip
    name = r.string(raw, "name")
    version = r.version(raw)
    basis = r.string(raw, "basis")
    effective_date = r.effective_date(raw)

    counting = r.table(raw, "counting")
    r.keys(counting, {"outcomes"}, "counting.")
    outcomes = counting.get("outcomes", [SANCTION]) if counting else [SANCTION]
    if not isinstance(outcomes, list) or not outcomes:
        r.fail("counting.outcomes", "must be a non-empty list of outcome codes")
        outcomes = [SANCTION]
    for code in outcomes:
        if code != SANCTION and code not in lists.outcomes():
            r.fail("counting.outcomes", f"unknown outcome {code!r}")

    recency = r.table(raw, "recency")
    r.keys(recency, {"bands"}, "recency.")
    bands: list[RecencyBand] = []
    raw_bands = recency.get("bands") if recency else None
    if recency and (not isinstance(raw_bands, list) or not raw_bands):
        r.fail("recency.bands", "must be a non-empty list of {within_months, points}")
    for i, band in enumerate(raw_bands or []):
        where = f"recency.bands[{i}]."
        if not isinstance(band, dict):
            r.fail(where.rstrip("."), f"must be a table, not {band!r}")
            continue
        r.keys(band, {"within_months", "points"}, where)
        months = r.months(band, "within_months", where)
        points = r.number(band, "points", where)
        if bands and months <= bands[-1].within_months:
            r.fail(where + "within_months", "bands must be in increasing order of months")
        bands.append(RecencyBand(months, points or 0.0))

    frequency = _window(r, raw, "frequency", "points_per_offence") or Window(1, 0.0, None)

    gravity = r.table(raw, "gravity")
    r.keys(gravity, {"lookback_months", "method", "max_points", "weights", "harm"}, "gravity.")
    gravity_months = r.months(gravity, "lookback_months", "gravity.") if gravity else 1
    gravity_cap = r.number(gravity, "max_points", "gravity.", required=False)
    method = gravity.get("method", "weights") if gravity else "weights"
    weights: dict[str, float] = {}
    notes: dict[str, str] = {}
    if method not in METHODS:
        r.fail("gravity.method", f"must be one of {', '.join(METHODS)}: {method!r}")
    elif method == "weights" and gravity:
        weights = _weights(r, gravity.get("weights"))
        notes = {group: "local choice weight" for group in weights}
    elif gravity:
        weights, notes = _harm_weights(r, gravity.get("harm"))

    arrests_raw = raw.get("arrests", {})
    arrests: Window | None = None
    if not isinstance(arrests_raw, dict):
        r.fail("arrests", f"must be a table, not {arrests_raw!r}")
    elif arrests_raw.get("enabled", False) is True:
        arrests = _window(r, raw, "arrests", "points_per_arrest", extra={"enabled"})
    elif arrests_raw.get("enabled", False) is not False:
        r.fail("arrests.enabled", f"must be true or false: {arrests_raw.get('enabled')!r}")

    grades = r.table(raw, "grades")
    r.keys(grades, {"high", "medium"}, "grades.")
    high = r.number(grades, "high", "grades.") if grades else None
    medium = r.number(grades, "medium", "grades.") if grades else None
    if high is not None and medium is not None and medium > high:
        r.fail("grades", f"medium ({medium:g}) must not be above high ({high:g})")
    selection = raw.get("selection", {})
    minimum = 0.0
    if isinstance(selection, dict):
        r.keys(selection, {"minimum_score"}, "selection.")
        minimum = r.number(selection, "minimum_score", "selection.", required=False) or 0.0
    else:
        r.fail("selection", f"must be a table, not {selection!r}")

    if r.problems:
        raise SettingsError("\n".join(r.problems))
    return MatrixSettings(
        name=name,
        version=version,
        effective_date=effective_date,
        basis=basis,
        description=str(raw.get("description", "")).strip(),
        outcomes=tuple(outcomes),
        recency=tuple(bands),
        frequency=frequency,
        gravity_lookback_months=gravity_months,
        gravity_method=method,
        gravity_max_points=gravity_cap,
        gravity_weights=weights,
        gravity_notes=notes,
        arrests=arrests,
        grade_high=high or 0.0,
        grade_medium=medium or 0.0,
        minimum_score=minimum,
        source=source,
        fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
    )


def _window(
    r: Reader, raw: dict[str, Any], key: str, per: str, extra: set[str] | None = None
) -> Window | None:
    table = r.table(raw, key)
    if not table:
        return None
    r.keys(table, {"lookback_months", per, "max_points"} | (extra or set()), f"{key}.")
    months = r.months(table, "lookback_months", f"{key}.")
    points = r.number(table, per, f"{key}.")
    cap = r.number(table, "max_points", f"{key}.", required=False)
    return Window(months, points or 0.0, cap)


def _weights(r: Reader, raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        r.fail("gravity.weights", "required with method 'weights': a weight per offence group")
        return {}
    known = lists.offence_groups()
    weights: dict[str, float] = {}
    for group in raw:
        if group not in known:
            near = difflib.get_close_matches(group, sorted(known), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            r.fail(f"gravity.weights.{group}", f"unknown offence group{hint}")
            continue
        number = r.number(raw, group, "gravity.weights.")
        if number is not None:
            weights[group] = number
    missing = [g for g in known if g not in raw]
    if missing:
        r.fail("gravity.weights", f"no weight for {', '.join(missing)}")
    return weights


def _harm_weights(r: Reader, raw: Any) -> tuple[dict[str, float], dict[str, str]]:
    if not isinstance(raw, dict):
        r.fail("gravity.harm", "required with method 'harm': transform, points_per_unit")
        return {}, {}
    r.keys(raw, {"transform", "points_per_unit", "missing_days"}, "gravity.harm.")
    transform = raw.get("transform", "log1p")
    if transform not in TRANSFORMS:
        r.fail("gravity.harm.transform", f"must be one of {', '.join(TRANSFORMS)}: {transform!r}")
    per_unit = r.number(raw, "points_per_unit", "gravity.harm.") or 0.0
    missing_days = r.number(raw, "missing_days", "gravity.harm.")
    weights: dict[str, float] = {}
    notes: dict[str, str] = {}
    for group, (days, subgroup, _note) in cchi_medians().items():
        used = days if days is not None else missing_days
        if used is None:
            continue
        amount = math.log1p(used) if transform == "log1p" else used
        weights[group] = round(per_unit * amount, 6)
        notes[group] = (
            f"CCHI median {days:g} days ({subgroup})"
            if days is not None
            else f"no CCHI value: missing_days {used:g} used"
        )
    return weights, notes


def load_settings(path: Path) -> MatrixSettings:
    """Read and validate one settings file; SettingsError names the file and each field."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such settings file") from None
    except UnicodeDecodeError as error:
        raise SettingsError(f"{path}: not UTF-8 text: {error}") from None
    return parse_settings(text, str(path))


def available_settings(folder: Path = SETTINGS_DIR) -> list[MatrixSettings]:
    """Every settings version in ``folder``, oldest effective date first."""
    found = [load_settings(path) for path in sorted(folder.glob("*.toml"))]
    return sorted(found, key=lambda s: (s.effective_date, s.version))


def settings_for(as_of: dt.date, folder: Path = SETTINGS_DIR) -> tuple[MatrixSettings, str]:
    """The version in force on ``as_of`` and a note (empty unless none was yet in force)."""
    versions = available_settings(folder)
    if not versions:
        raise SettingsError(f"{folder}: no settings files (*.toml)")
    in_force = [s for s in versions if s.effective_date <= as_of]
    if in_force:
        return in_force[-1], ""
    earliest = versions[0]
    return earliest, (f"no settings in force on {as_of}: the earliest, {earliest.label()}, is used")
