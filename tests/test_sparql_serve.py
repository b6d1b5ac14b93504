"""`build.py serve` options and environment variables for the SPARQL endpoint."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys

import pytest
from sparql_support import FIXTURE_GRAPH, ROOT

from viewer.sparql_serve import add_sparql_arguments, sparql_config, store_options


def parse(argv, monkeypatch=None, env=None):
    if env:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
    p = argparse.ArgumentParser()
    add_sparql_arguments(p)
    return p.parse_args(argv)


def test_defaults():
    args = parse([])
    assert sparql_config(args) == {"SPARQL_TIMEOUT": 5.0, "SPARQL_MAX_ROWS": 10_000, "SPARQL_MAX_QUERY_BYTES": 65536,
                                   "SPARQL_MAX_BYTES": 16 * 1024 * 1024}
    assert store_options(args, "dist") == {"worker_memory": 1024 << 20}


def test_environment(monkeypatch):
    args = parse([], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "2.5", "LEANGEN_SPARQL_MAX_ROWS": "500",
                                   "LEANGEN_SPARQL_MAX_QUERY": "1000", "LEANGEN_SPARQL_WORKERS": "3",
                                   "LEANGEN_SPARQL_MAX_BYTES": "2048", "LEANGEN_SPARQL_WORKER_MEMORY": "512"})
    assert sparql_config(args) == {"SPARQL_TIMEOUT": 2.5, "SPARQL_MAX_ROWS": 500, "SPARQL_MAX_QUERY_BYTES": 1000,
                                   "SPARQL_MAX_BYTES": 2048}
    assert store_options(args, "dist") == {"workers": 3, "worker_memory": 512 << 20}
    assert store_options(args, "http://127.0.0.1:8890/sparql") == {}


def test_options_override_environment(monkeypatch):
    args = parse(["--timeout", "1", "--max-rows", "7"], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "9"})
    assert sparql_config(args)["SPARQL_TIMEOUT"] == 1.0
    assert sparql_config(args)["SPARQL_MAX_ROWS"] == 7


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


def test_serve_on_a_port_in_use_says_so(tmp_path):
    """A second `serve` on a taken port gets one clear line and exit 2, not waitress's traceback."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        run = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--store", str(FIXTURE_GRAPH),
             "--port", str(port), "--workers", "1"],
            check=False, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    finally:
        taken.close()
    assert run.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "pick another --port" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
