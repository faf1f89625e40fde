"""Test set-up shared by every domain's tests."""

from __future__ import annotations

import os

# Tests never touch a developer's own data folder.
os.environ.setdefault("DESIST_DATA_DIR", os.path.join(os.getcwd(), "var", "test-data"))
