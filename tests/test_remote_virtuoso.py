"""The remote store against a real Virtuoso (Debian's virtuoso-opensource) on loopback.

The fixture starts its own Virtuoso with a fresh database in a temporary folder, on free loopback
ports, proves the shipped dba/dba password is refused by `publish`, then sets a password of its own.
Skipped only when the binary is absent outside CI; in CI (CI=true) a missing binary is an error.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from exact_support import as_graph, difference, published_lines, served_lines
from sparql_answers import CHECKS
from sparql_support import RUNAWAY, free_port, in_ci

from viewer.sparql_queries import load_queries

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
if not (VIRTUOSO and ISQL):
    if in_ci():
        raise RuntimeError("virtuoso-t is missing: scripts/test-deps.sh installs virtuoso-opensource")
    pytest.skip("Virtuoso is not installed (scripts/test-deps.sh installs virtuoso-opensource)",
                allow_module_level=True)

GRAPH = "https://leangen-kg.org/id/graph"
PK = "https://leangen-kg.org/ontology#"
AS_WKT = "<http://www.opengis.net/ont/geosparql#asWKT>"
VIRTUOSO_GEOMETRY = "<http://www.openlinksw.com/schemas/virtrdf#Geometry>"
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
MaxClientConnections = 10
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
DeferInferenceRulesInit = 0
"""


