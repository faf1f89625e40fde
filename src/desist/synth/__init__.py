"""The synthetic partnership generator: a complete, realistic, entirely invented data set.

``write_dataset`` writes every table of the canonical format (``shared/spec/import-format.md``)
into a folder; ``desist synth`` is its command line. See ``docs/synthetic-data.md``.
"""

from __future__ import annotations

from desist.synth.generate import write_dataset

__all__ = ["write_dataset"]
