"""Host header injection, security headers and CORS, with Flask's test client on the fixture graph."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import rdflib
from test_viewer_pages import FIXTURE

from viewer.app import create_app

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https",
        "X-Forwarded-Port": "666", "X-Forwarded-Prefix": "/evil"}
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = ["/", "/network", "/places", "/place/heimdal", "/commitment/miljo-naering-samferdsel/42", "/actor/nav",
         "/sparql", "/queries", "/analysis", "/search?q=tiller", "/no/such/page"]
DATA = ["/sparql?query=ASK%7B%7D", "/void", "/.well-known/void", "/downloads/graph.ttl", "/place/heimdal.ttl",
        "/place/heimdal/touching.csv", "/queries/01-commitments-touching-place.rq", "/commitments.json",
        "/places.csv", "/area/miljo-naering-samferdsel.xlsx"]


@pytest.fixture(scope="module")
def store():
    """The production (embedded) store on the viewer's fixture graph: pages and the endpoint both work."""
    from store.embedded import EmbeddedStore

    s = EmbeddedStore(FIXTURE, workers=1)
    yield s
    s.close()


@pytest.fixture(scope="module")
def make_app(store, tmp_path_factory):
    """An app on the fixture graph with the given config; dist/ holds graph.ttl and network.html."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "graph.ttl").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (dist / "network.html").write_text("<!doctype html><script>alert(1)</script>", encoding="utf-8")

    def make(**config):
        return create_app({"STORE": store, "DIST_DIR": dist, "TESTING": True, **config})
    return make


@pytest.fixture(scope="module")
def client(make_app):
    return make_app().test_client()


def _graph(resp) -> rdflib.Graph:
    assert resp.status_code == 200
    return rdflib.Graph().parse(data=resp.data, format="turtle")


# --- host header injection ---------------------------------------------------------------------

@pytest.mark.parametrize("public", [None, "https://kg.example.org/"])
def test_self_descriptions_name_the_public_url_not_the_host_header(make_app, public):
    """`Host: evil.example` (or X-Forwarded-Host) cannot make the service description or VoID point elsewhere."""
    app = make_app(**({"PUBLIC_URL": public} if public else {}))
    want = (public or "http://127.0.0.1:8000/") + "sparql"
    c = app.test_client()
    sd = _graph(c.get("/sparql", headers={**EVIL, "Accept": "text/turtle"}))
    assert {str(o) for o in sd.objects(None, SD.endpoint)} == {want}
    for path in ("/void", "/.well-known/void"):
        r = c.get(path, headers={**EVIL, "Accept": "text/turtle"})
        assert {str(o) for o in _graph(r).objects(None, VOID.sparqlEndpoint)} == {want}
        assert b"evil" not in r.data


def test_redirects_do_not_follow_the_host_header(client):
    """werkzeug's slash-merging redirect builds an absolute URL: it must be our host, not the client's."""
    r = client.get("/place//heimdal", headers=EVIL)
    assert r.status_code == 308
    assert r.headers["Location"] == "http://127.0.0.1:8000/place/heimdal"


def test_forwarded_headers_only_with_trust_proxy(make_app):
    """Behind a trusted proxy its X-Forwarded-* give scheme and host; self-descriptions stay configured."""
    c = make_app(PUBLIC_URL="https://kg.example.org/", TRUST_PROXY=1).test_client()
    fwd = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "proxy.example.org"}
    assert c.get("/place//heimdal", headers=fwd).headers["Location"] == "https://proxy.example.org/place/heimdal"
    sd = _graph(c.get("/sparql", headers={**fwd, "Accept": "text/turtle"}))
    assert {str(o) for o in sd.objects(None, SD.endpoint)} == {"https://kg.example.org/sparql"}


# --- security headers and CORS -----------------------------------------------------------------

def _csp(resp) -> dict[str, list[str]]:
    policy = resp.headers.get("Content-Security-Policy", "")
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


@pytest.mark.parametrize("path", PAGES + DATA + ["/static/viewer.css", "/static/network.js"])
def test_every_response_has_the_security_headers(client, path):
    r = client.get(path, headers=HTML if path in PAGES else {})
    assert r.status_code in (200, 404), path
    csp = _csp(r)
    assert csp.get("script-src") == ["'self'"], "scripts from our origin only, none inline"
    assert csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("object-src") == ["'none'"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] in ("no-referrer", "same-origin")


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_are_not_shared_with_other_origins(client, path):
    r = client.get(path, headers={**HTML, "Origin": "https://other.example"})
    assert r.mimetype == "text/html", path
    assert "Access-Control-Allow-Origin" not in r.headers


@pytest.mark.parametrize("path", DATA)
def test_data_is_shared_with_other_origins(client, path):
    r = client.get(path, headers={"Origin": "https://other.example"})
    assert r.status_code == 200, path
    assert r.mimetype != "text/html"
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_the_offline_network_file_is_a_download_not_a_page(client):
    """dist/network.html runs inline scripts by design: it is saved and opened from disk, not run on our origin."""
    r = client.get("/downloads/network.html")
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "Access-Control-Allow-Origin" not in r.headers


class _Scripts(HTMLParser):
    """Collects inline scripts and inline event handlers (both blocked by `script-src 'self'`)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.inline += [f"<{tag} {k}=…>" for k in a if k.startswith("on")]
        self.inline += [f"<{tag} {k}=javascript:…>" for k, v in a.items()
                        if k in ("href", "src", "action") and re.match(r"\s*javascript:", v or "", re.IGNORECASE)]
        self._in_script = tag == "script" and "src" not in a and a.get("type") != "application/json"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append("<script>" + data.strip()[:60])

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script(client, path):
    """Every page works under the CSP: scripts come from files, handlers are added by those files."""
    parser = _Scripts()
    parser.feed(client.get(path, headers=HTML).get_data(as_text=True))
    assert parser.inline == []
