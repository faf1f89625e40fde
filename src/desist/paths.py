"""Where desist keeps local files. No Django import, so commands can ask before set-up."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder for the embedded SQLite database and other local files (created if missing).

    ``DESIST_DATA_DIR`` chooses it; the default is ``$XDG_DATA_HOME/desist``, that is
    ``~/.local/share/desist``.
    """
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "desist"
    path = Path(os.environ.get("DESIST_DATA_DIR", default)).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path
