"""`build.py serve` options and environment variables for the SPARQL endpoint."""

from __future__ import annotations

import argparse

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
    assert sparql_config(args) == {"SPARQL_TIMEOUT": 5.0, "SPARQL_MAX_ROWS": 10_000, "SPARQL_MAX_QUERY_BYTES": 65536}


def test_environment(monkeypatch):
    args = parse([], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "2.5", "LEANGEN_SPARQL_MAX_ROWS": "500",
                                   "LEANGEN_SPARQL_MAX_QUERY": "1000", "LEANGEN_SPARQL_WORKERS": "3"})
    assert sparql_config(args) == {"SPARQL_TIMEOUT": 2.5, "SPARQL_MAX_ROWS": 500, "SPARQL_MAX_QUERY_BYTES": 1000}
    assert store_options(args, "dist") == {"workers": 3}
    assert store_options(args, "http://127.0.0.1:8890/sparql") == {}


def test_options_override_environment(monkeypatch):
    args = parse(["--timeout", "1", "--max-rows", "7"], monkeypatch, {"LEANGEN_SPARQL_TIMEOUT": "9"})
    assert sparql_config(args)["SPARQL_TIMEOUT"] == 1.0
    assert sparql_config(args)["SPARQL_MAX_ROWS"] == 7


def test_build_py_serve_has_the_options():
    import build

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    import viewer.serve

    viewer.serve.register(sub)
    args = parser.parse_args(["serve", "--port", "9", "--timeout", "3", "--max-rows", "11"])
    assert (args.port, args.timeout, args.max_rows) == (9, 3.0, 11)
    assert build.main is not None
