"""What the app believes about a request's address, and what it tells browsers about its pages.

Settings (``app.config``; ``build.py serve`` fills them from ``--public-url`` and ``--trust-proxy``):

* ``PUBLIC_URL`` – the site root clients reach, ``http://127.0.0.1:8000/`` by default. The service
  description and VoID name the endpoint under it, and the app sees its host and scheme whatever
  ``Host`` header a client sent, so no redirect or self-description can be pointed elsewhere
  (host header injection).
* ``TRUST_PROXY`` – how many reverse proxies stand in front (default 0). Only then are their
  ``X-Forwarded-For/-Proto/-Host/-Port/-Prefix`` headers honoured (werkzeug's ProxyFix).

Every response carries a Content-Security-Policy without inline scripts, ``nosniff``, a frame ban
and ``Referrer-Policy``. CORS (``Access-Control-Allow-Origin: *``) is given to data only: the
SPARQL endpoint, VoID, example query files, downloads and entity serialisations, never an HTML page
(a page shared with every origin would let any site read what the reader sees).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_app_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from graph.vocab import DEFAULT_BASE, prefixes

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"
# Styles may be inline: YASGUI and vis-network set style attributes and inject <style> elements.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CSP = "; ".join(CSP_DIRECTIVES)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
SHARED_ENDPOINTS = frozenset({  # data any web page may read (CORS)
    "sparql.sparql", "sparql.void", "sparql.query_file", "pages.download", "pages.entity",
    "map.data", "map.places_geojson", "map.place_geojson",
})
SHARED_PREFIX = "lists."  # every list page's .csv/.xlsx/.json (viewer/lists.py)
EXPOSED = ("X-SPARQL-Truncated, X-SPARQL-Truncated-By, X-SPARQL-Row-Limit, X-SPARQL-Byte-Limit, "
           "X-SPARQL-Time-Limit, X-SPARQL-MaxRows")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def served_prefixes() -> dict[str, str]:
    """The SPARQL/Turtle prefixes of the data this app serves: ``place:`` and ``lk:`` follow the
    app's base IRI (``BASE_IRI``, from ``--base``), so they name the IRIs actually served."""
    base = current_app.config.get("BASE_IRI") if has_app_context() else None
    return prefixes(base or DEFAULT_BASE)


def public_url(app: Flask | None = None) -> str:
    """The configured site root, ending in '/' (what self-descriptions put before ``sparql``)."""
    from flask import current_app

    return (app or current_app).config["PUBLIC_URL"]


def _pin_host(wsgi_app: WSGIApp, app: Flask) -> WSGIApp:
    """A WSGI wrapper that gives the app the public URL's host and scheme instead of the client's.

    Read per request, so a test (or a later config change) that sets ``PUBLIC_URL`` is honoured.
    """
    def pinned(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        parts = urlsplit(app.config["PUBLIC_URL"])
        environ["HTTP_HOST"] = parts.netloc
        environ["wsgi.url_scheme"] = parts.scheme
        return wsgi_app(environ, start_response)
    return pinned


def _is_page(resp: Response) -> bool:
    return resp.mimetype == "text/html" and resp.status_code != 204  # a preflight's 204 has no body


def protect(resp: Response) -> Response:
    """Security headers on every response; CORS on data from the shared endpoints, never on a page."""
    for name, value in HEADERS.items():
        resp.headers.setdefault(name, value)
    endpoint = request.endpoint or ""
    if (endpoint in SHARED_ENDPOINTS or endpoint.startswith(SHARED_PREFIX)) and not _is_page(resp):
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Expose-Headers"] = EXPOSED
    else:
        resp.headers.pop("Access-Control-Allow-Origin", None)
        resp.headers.pop("Access-Control-Expose-Headers", None)
    return resp


def init_app(app: Flask) -> None:
    """Install the address handling and the response headers (called by ``create_app``)."""
    app.config.setdefault("PUBLIC_URL", DEFAULT_PUBLIC_URL)
    app.config.setdefault("TRUST_PROXY", 0)
    hops = int(app.config["TRUST_PROXY"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops,  # type: ignore[method-assign]
                                x_prefix=hops)
    else:
        app.wsgi_app = _pin_host(app.wsgi_app, app)  # type: ignore[method-assign]
    app.after_request(protect)
