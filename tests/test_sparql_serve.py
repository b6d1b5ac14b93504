"""`build.py serve` options and environment variables for the SPARQL endpoint."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from build_support import run_cli
from sparql_support import FIXTURE_GRAPH, stub_endpoint

from store.embedded import _running
from viewer.serve import app_config, store_options

ROOT = Path(__file__).resolve().parent.parent

ENDPOINT_LIMITS = ("SPARQL_TIMEOUT", "SPARQL_MAX_ROWS", "SPARQL_MAX_QUERY_BYTES", "SPARQL_MAX_BYTES")


def parse(argv, monkeypatch=None, env=None):
    """`build.py serve ARGV` parsed as build.py parses it, with ENV set."""
    return _serve_args(argv, monkeypatch, env)


def limits(args) -> dict:
    config = app_config(args)
    return {k: config[k] for k in ENDPOINT_LIMITS}


def test_defaults():
    args = parse([])
    assert limits(args) == {"SPARQL_TIMEOUT": 5.0, "SPARQL_MAX_ROWS": 10_000, "SPARQL_MAX_QUERY_BYTES": 65536,
                            "SPARQL_MAX_BYTES": 16 * 1024 * 1024}
    assert store_options(args, "dist") == {"worker_memory": 1024 << 20}
    assert store_options(args, "http://127.0.0.1:8890/sparql") == {}


def test_environment(monkeypatch):
    args = parse([], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "2.5", "LEANGEN_SPARQL_MAX_ROWS": "500",
                                   "LEANGEN_SPARQL_MAX_QUERY": "1000", "LEANGEN_SPARQL_WORKERS": "3",
                                   "LEANGEN_SPARQL_MAX_BYTES": "2048", "LEANGEN_SPARQL_WORKER_MEMORY": "512"})
    assert limits(args) == {"SPARQL_TIMEOUT": 2.5, "SPARQL_MAX_ROWS": 500, "SPARQL_MAX_QUERY_BYTES": 1000,
                            "SPARQL_MAX_BYTES": 2048}
    assert store_options(args, "dist") == {"workers": 3, "worker_memory": 512 << 20}
    assert store_options(args, "http://127.0.0.1:8890/sparql") == {}


def test_options_override_environment(monkeypatch):
    args = parse(["--timeout", "1", "--max-rows", "7"], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "9"})
    assert limits(args)["SPARQL_TIMEOUT"] == 1.0
    assert limits(args)["SPARQL_MAX_ROWS"] == 7


def test_store_spec_and_credentials_reach_the_remote_store(monkeypatch, tmp_path):
    """A protected remote store gets serve's credentials (options or environment); the embedded one never."""
    from graph import settings

    args = parse(["--store-user", "reader"], monkeypatch,
                 {"LEANGEN_STORE_PASSWORD": "s3cret", "LEANGEN_STORE": "http://127.0.0.1:8890/sparql"})
    spec = settings.value(args, settings.setting("serve", "--store"))
    assert spec == "http://127.0.0.1:8890/sparql"
    assert store_options(args, spec) == {"user": "reader", "password": "s3cret"}
    assert "user" not in store_options(args, "dist") and "password" not in store_options(args, "dist")
    from store import open_store

    remote = open_store(spec, **store_options(args, spec))
    assert (remote.user, remote.password) == ("reader", "s3cret")
    monkeypatch.delenv("LEANGEN_STORE")
    args = _serve_args(["--store", "http://example.org/sparql"])
    assert settings.value(args, settings.setting("serve", "--store")) == "http://example.org/sparql"
    args = _serve_args([])
    assert settings.value(args, settings.setting("serve", "--store")) == args.dist


def test_build_py_serve_has_the_options():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    import viewer.serve

    viewer.serve.register(sub)
    args = parser.parse_args(["serve", "--port", "9", "--timeout", "3", "--max-rows", "11"])
    assert (args.port, args.timeout, args.max_rows) == (9, 3.0, 11)