def _up(url: str) -> bool:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                url + "?query=ASK%7B%7D", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, built_dist):
    from store.remote import default_password_accepted

    d = tmp_path_factory.mktemp("virtuoso")
    isql_port, http_port = free_port(), free_port()
    (d / "virtuoso.ini").write_text(INI.format(d=d, isql=isql_port, http=http_port))
    with open(d / "stdout.log", "wb") as log:
        proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(d / "virtuoso.ini")],
                                cwd=d, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 90
        while not _up(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Virtuoso did not start:\n" + (d / "stdout.log").read_text()[-2000:])
            time.sleep(0.05)  # it is up after 1-4 s of its own work; a long poll only waits past that
        gsp = f"http://127.0.0.1:{http_port}/sparql-graph-crud-auth"
        dist = d / "dist"
        dist.mkdir()
        shutil.copyfile(built_dist / "graph.nt", dist / "graph.nt")  # the session's build (conftest.py)
        info = {"url": url, "gsp": gsp, "dist": dist, "isql": isql_port, "proc": proc}
        # the trap: a fresh Virtuoso accepts dba/dba, and publish refuses to use it
        info["default_before"] = default_password_accepted(gsp)
        info["publish_with_default"] = _publish(info, "dba", "dba")
        password = secrets.token_urlsafe(16)
        out = subprocess.run([ISQL, f"127.0.0.1:{isql_port}", "dba", "dba",
                              f"exec=USER_SET_PASSWORD('dba', '{password}');"],
                             check=True, capture_output=True, timeout=60, text=True)
        assert "Error" not in out.stdout + out.stderr, out.stdout + out.stderr  # isql exits 0 on errors
        info["password"] = password
        info["default_after"] = default_password_accepted(gsp)
        yield info
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _publish(info, user: str, password: str, *extra: str) -> int:
    import os

    import build

    env = {"LEANGEN_STORE_USER": user, "LEANGEN_STORE_PASSWORD": password}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return build.main(["--dist", str(info["dist"]), "publish", "--endpoint", info["url"],
                           "--gsp", info["gsp"], "--dialect", "virtuoso", *extra])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def published(virtuoso):
    assert _publish(virtuoso, "dba", virtuoso["password"]) == 0
    return virtuoso


@pytest.fixture(scope="module")
def remote(published):
    from store.remote import RemoteStore

    return RemoteStore(published["url"], GRAPH, dialect="virtuoso")


def test_default_dba_password_is_refused_then_replaced(virtuoso):
    assert virtuoso["default_before"] is True  # what Debian's package ships
    assert virtuoso["publish_with_default"] == 2  # publish refuses such a server
    assert virtuoso["default_after"] is False


def test_publish_with_a_wrong_password_fails_clearly(published, capsys):
    assert _publish(published, "dba", "not-the-password") == 2
    assert "refused the credentials" in capsys.readouterr().err


def test_published_graph_is_complete(remote, built):
    r = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(r.rows[0][0].value) == len(built.graph)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example_query_known_answer_on_virtuoso(remote, name):
    q = {q.name: q for q in load_queries()}[name]
    result = remote.query(q.text, timeout=30)
    assert not result.truncated
    CHECKS[name](result, remote)


def test_virtuoso_silent_row_cut_is_flagged(remote, built):
    r = remote.query("SELECT ?s ?o WHERE { ?s ?p ?o }", max_rows=50_000, timeout=30)
    assert len(built.graph) > 10_000
    assert len(r.rows) == 10_000  # what Virtuoso sends, with a 200 ...
    assert r.truncated is True  # ... and what we tell the user


def test_property_path_duplicates(remote):
    """Virtuoso may return one row per path for `+`; the example query's DISTINCT makes it a set.

    (Virtuoso also refuses `?a pk:dependsOn+ ?b` with both ends open: "transitive start not given";
    the example query binds the start first.)"""
    q = f"SELECT ?a ?b WHERE {{ ?a a <{PK}Commitment> ; <{PK}dependsOn> ?x . ?a <{PK}dependsOn>+ ?b }}"
    plain = [(a.value, b.value) for a, b in remote.query(q).rows]
    distinct = [(a.value, b.value) for a, b in remote.query(q.replace("SELECT", "SELECT DISTINCT")).rows]
    assert len(distinct) == len(set(distinct))
    assert set(plain) == set(distinct)


def test_virtuoso_time_limit_is_a_timeout_not_a_partial_answer(remote):
    """Virtuoso answers the runaway with its partial result after 2 s, whatever the limit asked (1 s,
    0.1 s); the server runs one thread per query (INI), so that costs 2 CPU-s, not 4."""
    from store import QueryTimeout

    with pytest.raises(QueryTimeout):
        remote.query(RUNAWAY, timeout=1)


def test_endpoint_over_virtuoso_keeps_its_safety(published):
    """Our /sparql in front of Virtuoso: SERVICE (which Virtuoso would run) and updates never reach it."""
    import socket

    from store.remote import RemoteStore
    from viewer.app import create_app

    app = create_app({"STORE": RemoteStore(published["url"], GRAPH, dialect="virtuoso"), "SPARQL_MAX_ROWS": 100})
    client = app.test_client()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    port = sock.getsockname()[1]
    r = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"})
    assert r.status_code == 403
    r = client.post("/sparql", data={"query": f"INSERT DATA {{ <{GRAPH}#x> <{GRAPH}#y> <{GRAPH}#z> }}"})
    assert r.status_code == 403
    # Virtuoso runs SERVICE before it answers, so a call it made is in the listen queue by now (the
    # kernel completes the handshake without accept): look there, instead of waiting for one to come
    sock.setblocking(False)
    try:
        hits = [sock.accept()]
    except BlockingIOError:
        hits = []
    sock.close()
    assert hits == []
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(r.data)["results"]["bindings"]) == 100
    q = load_queries()[0]
    r = client.get("/sparql", query_string={"query": q.text})
    assert r.status_code == 200 and json.loads(r.data)["results"]["bindings"]


def test_virtuoso_log_has_no_outbound_fetch(published):
    log = Path(published["dist"]).parent / "virtuoso.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    assert "SERVICE" not in text


def test_relative_iris_resolve_against_our_endpoint_not_virtuoso(remote, built):
    """W3C `query_content_type_construct` through the remote store: the base is ours, not Virtuoso's."""
    endpoint = "https://kg.example.org/sparql"
    r = remote.query("CONSTRUCT { <s> <p> 1 } WHERE {}", base_iri=endpoint)
    assert [(s.value, p.value) for s, p, _ in r.triples] == [("https://kg.example.org/s", "https://kg.example.org/p")]
    r = remote.query("SELECT (COUNT(*) AS ?n) FROM <graph> WHERE { ?s ?p ?o }", base_iri=GRAPH.rsplit("/", 1)[0] + "/sparql")
    assert int(r.rows[0][0].value) == len(built.graph)


