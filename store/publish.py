"""``python build.py publish --endpoint URL``: load dist/graph.nt into a SPARQL 1.1 store.

The graph goes in whole, replacing the named graph (default ``graph.vocab.DEFAULT_GRAPH_IRI``), by
the SPARQL 1.1 Graph Store HTTP Protocol (``PUT``). For Virtuoso that is its
``/sparql-graph-crud-auth`` endpoint with the dba account; publishing refuses a Virtuoso that still
accepts the default ``dba``/``dba`` password unless ``--allow-default-password`` is given. The options
and their environment variables are rows of the settings table (docs/settings.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph import settings
from store import StoreError, graph_file


def register(sub) -> None:
    """Add the ``publish`` subcommand to build.py, its options from the settings table."""
    settings.add_command(sub, "publish", publish)


def publish(args: argparse.Namespace) -> int:
    from store.remote import RemoteStore, default_password_accepted

    try:
        path = args.file or graph_file(getattr(args, "dist", None) or Path(__file__).resolve().parent.parent / "dist")
        dialect = args.dialect or _guess_dialect(args.endpoint)
        store = RemoteStore(args.endpoint, args.graph, gsp_url=args.gsp, user=args.user, password=args.password,
                            dialect=None if dialect == "generic" else dialect)
        if dialect == "virtuoso" and default_password_accepted(store.gsp_url):
            msg = (f"{store.gsp_url} still accepts Virtuoso's default password dba/dba: anyone who can reach "
                   "it can change or delete the data. Set a password first, e.g.\n"
                   "  isql-vt 1111 dba dba \"exec=USER_SET_PASSWORD('dba', '<new password>');\"")
            if not args.allow_default_password:
                print(f"error: {msg}\n(or pass --allow-default-password)", file=sys.stderr)
                return 2
            print(f"warning: {msg}", file=sys.stderr)
        n = store.load(path, args.graph)
    except StoreError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"published {path} to <{args.graph}> at {args.endpoint}: {n} triples there now")
    if dialect == "virtuoso":
        print("note: Virtuoso cuts results at its ResultSetMaxRows (10 000 by default) and says so only in "
              "the X-SPARQL-MaxRows header; serve with `build.py serve --store URL` to have that flagged.")
    return 0


def _guess_dialect(url: str) -> str:
    import urllib.request

    try:
        req = urllib.request.Request(url + "?" + "query=ASK%7B%7D", method="GET",
                                     headers={"Accept": "application/sparql-results+json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as resp:
            server = resp.headers.get("Server", "")
    except OSError:
        return "generic"
    return "virtuoso" if "virtuoso" in server.lower() else "generic"
