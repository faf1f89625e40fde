"""Finding a data set's table files on disk (CSV or Parquet, see the format spec)."""

from __future__ import annotations

from pathlib import Path

from desist.dataset.schema import TABLE_FILE_SUFFIXES, tables


class DataSetError(Exception):
    """A data set folder cannot be read: the message names the file and what is wrong."""


def table_file(folder: Path, name: str) -> Path | None:
    """The file holding table ``name`` in ``folder``, or None when the table is absent.

    A table may be ``NAME.csv`` or ``NAME.parquet``, not both.
    """
    found = [folder / f"{name}{suffix}" for suffix in TABLE_FILE_SUFFIXES]
    present = [path for path in found if path.exists()]
    if len(present) > 1:
        raise DataSetError(f"{folder}: both {present[0].name} and {present[1].name}: keep one")
    return present[0] if present else None


def table_files(folder: Path) -> dict[str, Path]:
    """Every table file present in a data set folder, in load order.

    Raises DataSetError when the folder is missing or a required table is absent.
    """
    if not folder.is_dir():
        raise DataSetError(f"{folder}: no such folder")
    files: dict[str, Path] = {}
    for name, table in tables().items():
        path = table_file(folder, name)
        if path is None:
            if table.required_table:
                raise DataSetError(
                    f"{folder / (name + '.csv')}: missing: the {name} table is required"
                )
            continue
        files[name] = path
    return files