@pytest.fixture(scope="module")
def served_by_virtuoso(remote) -> set[str]:
    """Every triple through the remote store, a few properties at a time: Virtuoso cuts an answer at
    10 000 rows, so the properties go in batches of under 9 000 triples by their counts (one CONSTRUCT
    per property made 100 round trips), and a batch the server cut would fail here, not lose triples."""
    counts = remote.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p", timeout=30).rows
    batches: list[list[str]] = [[]]
    size = 0
    for prop, n in sorted(counts, key=lambda row: int(row[1].value), reverse=True):
        if size + int(n.value) > 9_000:
            batches.append([])
            size = 0
        batches[-1].append(prop.value)
        size += int(n.value)
    lines: set[str] = set()
    for batch in batches:
        values = " ".join(f"<{p}>" for p in batch)
        result = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}", timeout=30)
        assert not result.truncated, batch
        lines |= served_lines(result)
    return lines


def test_virtuoso_serves_exactly_graph_nt_but_its_geometries(published, served_by_virtuoso):
    """Numbers, years, strings and IRIs come back as published; only geo:asWKT changes (next test)."""
    nt = published_lines(published["dist"] / "graph.nt")
    kept = {line for line in nt if AS_WKT not in line}
    served = {line for line in served_by_virtuoso if AS_WKT not in line}
    assert len(nt) - len(kept) == 44  # one point per place
    assert served == kept, difference(kept, served)


def _points(lines: set[str]) -> dict[str, tuple[float, float, str]]:
    points = {}
    for line in lines:
        if AS_WKT in line:
            subject, _, literal = line.split(" ", 2)
            coords, datatype = literal.removeprefix('"POINT(').split(')"^^')
            lon, lat = map(float, coords.split())
            points[subject] = (lon, lat, datatype)
    return points


def test_virtuoso_retypes_geometries_at_single_precision(published, served_by_virtuoso):
    """What docs/vocabulary.md says Virtuoso changes: every geo:wktLiteral becomes its own virtrdf:Geometry,
    its coordinates stored as 32-bit floats (within 1e-5 degrees, about a metre)."""
    before, after = _points(published_lines(published["dist"] / "graph.nt")), _points(served_by_virtuoso)
    assert before.keys() == after.keys()
    assert {datatype for *_, datatype in after.values()} == {VIRTUOSO_GEOMETRY}
    for subject, (lon, lat, _) in before.items():
        assert abs(after[subject][0] - lon) < 1e-5 and abs(after[subject][1] - lat) < 1e-5, subject


def test_virtuoso_served_graph_breaks_no_shape_but_the_geometry_type(served_by_virtuoso):
    from graph.pipeline import Paths
    from graph.validate import load_shapes, validate

    outcome = validate(as_graph(served_by_virtuoso), load_shapes(Paths().shapes))
    assert outcome.errors
    assert {(v.path, v.rule) for v in outcome.errors} == {("geo:asWKT", "DatatypeConstraintComponent")}


@pytest.fixture(scope="module")
def tracker_pages(remote, built_dist, built_store):
    """A tracker page's text as the viewer serves it over the embedded store on dist/ (the session's,
    ``built_store``) and over the remote store, with its list of queries cut out. One app per store for
    the module (as `build.py serve` runs one): each computes the tracker from its store on the first page and serves the other pages from
    that, as it does for its users."""
    from viewer.app import create_app

    clients = {"embedded": create_app({"STORE": built_store, "DIST_DIR": built_dist, "TESTING": True}).test_client(),
               "remote": create_app({"STORE": remote, "DIST_DIR": None, "TESTING": True}).test_client()}

    def text(store: str, path: str) -> str:
        answer = clients[store].get(path)
        assert answer.status_code == 200, (store, path)
        page = answer.get_data(as_text=True)
        return re.sub(r"<!-- queries.*?-->|<details class=\"queries\".*?</details>", "", page, flags=re.DOTALL)

    return text


@pytest.mark.parametrize("path", ["/status?as_of=2026-11-30", "/status/at-risk?as_of=2026-11-30",
                                  "/commitments?status=in-progress"])
def test_the_tracker_over_virtuoso_shows_what_the_embedded_store_shows(tracker_pages, path):
    """The promise tracker on a remote store: the same counts, chains and lists as over dist/."""
    expected = tracker_pages("embedded", path)
    assert tracker_pages("remote", path) == expected
    assert "underveis" in expected.lower()  # the in-progress commitments are there to compare
