"""The endpoint under attack: what a hostile query can no longer do (the security issue, items 1–4 and 6)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sparql_support import FIXTURE_GRAPH, ROOT, RUNAWAY, connections_made

from store import QuerySyntaxError, QueryTooComplex, StoreError
from store.querytext import MAX_DEPTH, canonical_query

# Every way a line can end, or seem to end, in some parser (SPARQL ends a comment at \n and \r only)
TERMINATORS = ["\r", "\r\n", "\u2028", "\u2029", "\u0085", "\f", "\v", "\x1c", "\x1d", "\x1e"]


def hidden_service(url: str, terminator: str) -> str:
    return f"SELECT * WHERE {{ #x{terminator}SERVICE SILENT <{url}> {{ ?s ?p ?o }}\n}}"


def send_three_ways(client, query: str):
    """The same query by GET, form POST and body POST."""
    return [client.get("/sparql", query_string={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", data=query.encode(), content_type="application/sparql-query")]


# --- 1: nothing leaves the machine --------------------------------------------------------------

@pytest.mark.parametrize("terminator", TERMINATORS, ids=[f"U+{ord(t[0]):04X}{len(t)}" for t in TERMINATORS])
def test_a_comment_cannot_hide_service_from_the_check(client, listener, terminator):
    """Where the comment ends (\r), SERVICE is refused; where it does not, all of it is a comment."""
    for r in send_three_ways(client, hidden_service(listener.url, terminator)):
        assert r.status_code == 403 if terminator.startswith("\r") else r.status_code in (200, 400), r.data
    assert connections_made(listener) == 0


def test_the_engine_runs_the_text_the_check_read():
    """A comment ended by \\r is gone from what the engine gets, and the SERVICE after it is seen."""
    text = canonical_query("SELECT * WHERE { ?s ?p ?o } #c\rLIMIT 1")
    assert text.text == "SELECT * WHERE { ?s ?p ?o }  \nLIMIT 1"
    assert canonical_query(hidden_service("http://127.0.0.1:9/", "\r")).has_service


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service <http://x/service> "SERVICE" }',
    "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
    'SELECT * WHERE { ?s ?p "a # b\\r SERVICE" } # SERVICE in a comment',
    "SELECT * WHERE { ?s <http://x/#SERVICE> ?o }",
])
def test_service_as_a_name_or_in_a_string_is_not_the_keyword(query):
    assert not canonical_query(query).has_service


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://x/> { } }",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { } }",
    "SELECT * WHERE { ?s ?p ?o } #\rservice",
])
def test_service_as_a_keyword_is_seen_wherever_it_stands(query):
    assert canonical_query(query).has_service


def test_keywords_inside_names_skip_the_full_parse_but_a_real_from_does_not():
    """A page about ``…/link/buying-digital-services…`` or a facet on ``pk:from`` runs straight on the
    engine (rdflib's parse took 40–90 ms of such a page), while a FROM keyword is still parsed and checked."""
    from store import UnknownGraph
    from store.safety import check_query

    harmless = ('PREFIX pk: <http://x/> SELECT ?from $add WHERE { <http://x/link/buying-services-with-load/from> '
                '?p "insert, delete, drop" OPTIONAL { ?from <http://x/add#copy> $add ; pk:from pk:delete } }')
    assert check_query(harmless, {"urn:g"}).parsed is False
    for hidden in ("SELECT * FROM <http://x/g> WHERE { <http://x/service> ?p ?o }",
                   "PREFIX pk: <http://x/> SELECT ?from FROM <http://x/g> WHERE { ?l pk:from ?from }",
                   "PREFIX from: <http://x/> SELECT * FROM from:g WHERE { ?s ?p ?o }",
                   "SELECT * WHERE { <http://x/with> ?p ?o } # <\rFROM <http://x/g>",
                   "SELECT * fRoM <http://x/g> WHERE { ?s ?p ?o }",  # keywords in any case
                   "PREFIX sted: <http://x/> PREFIX bø: <http://x/> SELECT * From bø:g WHERE { ?s ?p ?o }"):
        with pytest.raises((UnknownGraph, QuerySyntaxError)):
            check_query(hidden, {"urn:g"})


def test_characters_that_end_lines_elsewhere_are_refused_outside_strings():
    with pytest.raises(QuerySyntaxError, match="U\\+2028"):
        canonical_query("SELECT * WHERE {\u2028?s ?p ?o }")
    assert canonical_query('SELECT * WHERE { ?s ?p "a\u2028b" }').text.endswith('"a\u2028b" }')


def test_escapes_that_expand_into_escapes_are_refused():
    with pytest.raises(QuerySyntaxError, match="another escape"):
        canonical_query("SELECT * WHERE { \\u005Cu0053ERVICE <http://x/> { } }")


def test_an_isolated_process_cannot_reach_loopback_even_through_the_engine(listener):
    """The second guard, without the first: a worker's engine running SERVICE reaches nobody."""
    code = (
        "import sys; from store.sandbox import isolate_network; state = isolate_network(); print(state)\n"
        "import pyoxigraph as ox\n"
        f"list(ox.Store().query('SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.stdout.startswith("on ("), out.stdout + out.stderr
    assert connections_made(listener) == 0


def test_workers_report_their_isolation(client):
    health = json.loads(client.get("/health").data)
    assert health["network_isolation"].startswith("on ("), health
    assert health["status"] == "ok" and health["ready"] >= 1


# --- 2: a crash is a 4xx, not an outage --------------------------------------------------------

def test_deep_nesting_is_a_400_that_names_the_limit(client, sparql_store):
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    restarts = sparql_store.health()["restarts"]
    for r in send_three_ways(client, deep):
        assert r.status_code == 400, r.data
        assert f"the limit is {MAX_DEPTH} levels".encode() in r.data
    assert sparql_store.health()["restarts"] == restarts


def test_nesting_within_the_limit_is_answered(client):
    q = "SELECT * WHERE " + "{" * MAX_DEPTH + " ?s ?p ?o " + "}" * MAX_DEPTH + " LIMIT 1"
    assert client.get("/sparql", query_string={"query": q}).status_code == 200


def test_a_long_operator_chain_within_the_size_limit_does_not_kill_a_worker(sparql_store):
    """1+1+…+1 (15 KB) overflowed the engine's 8 MiB stack and killed the worker; now it is answered."""
    q = "ASK { FILTER(1" + "+1" * 7200 + " > 0) }"  # 7000 overflowed 8 MiB
    assert sparql_store.query(q, timeout=60).boolean is True


# --- 3: fair under hostile load ---------------------------------------------------------------

def _get(url: str, query: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _until(done, tries: int = 600) -> None:
    for _ in range(tries):
        if done():
            return
        time.sleep(0.01)


def test_runaway_queries_leave_room_for_a_fresh_one_and_end_at_the_time_limit(live_server, sparql_store):
    """As many runaways as there are workers: a simple query is still answered while they run, and
    each runaway is stopped at the time limit with a 503 that says so, its worker killed and replaced.

    One test for both: test_sparql_security.py had a runaway of its own for the time limit, and each
    waited out the same limit (TEST_TIMEOUT); every assertion of both is here, for each runaway."""
    _until(lambda: sparql_store.health()["starting"] == 0, tries=3000)  # a replacement from a test before
    n = sparql_store.health()["size"]
    pids_before = sparql_store.pool.pids()
    restarts_before = sparql_store.health()["restarts"]
    events: list[str] = []
    runaways: list[tuple[int, bytes]] = []

    def run_runaway():
        runaways.append(_get(live_server.url, RUNAWAY))
        events.append("runaway answered")

    threads = [threading.Thread(target=run_runaway) for _ in range(n)]
    for t in threads:
        t.start()
    _until(lambda: sparql_store.health()["long_queries"] == n, tries=300)
    assert sparql_store.health()["long_queries"] == n
    idle_class = [pid for pid in sparql_store.pool.pids() if os.sched_getscheduler(pid) == os.SCHED_IDLE]
    assert len(idle_class) == n
    status, body = _get(live_server.url, "ASK { ?s ?p ?o }")
    events.append("fresh answered")
    for t in threads:
        t.join(timeout=60)
    assert status == 200 and json.loads(body)["boolean"] is True, (status, body)
    assert events == ["fresh answered"] + ["runaway answered"] * n, "the fresh query waited for the runaways"
    assert sorted(code for code, _ in runaways) == [503] * n, runaways
    assert all(b"time limit" in text for _, text in runaways), runaways
    # each runaway's worker was killed and a fresh one took its place (starting one takes seconds on a
    # loaded machine, so wait for it rather than assume it is there)
    _until(lambda: sparql_store.health()["restarts"] >= restarts_before + n, tries=3000)
    assert sparql_store.health()["restarts"] == restarts_before + n
    killed = pids_before - sparql_store.pool.pids()
    assert len(killed) == n, "a runaway's worker is still in the pool"
    for pid in killed:
        with pytest.raises(OSError):  # raises once the process is gone
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)
    assert _get(live_server.url, "ASK { ?s ?p ?o }")[0] == 200


# --- 4: the pool always recovers --------------------------------------------------------------

def test_pool_recovers_after_failed_restarts_and_logs_them(tmp_path, caplog, monkeypatch):
    from store import embedded
    from store.embedded import EmbeddedStore

    monkeypatch.setattr(embedded, "RESTART_BACKOFF", (0.05, 0.2))  # the retries, not the waiting, are tested

    graph = tmp_path / "graph.ttl"
    shutil.copy(FIXTURE_GRAPH, graph)
    caplog.set_level(logging.INFO, logger="leangen.store")
    with EmbeddedStore(graph, workers=1) as store:
        graph.rename(tmp_path / "away.ttl")
        workers = store.pool.pids()
        # the workers and the process they are forked from, which must load the graph to start again
        forked_from = {_parent(pid) for pid in workers}
        for pid in workers | forked_from:
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(StoreError):
            store.query("ASK { ?s ?p ?o }", timeout=1)
        _until(lambda: caplog.text.count("failed to start") >= 3, tries=1000)  # restarts fail while the graph is away
        assert store.health()["ready"] == 0
        (tmp_path / "away.ttl").rename(graph)
        _until(lambda: store.health()["ready"] >= 1, tries=3000)
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    assert "died while idle" in caplog.text or "died during a query" in caplog.text
    assert "started" in caplog.text
    assert "retrying in 0.05 s" in caplog.text and "retrying in 0.1 s" in caplog.text  # backing off, not spinning


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_a_replaced_worker_is_forked_from_the_loaded_graph_not_started_again(tmp_path, caplog):
    """Workers are forks of one process that loaded the graph: a replacement needs no graph file (a
    rebuilt ``dist/`` cannot mix two graphs in one pool) and serves at once, with the same answers."""
    from store.embedded import EmbeddedStore

    graph = tmp_path / "graph.ttl"
    shutil.copy(FIXTURE_GRAPH, graph)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    caplog.set_level(logging.INFO, logger="leangen.store")
    with EmbeddedStore(graph, workers=1) as store:
        before = store.query(count).rows
        workers = store.pool.pids()
        forked_from = {_parent(pid) for pid in workers}
        assert len(forked_from) == 1 and forked_from.isdisjoint(workers)
        graph.unlink()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        _until(lambda: store.health()["restarts"] >= len(workers) and store.health()["ready"] == len(workers),
               tries=3000)
        for _ in range(2 * len(workers)):  # every worker in the queue: none is one health() retired
            assert store.query(count).rows == before
        now = store.pool.pids()
        assert now.isdisjoint(workers) and {_parent(pid) for pid in now} == forked_from
    assert "failed to start" not in caplog.text


def test_a_killed_worker_stays_dead_when_its_pipe_numbers_are_reused():
    """A worker the pool has killed is never alive again, not even when the numbers of its closed pipe
    ends now belong to a fresh worker's pipes (as they soon do: a replacement opens two at once)."""
    from store.embedded import _Worker

    (fin, its_out), (its_in, fout) = os.pipe(), os.pipe()
    w = _Worker(pid=2**22 + 1, fin=fin, fout=fout)  # above the kernel's pid_max: no process of ours
    assert w.alive()
    os.close(its_out), os.close(its_in)  # what the worker's death does to its ends
    w.kill()
    reused = os.pipe()
    try:
        assert fin in reused or fout in reused  # the lowest free numbers again
        assert not w.alive()
    finally:
        for fd in reused:
            os.close(fd)


def test_a_worker_is_killed_while_a_thread_waits_for_its_answer():
    """Ctrl-C closes the pool while a query's thread waits for its worker's answer (the network
    warm-up at start-up, a client's query): the kill must not wait on the poll object that thread
    is in. On one shared object Python raised "concurrent poll() invocation" and ``build.py serve``
    ended with a traceback (seen once in about twenty runs of the Ctrl-C test)."""
    from store.embedded import _Worker

    (fin, its_out), (its_in, fout) = os.pipe(), os.pipe()
    child = subprocess.Popen(["sleep", "60"], stdin=its_in, stdout=its_out)  # stands in for a worker
    os.close(its_out), os.close(its_in)
    w = _Worker(pid=child.pid, fin=fin, fout=fout)
    ended: list[BaseException] = []

    def wait_for_answer() -> None:
        try:
            w.read(time.monotonic() + 30)
        except (EOFError, OSError) as exc:
            ended.append(exc)

    reader = threading.Thread(target=wait_for_answer)
    reader.start()
    _until(lambda: sys._current_frames()[reader.ident].f_code.co_name == "readable")  # in poll()
    try:
        w.kill()
    finally:
        child.kill()
        child.wait()
        reader.join(10)
    assert ended and not reader.is_alive(), "the waiting query saw its worker end"


def test_health_says_unavailable_when_no_worker_is_up(tmp_path):
    from viewer.app import create_app

    class Down:
        def health(self):
            return {"size": 2, "ready": 0, "starting": 2, "long_queries": 0, "restarts": 5,
                    "network_isolation": "on (network namespace)"}

    r = create_app({"STORE": Down(), "TESTING": True}).test_client().get("/health")
    assert r.status_code == 503
    assert json.loads(r.data)["status"] == "unavailable"


# --- 6: every answer bounded --------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_answers(sparql_store):
    from viewer.app import create_app

    app = create_app({"STORE": sparql_store, "SPARQL_MAX_BYTES": 4096, "SPARQL_MAX_ROWS": 100_000,
                      "TESTING": True})
    return app.test_client()


def test_a_result_over_the_byte_limit_is_cut_and_says_so(small_answers):
    blowup = ('SELECT ?x WHERE { ?s ?p ?o BIND(CONCAT(STR(?s), STR(?s), STR(?s), STR(?s), STR(?s), '
              'STR(?s), STR(?s), STR(?s)) AS ?x) }')
    for fmt in ("json", "xml", "csv"):
        r = small_answers.get("/sparql", query_string={"query": blowup, "format": fmt})
        assert r.status_code == 200
        assert r.headers["X-SPARQL-Truncated"] == "true"
        assert r.headers["X-SPARQL-Truncated-By"] == "bytes"
        assert r.headers["X-SPARQL-Byte-Limit"] == "4096"
        assert 0 < len(r.data) < 3 * 4096


def test_a_graph_result_over_the_byte_limit_is_cut_too(small_answers):
    r = small_answers.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/n-triples"})
    assert r.headers["X-SPARQL-Truncated-By"] == "bytes"
    assert len(r.data) < 3 * 4096


def test_a_query_that_needs_gigabytes_ends_only_its_own_worker(tmp_path):
    from store.embedded import EmbeddedStore

    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(26))
    huge = 'SELECT (STRLEN(?x26) AS ?n) WHERE { BIND("' + "a" * 1024 + '" AS ?x0) ' + binds + " }"
    with EmbeddedStore(FIXTURE_GRAPH, workers=1, worker_memory=512 << 20) as store:
        with pytest.raises(StoreError) as err:
            store.query(huge, timeout=30)
        assert err.value.status == 500
        assert "memory limit of 512 MiB" in err.value.message
        assert store.query("ASK { ?s ?p ?o }", timeout=30).boolean is True


def test_nesting_limit_error_is_its_own_class():
    with pytest.raises(QueryTooComplex):
        canonical_query("ASK " + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1))
