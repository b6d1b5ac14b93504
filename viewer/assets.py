"""URLs of the viewer's own static files that carry a hash of the file's content.

A page names ``/static/network.js?v=<hash>``; such an answer may be kept by the browser for a year
(:func:`max_age`), so the next page reuses the file and the scripts it has already compiled
(vis-network and YASGUI are 0.6 and 1 MB: compiling them again was a fifth of the CPU a network page
costs its browser). A changed file gets a new hash and so a new URL. A static URL without the hash
(a hand-typed link, an old page) is revalidated each time, as before. The hashes are read once per
process, of the files that are there: the files do not change while the app serves them, and no
name a client sends makes the server read anything.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
#: How long a browser may keep a static file asked for by its hashed URL.
YEAR = 365 * 24 * 3600


@cache
def _hashes() -> dict[str, str]:
    """Every file under ``viewer/static`` (as the static route names it) → its content hash."""
    return {path.relative_to(STATIC).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            for path in sorted(STATIC.rglob("*")) if path.is_file()}


def static_url(name: str) -> str:
    """``/static/<name>?v=<hash>``; a name that is not there keeps the plain URL (the browser reports
    its 404)."""
    digest = _hashes().get(name)
    return f"/static/{name}?v={digest}" if digest else f"/static/{name}"


def max_age(filename: str | None) -> int | None:
    """Flask's ``get_send_file_max_age`` for the static route: a year when the URL carries the hash
    of the file it names, else None (``no-cache``: revalidated on every use). (Flask is imported here:
    the build renders the offline network page with this module's neighbours and no Flask.)"""
    from flask import request

    wanted = request.args.get("v")
    return YEAR if wanted and filename and _hashes().get(filename) == wanted else None
