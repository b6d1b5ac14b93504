"""``python build.py serve``: the viewer and the SPARQL endpoint on 127.0.0.1.

waitress (a production WSGI server with threads) rather than Flask's development server, because
a workshop room may open the network on many laptops at once. The store is opened once here and
shared by every page; the network layout is computed in the background right away, so the first
visitor of /network does not wait for it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``serve`` subcommand to build.py."""
    p = sub.add_parser("serve", help="serve the viewer and the SPARQL endpoint on 127.0.0.1")
    from viewer.sparql_serve import add_sparql_arguments, at_least  # --timeout, … (and their env vars)

    p.add_argument("--port", type=_port, default=os.environ.get("PORT", "8000"),
                   help="port on the host, 1–65535 (env PORT; default %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    p.add_argument("--store", default=None,
                   help="a dist folder, a graph file or a SPARQL endpoint URL (env LEANGEN_STORE; default: --dist)")
    p.add_argument("--threads", type=at_least(1), default=8, help="request threads (default %(default)s)")
    add_sparql_arguments(p)
    p.set_defaults(handler=run)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number, 1–65535 (from --port or PORT)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Open the store, make the app, warm the network, serve until interrupted."""
    import waitress

    from store import StoreError, open_store
    from viewer import network
    from viewer.app import create_app
    from viewer.sparql_serve import sparql_config, store_options

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    spec = args.store or os.environ.get("LEANGEN_STORE") or args.dist
    try:
        store = open_store(spec, **store_options(args, spec))
    except StoreError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    isolation = getattr(store, "health", dict)().get("network_isolation")
    if isolation:
        print(f"query workers: network isolation {isolation}", file=sys.stderr)
    config: dict[str, Any] = {"STORE": store, "DIST_DIR": args.dist, **sparql_config(args)}
    base = getattr(args, "base", None)
    if base:
        config["BASE_IRI"] = base
    app = create_app(config)
    try:
        try:
            server = waitress.create_server(app, host=args.host, port=args.port, threads=args.threads,
                                            ident="leangen-kg")
        except OSError as err:
            print(f"error: cannot listen on {args.host}:{args.port}: {err.strerror}. Is another "
                  "`build.py serve` running there? Stop it or pick another --port.", file=sys.stderr)
            return 2
        network.warm_up(app)
        print(f"Leangen KG viewer on http://{args.host}:{args.port}/  (Ctrl-C to stop)")
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        store.close()
    return 0
