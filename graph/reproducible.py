"""What a build may write into its files about time: nothing from the clock.

A rebuild of unchanged sources must give byte-identical ``dist/`` (reproducible-builds.org), so no
file carries the wall-clock time; where a date belongs in a file (GEXF's lastmodifieddate, the
catalogue's ``dct:modified``), ``SOURCE_DATE_EPOCH`` says which, or the date comes from the data.
This is the one standard variable the build reads outside the settings table (graph/settings.py).
"""

from __future__ import annotations

import os


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds since 1970, or None when it is not set to a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None
