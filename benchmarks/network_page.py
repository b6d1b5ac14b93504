"""How soon the network page is ready in headless Chromium: /network served and dist/network.html from disk.

Ready is the page's own mark (``performance.now()`` when network.js has drawn the first view and
placed its labels, ``body[data-ready-ms]``), taken at 1280×720 and 1920×1080 over several loads
each. The figure is printed against a reference measured in the same run, a blank page with the
same vis-network script, so a slow machine shows as a slow reference, not as a slow page.

    .venv/bin/python benchmarks/network_page.py [--dist dist] [--runs 5]

Needs a built dist/ (``python build.py``) and the browser the tests drive (``tests/browser_support.py``:
Debian's chromium-headless-shell, installed by scripts/test-deps.sh).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

SIZES = ((1280, 720), (1920, 1080))
VIS = ROOT / "viewer" / "static" / "vendor" / "vis-network" / "vis-network.min.js"


def _serve(dist: Path):
    """The viewer on a free port of 127.0.0.1 with the embedded store, as `build.py serve` runs it."""
    from werkzeug.serving import make_server

    from store import open_store
    from viewer import network
    from viewer.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request would bury the figures
    app = create_app({"STORE": open_store(dist), "DIST_DIR": dist})
    network.warm_up(app).join()
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def _ready_ms(browser, url: str, size: tuple[int, int], runs: int, mark: str) -> float:
    """Median of ``runs`` fresh loads: the page's own ready mark, in ms since navigation start."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(f"() => document.body && document.body.dataset.{mark}")
        times.append(float(page.evaluate(f"document.body.dataset.{mark}")))
        context.close()
    return statistics.median(times)


def main() -> None:
    from browser_support import ARGS, CHROMIUM
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    offline = args.dist / "network.html"
    if not offline.is_file():
        sys.exit(f"{offline} is missing: run `python build.py` first")
    reference = args.dist.parent / ".benchmark-blank.html"
    reference.write_text(f"<!doctype html><body><script src='{VIS.as_uri()}'></script><script>"
                         "document.body.dataset.readyMs = String(Math.round(performance.now()));</script>",
                         encoding="utf-8")
    srv = _serve(args.dist)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for size in SIZES:
                ref = _ready_ms(browser, reference.as_uri(), size, args.runs, "readyMs")
                for name, url in (("/network", f"http://127.0.0.1:{srv.server_port}/network"),
                                  ("dist/network.html", offline.as_uri())):
                    ms = _ready_ms(browser, url, size, args.runs, "readyMs")
                    print(f"{size[0]}×{size[1]} {name:18} ready {ms:6.0f} ms  "
                          f"({ms / ref:4.1f}× a blank page with vis-network, {ref:.0f} ms)")
            browser.close()
    finally:
        srv.shutdown()
        reference.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