@pytest.mark.parametrize(("argv", "env", "says"), [
    (["--port", "abc"], {}, "'abc' is not a port number, 1–65535 (from --port or PORT)"),
    (["--port", "70000"], {}, "'70000' is not a port number"),
    ([], {"PORT": "80a"}, "'80a' is not a port number"),
    (["--timeout", "-1"], {}, "argument --timeout: '-1' is too small"),
    (["--timeout", "nan"], {}, "'nan' is too small"),
    ([], {"LEANGEN_SPARQL_TIMEOUT": "soon"}, "environment variable LEANGEN_SPARQL_TIMEOUT"),
    ([], {"LEANGEN_SPARQL_MAX_ROWS": "0"}, "argument --max-rows: '0' is too small"),
    (["--threads", "x"], {}, "argument --threads: 'x' is not a whole number"),
    (["--connection-limit", "0"], {}, "argument --connection-limit: '0' is too small"),
    ([], {"LEANGEN_CHANNEL_TIMEOUT": "1.5"}, "environment variable LEANGEN_CHANNEL_TIMEOUT"),
    (["--max-header-bytes", "many"], {}, "argument --max-header-bytes: 'many' is not a whole number"),
    ([], {"LEANGEN_MAX_BODY_BYTES": "10"}, "argument --max-body-bytes: '10' is too small"),
    (["--public-url", "ftp://kg.example.org/"], {}, "argument --public-url: 'ftp://kg.example.org/' is not an http(s) URL"),
    (["--public-url", "https://kg.example.org/kg/"], {}, "is not an http(s) URL of a site root"),
    (["--public-url", "http://kg.example.org:99999/"], {}, "is not an http(s) URL"),
    ([], {"LEANGEN_PUBLIC_URL": "kg.example.org"}, "(from --public-url or LEANGEN_PUBLIC_URL)"),
    (["--trust-proxy", "-1"], {}, "argument --trust-proxy: '-1' is too small"),
    ([], {"LEANGEN_TRUST_PROXY": "yes"}, "environment variable LEANGEN_TRUST_PROXY"),
])
def test_bad_values_are_usage_errors_not_tracebacks(argv, env, says, monkeypatch, capsys):
    """A bad option or environment variable stops `serve` with argparse's usage error (exit 2)."""
    import viewer.serve

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    parser = argparse.ArgumentParser(prog="build.py")
    viewer.serve.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["serve", *argv])
    assert stop.value.code == 2
    assert says in capsys.readouterr().err


def test_serve_on_a_port_in_use_says_so(capsys, monkeypatch, tmp_path):
    """A second `serve` on a taken port gets one clear line and exit 2, not waitress's traceback
    (build.py's main in this process: test_build.py runs build.py in a fresh interpreter)."""
    monkeypatch.chdir(tmp_path)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        code, err = run_cli(capsys, ["serve", "--store", str(FIXTURE_GRAPH), "--port", str(port), "--workers", "1"])
    finally:
        taken.close()
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "pick another --port" in err
    assert "Traceback" not in err
    assert "query workers" not in err  # said before the store's workers were started


def _serve_args(argv, monkeypatch=None, env=None):
    """`build.py serve ARGV` parsed as build.py parses it."""
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    import build

    return build.make_parser().parse_args(["serve", *argv])


def test_server_limits_reach_waitress(monkeypatch):
    """The limits a service manager sets (options or environment) are the ones waitress enforces."""
    from viewer.app import create_app
    from viewer.serve import make_server, server_options

    args = _serve_args(["--connection-limit", "321", "--max-body-bytes", "4096"], monkeypatch,
                       {"LEANGEN_CHANNEL_TIMEOUT": "7", "LEANGEN_MAX_HEADER_BYTES": "8192"})
    server = make_server(create_app(), "127.0.0.1", 0, options=server_options(args))
    try:
        adj = server.adj
        assert (adj.connection_limit, adj.channel_timeout, adj.max_request_header_size,
                adj.max_request_body_size) == (321, 7, 8192, 4096)
        assert adj.cleanup_interval <= adj.channel_timeout
    finally:
        server.close()


def test_defaults_are_not_waitress_defaults():
    """Without options the server is sized for slowloris, not waitress's 100 connections / 120 s."""
    args = _serve_args([])
    assert args.connection_limit >= 1000
    assert args.channel_timeout <= 30


def public_config(args) -> dict:
    config = app_config(args)
    return {k: config[k] for k in ("PUBLIC_URL", "TRUST_PROXY")}


