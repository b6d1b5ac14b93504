"""The SPARQL endpoint's serving options, shared by ``build.py serve`` (viewer/serve.py) and the benchmarks.

Every option has an environment variable, so a service manager can set them:

=====================  ============================  ==========================================
option                 environment                   default
=====================  ============================  ==========================================
``--timeout``          ``LEANGEN_SPARQL_TIMEOUT``    ``5`` seconds per query
``--max-rows``         ``LEANGEN_SPARQL_MAX_ROWS``   ``10000`` rows (or triples) per result
``--max-query-bytes``  ``LEANGEN_SPARQL_MAX_QUERY``  ``65536`` bytes per query / request body
``--workers``          ``LEANGEN_SPARQL_WORKERS``    2 × cores, 2–8 (embedded query processes)
=====================  ============================  ==========================================
"""

from __future__ import annotations

import argparse
import os
from typing import Any


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def add_sparql_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("SPARQL endpoint limits")
    g.add_argument("--timeout", type=float, default=float(_env("LEANGEN_SPARQL_TIMEOUT", "5")),
                   help="time limit per query in seconds (env LEANGEN_SPARQL_TIMEOUT; default %(default)s)")
    g.add_argument("--max-rows", type=int, default=int(_env("LEANGEN_SPARQL_MAX_ROWS", "10000")),
                   help="row limit per result (env LEANGEN_SPARQL_MAX_ROWS; default %(default)s)")
    g.add_argument("--max-query-bytes", type=int, default=int(_env("LEANGEN_SPARQL_MAX_QUERY", "65536")),
                   help="size limit of a query or request body (env LEANGEN_SPARQL_MAX_QUERY; default %(default)s)")
    g.add_argument("--workers", type=int, default=int(_env("LEANGEN_SPARQL_WORKERS", "0")) or None,
                   help="embedded store: query worker processes (env LEANGEN_SPARQL_WORKERS; default 2 per core)")


def sparql_config(args: argparse.Namespace) -> dict[str, Any]:
    """The app.config entries for the options above."""
    return {"SPARQL_TIMEOUT": args.timeout, "SPARQL_MAX_ROWS": args.max_rows,
            "SPARQL_MAX_QUERY_BYTES": args.max_query_bytes}


def store_options(args: argparse.Namespace, spec: Any) -> dict[str, Any]:
    """Keyword options for :func:`store.open_store`."""
    if getattr(args, "workers", None) and not str(spec).startswith(("http://", "https://")):
        return {"workers": args.workers}
    return {}
