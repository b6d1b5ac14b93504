"""Headless Debian Chromium for the browser tests, driven by Playwright from PyPI.

Playwright's own browser download does not work here, so the tests launch the system
Chromium with the flags that keep it off the network. In CI a missing browser is an
error (scripts/test-deps.sh installs it); on a developer's machine the tests skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium():
    """The Playwright sync API, or skip/fail the calling test module when there is no browser."""
    api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: scripts/test-deps.sh installs it (make setup-test)")
        pytest.skip("no /usr/bin/chromium (run scripts/test-deps.sh)", allow_module_level=True)
    return api