def test_public_url_and_trust_proxy(monkeypatch):
    assert public_config(_serve_args(["--port", "9000"])) == {"PUBLIC_URL": "http://127.0.0.1:9000/", "TRUST_PROXY": 0}
    assert public_config(_serve_args(["--host", "::1", "--port", "9000"]))["PUBLIC_URL"] == "http://[::1]:9000/"
    args = _serve_args(["--public-url", "https://kg.example.org", "--trust-proxy"])
    assert public_config(args) == {"PUBLIC_URL": "https://kg.example.org/", "TRUST_PROXY": 1}
    args = _serve_args([], monkeypatch, {"LEANGEN_PUBLIC_URL": "https://kg.example.org:8443/",
                                         "LEANGEN_TRUST_PROXY": "2"})
    assert public_config(args) == {"PUBLIC_URL": "https://kg.example.org:8443/", "TRUST_PROXY": 2}


def test_half_open_connections_do_not_lock_out_a_new_client(live_server):
    """200 clients that send half a request and stall (slowloris) leave room for a real one.

    With waitress's defaults (100 connections, closed after 120 s) the real request waited behind them.
    """
    stalled: list[socket.socket] = []
    try:
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", live_server.port), timeout=10)
            s.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            stalled.append(s)
        with urllib.request.urlopen(live_server.url + "/sparql?query=ASK%7B%7D", timeout=10) as r:
            assert r.status == 200
            assert b"true" in r.read()
    finally:
        for s in stalled:
            s.close()


@pytest.fixture
def protected_endpoint():
    """A loopback SPARQL endpoint that answers only with HTTP basic auth reader:s3cret."""
    import base64

    good = "Basic " + base64.b64encode(b"reader:s3cret").decode()

    def answer(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("Authorization") == good:
            return 200, {"Content-Type": "application/sparql-results+json"}, b'{"head": {}, "boolean": true}'
        return 401, {"Content-Type": "text/plain", "WWW-Authenticate": 'Basic realm="sparql"'}, b"authentication required"

    with stub_endpoint(answer) as url:
        yield url


def test_serve_queries_a_protected_remote_store_with_its_credentials(protected_endpoint, monkeypatch):
    """`serve --store URL --store-user U` with LEANGEN_STORE_PASSWORD answers; without them the store says 401."""
    from graph import settings
    from store import open_store
    from store.remote import RemoteError

    monkeypatch.delenv("LEANGEN_STORE_USER", raising=False)
    monkeypatch.delenv("LEANGEN_STORE_PASSWORD", raising=False)
    bare = _serve_args(["--store", protected_endpoint])
    with pytest.raises(RemoteError, match="401"):
        open_store(protected_endpoint, **store_options(bare, protected_endpoint)).query("ASK {}")
    args = _serve_args(["--store", protected_endpoint, "--store-user", "reader"], monkeypatch,
                       {"LEANGEN_STORE_PASSWORD": "s3cret"})
    spec = settings.value(args, settings.setting("serve", "--store"))
    assert open_store(spec, **store_options(args, spec)).query("ASK {}").boolean is True



def _workers_in_group(pgid: int) -> list[int]:
    """The query workers (``store._worker``) in process group ``pgid``, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            group = int(stat.read_text().rsplit(")", 1)[1].split()[2])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if group == pgid and b"store._worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


#: Run a Python script as a terminal starts it: with SIGINT's default action. A suite started in the
#: background (``cmd &``, a benchmark harness) passes SIGINT on ignored, and Python then never raises
#: KeyboardInterrupt: the server would rightly go on serving through a Ctrl-C meant for someone else.
IN_A_TERMINAL = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                 "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def test_ctrl_c_stops_serve_cleanly(tmp_path):
    """Ctrl-C in the terminal (SIGINT to the whole process group, query workers included) ends
    `build.py serve` with exit 0, no traceback from any process and no worker left running."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", IN_A_TERMINAL, str(ROOT / "build.py"), "serve", "--store",
                             str(FIXTURE_GRAPH), "--port", str(port), "--workers", "1"], cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5).close()
                break
            except OSError:
                time.sleep(0.05)
        workers = _workers_in_group(proc.pid)
        assert workers, "the server started no query worker"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    # gone, or a zombie: a worker orphaned by the exit waits there for init to reap it, and holds nothing;
    # one that was starting as the server closed ends as it reads its closed pipe, a moment later
    deadline = time.monotonic() + 5
    while (left := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not left, f"query workers outlived the server: {left}"
