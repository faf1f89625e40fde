"""Import a data set: validate all of it, then load it in one transaction, or load nothing.

The orchestration between ``validate.py`` (pure, no database) and ``load.py`` (the upserts).
Everything, the ImportRun record included, happens in one transaction: an import that fails or
is killed half way leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from desist.ingest import load
from desist.ingest.load import Counts
from desist.ingest.validate import Kind, Problem, Reject, Validation, validate_dataset

Report = Callable[[str], None]
"""Receives one line of progress ("validated offences.csv: 1,000,000 rows in 2.1 s")."""


@dataclass
class ImportResult:
    """What an import did. ``loaded`` is False when problems stopped it (nothing was written)."""

    problems: list[Problem]
    loaded: bool
    counts: dict[str, Counts] = field(default_factory=dict)
    rejected: int = 0
    rejected_with_person: int = 0
    notes: list[str] = field(default_factory=list)
    run_id: int | None = None
    validate_seconds: float = 0.0
    load_seconds: float = 0.0
    rows: int = 0


def run_import(
    folder: Path,
    *,
    skip_invalid: Path | None = None,
    ignore_unknown_columns: bool = False,
    report: Report | None = None,
    progress: load.Progress | None = None,
) -> ImportResult:
    """Validate the data set in ``folder`` and, if it may be loaded, load it atomically.

    Without ``skip_invalid`` any problem stops the import. With it, file-level problems still
    stop it, but invalid rows (and the rows of their people) are written to ``skip_invalid``
    and the rest is loaded. Returns the problems and per-table counts.
    """
    say = report or (lambda _line: None)
    if skip_invalid is not None and (unwritable := _unwritable(skip_invalid)):
        return ImportResult([unwritable], loaded=False)
    written: list[bool] = []
    try:
        return _run(folder, skip_invalid, ignore_unknown_columns, say, progress, written)
    except BaseException:
        if skip_invalid is not None and not written:
            skip_invalid.unlink(missing_ok=True)
        raise


def _run(
    folder: Path,
    skip_invalid: Path | None,
    ignore_unknown_columns: bool,
    say: Report,
    progress: load.Progress | None,
    written: list[bool],
) -> ImportResult:
    """The import itself, in one transaction; ``written`` is set once it has committed."""
    from desist.ingest.models import ImportRun

    started = timezone.now()
    with transaction.atomic():
        load.serialise_imports()
        clock = time.perf_counter()
        say(f"validating {folder}")
        validation = validate_dataset(
            folder,
            today=timezone.localdate(),
            known_people=load.known_people(),
            ignore_unknown_columns=ignore_unknown_columns,
            max_lengths=load.max_lengths(),
        )
        validate_seconds = time.perf_counter() - clock
        rows = sum(t.rows_read for t in validation.tables.values())
        say(f"validated {rows:,} rows in {validate_seconds:.1f} s")
        for note in validation.notes:
            say(note)
        if validation.fatal or (validation.problems and skip_invalid is None):
            return ImportResult(
                validation.reported,
                loaded=False,
                notes=validation.notes,
                validate_seconds=validate_seconds,
                rows=rows,
            )
        clock = time.perf_counter()
        counts: dict[str, Counts] = {}
        with load.bulk_session():
            _load_all(validation, counts, started, say, progress)

        run = ImportRun.objects.create(
            folder=str(folder),
            started_on=started,
            finished_on=timezone.now(),
            inserted={name: c.inserted for name, c in counts.items()},
            updated={name: c.updated for name, c in counts.items()},
            unchanged={name: c.unchanged for name, c in counts.items()},
            rejected=len(validation.rejects),
        )
        if skip_invalid is not None:
            write_rejects(skip_invalid, validation.rejects)
            # The commit (with its deferred constraint checks) may still fail: then the rejects
            # file must not outlive the import it describes.
            transaction.on_commit(lambda: written.append(True))
    load_seconds = time.perf_counter() - clock
    return ImportResult(
        validation.reported,
        loaded=True,
        counts=counts,
        rejected=len(validation.rejects),
        rejected_with_person=sum(1 for r in validation.rejects if r.only_with_person),
        notes=validation.notes,
        run_id=run.pk,
        validate_seconds=validate_seconds,
        load_seconds=load_seconds,
        rows=rows,
    )


def _load_all(
    validation: Validation,
    counts: dict[str, Counts],
    now: datetime,
    say: Report,
    progress: load.Progress | None,
) -> None:
    """Load every table in order (people first), filling ``counts``."""
    for name, data in validation.tables.items():
        clock = time.perf_counter()
        say(f"loading {name}: {data.frame.height:,} rows")
        counts[name] = done = load.load_table(name, data, now, progress)
        say(
            f"loaded {name}: {done.inserted:,} inserted, {done.updated:,} updated, "
            f"{done.unchanged:,} unchanged in {time.perf_counter() - clock:.1f} s"
        )


def _unwritable(path: Path) -> Problem | None:
    """A problem if the rejects file cannot be written, found before any work is done."""
    folder = path.parent
    if path.is_dir():
        reason = "is a folder: give a file name for the rejected rows"
    elif not folder.is_dir():
        reason = f"cannot write the rejected rows: no folder {folder}"
    elif not os.access(path if path.exists() else folder, os.W_OK):
        reason = "cannot write the rejected rows: permission denied"
    else:
        return None
    return Problem(str(path), None, None, None, reason, Kind.FILE)


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    """Write the rejected rows: file, line, table, key and every reason (``; `` separated)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "table", "key", "reasons"])
        for reject in rejects:
            writer.writerow(
                [reject.file, reject.line, reject.table, reject.key, "; ".join(reject.reasons)]
            )
