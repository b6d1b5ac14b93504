"""The SPARQL endpoint's serving options, shared by ``build.py serve`` (viewer/serve.py) and the benchmarks.

Every option has an environment variable, so a service manager can set them:

=====================  ============================  ==========================================
option                 environment                   default
=====================  ============================  ==========================================
``--timeout``          ``LEANGEN_SPARQL_TIMEOUT``    ``5`` seconds per query
``--max-rows``         ``LEANGEN_SPARQL_MAX_ROWS``   ``10000`` rows (or triples) per result
``--max-query-bytes``  ``LEANGEN_SPARQL_MAX_QUERY``  ``65536`` bytes per query / request body
``--max-result-bytes`` ``LEANGEN_SPARQL_MAX_BYTES``  ``16777216`` bytes (16 MiB) per result
``--workers``          ``LEANGEN_SPARQL_WORKERS``    2 × cores, 2–8 (embedded query processes)
``--worker-memory``    ``LEANGEN_SPARQL_WORKER_MEMORY``  ``1024`` MiB address space per worker
=====================  ============================  ==========================================
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def at_least(minimum: float, kind: type = int, what: str = "a whole number", env: str | None = None):
    """An argparse type: a number no smaller than ``minimum``, with a message that says so.

    Defaults are given as strings (from the environment), so argparse checks them with the same
    function: a bad ``LEANGEN_…`` value is reported like a bad option, naming the variable.
    """
    where = f" (from the option or the environment variable {env})" if env else ""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}{where}") from None
        if not value >= minimum:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"{text!r} is too small{where}: give at least {minimum:g}")
        return value
    parse.__name__ = what  # argparse names the type in some messages
    return parse


def add_sparql_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("SPARQL endpoint limits")
    g.add_argument("--timeout", type=at_least(0.01, float, "a number of seconds", "LEANGEN_SPARQL_TIMEOUT"),
                   default=_env("LEANGEN_SPARQL_TIMEOUT", "5"),
                   help="time limit per query in seconds (env LEANGEN_SPARQL_TIMEOUT; default %(default)s)")
    g.add_argument("--max-rows", type=at_least(1, env="LEANGEN_SPARQL_MAX_ROWS"),
                   default=_env("LEANGEN_SPARQL_MAX_ROWS", "10000"),
                   help="row limit per result (env LEANGEN_SPARQL_MAX_ROWS; default %(default)s)")
    g.add_argument("--max-query-bytes", type=at_least(256, env="LEANGEN_SPARQL_MAX_QUERY"),
                   default=_env("LEANGEN_SPARQL_MAX_QUERY", "65536"),
                   help="size limit of a query or request body (env LEANGEN_SPARQL_MAX_QUERY; default %(default)s)")
    g.add_argument("--max-result-bytes", type=at_least(1024, env="LEANGEN_SPARQL_MAX_BYTES"),
                   default=_env("LEANGEN_SPARQL_MAX_BYTES", str(16 * 1024 * 1024)),
                   help="size limit of one result, counted on its terms' text; a bigger result is cut "
                   "and says so (env LEANGEN_SPARQL_MAX_BYTES; default %(default)s)")
    g.add_argument("--worker-memory", type=at_least(256, env="LEANGEN_SPARQL_WORKER_MEMORY"),
                   default=_env("LEANGEN_SPARQL_WORKER_MEMORY", "1024"),
                   help="embedded store: address-space limit per query worker in MiB; a query that needs "
                   "more ends its worker, which is replaced (env LEANGEN_SPARQL_WORKER_MEMORY; default %(default)s)")
    g.add_argument("--workers", type=at_least(1, env="LEANGEN_SPARQL_WORKERS"),
                   default=os.environ.get("LEANGEN_SPARQL_WORKERS") or None,
                   help="embedded store: query worker processes (env LEANGEN_SPARQL_WORKERS; default 2 per core)")


def sparql_config(args: argparse.Namespace) -> dict[str, Any]:
    """The app.config entries for the options above."""
    return {"SPARQL_TIMEOUT": args.timeout, "SPARQL_MAX_ROWS": args.max_rows,
            "SPARQL_MAX_QUERY_BYTES": args.max_query_bytes, "SPARQL_MAX_BYTES": args.max_result_bytes}


def store_options(args: argparse.Namespace, spec: Any) -> dict[str, Any]:
    """Keyword options for :func:`store.open_store`."""
    if str(spec).startswith(("http://", "https://")):
        return {}
    options = {"worker_memory": args.worker_memory << 20}
    if getattr(args, "workers", None):
        options["workers"] = args.workers
    return options
