"""``python build.py publish --endpoint URL``: load dist/graph.nt into a SPARQL 1.1 store.

The graph goes in whole, replacing the named graph (default ``https://leangen-kg.org/id/graph``), by
the SPARQL 1.1 Graph Store HTTP Protocol (``PUT``). For Virtuoso that is its
``/sparql-graph-crud-auth`` endpoint with the dba account; publishing refuses a Virtuoso that still
accepts the default ``dba``/``dba`` password unless ``--allow-default-password`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
from pathlib import Path

from store import DEFAULT_GRAPH_IRI, StoreError, graph_file


def register(sub) -> None:
    p = sub.add_parser("publish", help="load dist/graph.nt into a SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB …)")
    p.add_argument("--endpoint", required=True, type=http_url,
                   help="the store's SPARQL query endpoint, e.g. http://127.0.0.1:8890/sparql")
    p.add_argument("--gsp", type=http_url, default=os.environ.get("LEANGEN_STORE_GSP"),
                   help="its Graph Store Protocol endpoint (default: Virtuoso's /sparql-graph-crud-auth "
                        "next to --endpoint, else /data; env LEANGEN_STORE_GSP)")
    p.add_argument("--graph", default=DEFAULT_GRAPH_IRI, help="the named graph to replace (default %(default)s)")
    p.add_argument("--file", type=Path, default=None, help="the graph file (default: graph.nt in --dist)")
    p.add_argument("--user", default=os.environ.get("LEANGEN_STORE_USER"),
                   help="user for the Graph Store endpoint (env LEANGEN_STORE_USER)")
    p.add_argument("--password", default=os.environ.get("LEANGEN_STORE_PASSWORD"),
                   help="password (env LEANGEN_STORE_PASSWORD; prefer the environment to the command line)")
    p.add_argument("--dialect", choices=["virtuoso", "generic"], default=None,
                   help="server quirks to handle (default: guessed from the URL and the server header)")
    p.add_argument("--allow-default-password", action="store_true",
                   help="publish even to a Virtuoso that still accepts dba/dba (not recommended)")
    p.set_defaults(handler=publish)


def http_url(text: str) -> str:
    """An argparse type: an http(s) URL with a host (urllib would fail later with a traceback)."""
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL, e.g. http://127.0.0.1:8890/sparql")
    return text


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
