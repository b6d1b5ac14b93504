"""Headless Debian Chromium for the browser tests, driven by Playwright from PyPI.

Playwright's own browser download does not work here, so the tests launch the system
Chromium with the flags that keep it off the network: Debian's ``chromium-headless-shell``, the
build Playwright itself uses for headless runs. It renders with the same Blink and V8 as the
desktop browser, without the browser's UI layers, and costs about a third less CPU per page. In
CI a missing browser is an error (scripts/test-deps.sh installs it); on a developer's machine the
tests skip.

One Chromium serves every browser test of a pytest worker (``chromium`` in conftest.py); a test or
a module opens its own context on it (its own cookies, storage, viewport and downloads), which takes
milliseconds where a launch takes a second.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium-headless-shell")
#: ``--proxy-server``: every request for another host goes to a closed port on 127.0.0.1 (the viewer
#: on 127.0.0.1 bypasses the proxy, as loopback always does), so it fails at once and nothing a page
#: asks for leaves the machine; :func:`outside_requests` and ``Watch`` record what was asked.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--proxy-server=http://127.0.0.1:9"]
#: Screenshots, exported pictures and measured load times: kept after the run.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: The network page has set up (filters, focus, story step and fit applied): network.js sets it last.
READY = "document.body.dataset.ready === '1'"


def require_chromium():
    """The Playwright sync API, or skip/fail the calling test module when there is no browser."""
    api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium-headless-shell is missing: scripts/test-deps.sh installs it "
                               "(make setup-test)")
        pytest.skip("no /usr/bin/chromium-headless-shell (run scripts/test-deps.sh)", allow_module_level=True)
    return api


@contextmanager
def launch() -> Iterator[Any]:
    """Headless Chromium, closed (with its Playwright driver) on leaving."""
    api = require_chromium()
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def local(url: str) -> bool:
    """The page's own origin: 127.0.0.1, or the file:// page and what it makes itself."""
    parsed = urlparse(url)
    return parsed.scheme in ("file", "data", "blob") or parsed.hostname == "127.0.0.1"


#: An init script that reports every content-security-policy violation as a console error (which
#: ``Watch.check`` fails on); ``window.__csp`` keeps them for a test that wants to read them.
CSP_TO_CONSOLE = """window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
    const what = e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber;
    window.__csp.push(what); console.error("CSP violation: " + what); });"""


@contextmanager
def shared_page(browser: Any, **options: Any) -> Iterator[Any]:
    """One page, in its own context on the worker's Chromium, for a module's tests (a new page per test
    cost Chromium more than loading most pages in it): CSP violations become console errors and
    ``page.watch`` records requests and errors; each test checks its own with :func:`checked`."""
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.add_init_script(CSP_TO_CONSOLE)
        page.watch = Watch(page)
        yield page
    finally:
        context.close()


@contextmanager
def checked(page: Any) -> Iterator[Any]:
    """``page`` for one test: what it asked and reported before is forgotten, and after the test no
    request may have left 127.0.0.1 and no console error (a CSP violation among them) may have shown."""
    page.watch.clear()
    yield page
    page.watch.check()


@contextmanager
def outside_requests(target: Any, keep: Callable[[str], bool] = local) -> Iterator[list[str]]:
    """The URLs ``target`` (a page or a context) asks for inside the block that ``keep`` refuses (by
    default, any not on 127.0.0.1). Chromium fails them at once (``ARGS``' proxy). Recorded from the
    request events, not intercepted: intercepting every request (``page.route``) turns off the page's
    HTTP cache, so each load fetched and compiled every script again, through Python (some 120 ms
    of CPU a page load)."""
    asked: list[str] = []

    def record(request: Any) -> None:
        if not keep(request.url):
            asked.append(request.url)

    target.on("request", record)
    try:
        yield asked
    finally:
        target.remove_listener("request", record)


class Watch:
    """What a page asked for and what it reported as an error, checked by ``check()``."""

    def __init__(self, page: Any) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def clear(self) -> None:
        self.requests.clear()
        self.errors.clear()

    def check(self) -> None:
        outside = [u for u in self.requests if not local(u)]
        assert not outside, f"requests left 127.0.0.1: {outside}"
        assert not self.errors, f"console errors: {self.errors}"


def screenshot(page, name: str) -> None:
    """Keep what the page shows as ``test-artifacts/<name>`` (a PNG). Chromium's own capture with
    its fast PNG encoding: the same pixels as ``page.screenshot``, a larger file, half the work
    (these pages keep a screenshot of every view and story step at two sizes)."""
    cdp = getattr(page, "cdp", None) or page.context.new_cdp_session(page)
    page.cdp = cdp
    shot = cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(base64.b64decode(shot["data"]))


#: An expression that is a function (``x => …``, ``(a, b) => …``, ``async () => …``, ``function …``).
_FUNCTION = re.compile(r"\s*(async\s+)?(function\b|\w+\s*=>|\([^()]*\)\s*=>)")


def evaluate_json(page, expression: str, arg: Any = None) -> Any:
    """``page.evaluate(expression, arg)`` for a large answer (a view with every label and node box, the
    network model): the page sends it as one JSON string. Playwright sends a value as a tree of tagged
    parts that its driver and its Python client each walk and check part by part, which cost ten times
    the CPU of the string for a 12 KB view (Python, driver and Chromium together). As in JSON, a
    property whose value is ``undefined`` is left out (Playwright gives ``None``): write ``?? null``."""
    call = f"({expression})(arg)" if _FUNCTION.match(expression) else f"({expression})"
    return json.loads(page.evaluate(f"async arg => JSON.stringify(await {call}) ?? 'null'", arg))
