#!/usr/bin/env python3
"""Leangen KG command line: build the graph, serve the viewer, publish, analyse.

    python build.py                      build dist/ from sources/
    python build.py serve --port 8000    serve the viewer and SPARQL endpoint on 127.0.0.1
    python build.py publish --endpoint URL   load dist/graph.nt into a SPARQL 1.1 store
    python build.py analyse              network analysis tables (and dist/ exports)

Bad input ends with one readable paragraph and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from graph import settings
from graph.errors import BuildError


def cmd_build(args: argparse.Namespace) -> int:
    from graph.catalogue import write_catalogue
    from graph.pipeline import Paths, build
    from graph.report import format_summary
    from viewer.network_page import write_offline_page

    paths = Paths(args.source, args.curated, args.ontology, args.shapes, args.dist, args.status)
    built = build(paths, args.base,
                  products=[lambda built, out: write_offline_page(built, out, viewer_url=args.viewer_url),
                            lambda built, out: write_catalogue(out, args.viewer_url)])  # last: sums the files
    print(format_summary(built.report, built.timings))
    print(f"wrote {args.dist}/ (graph.ttl, graph.nt, graph.jsonld, graph.rdf, build-report.json, …)")
    return 0


def _handler(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A subcommand's handler, imported only when that subcommand runs: ``serve`` needs Flask and
    waitress, ``publish`` the remote store, ``analyse`` networkx — none of which the build's parser
    needs, and importing them all took a third of a second of every build."""
    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module), name)(args)
    run.__qualname__ = run.__name__ = f"{module}.{name}"
    return run


def make_parser() -> argparse.ArgumentParser:
    """build.py's parser: every option comes from the settings table (docs/settings.md)."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0],
                                     epilog="Every option and its environment variable: docs/settings.md")
    settings.add_arguments(parser, "build")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help=settings.COMMANDS["build"])
    # Each further subcommand's handler lives in its own module; ``handler(args) -> int``.
    settings.add_command(sub, "serve", _handler("viewer.serve", "run"))
    settings.add_command(sub, "publish", _handler("store.publish", "publish"))
    settings.add_command(sub, "analyse", _handler("graph.analyse_cli", "analyse"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        handler = getattr(args, "handler", None) or cmd_build
        return handler(args)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    code = main()
    # What the command made is garbage now, and the interpreter would spend ~0.2 s of a ~2 s build
    # freeing the graphs object by object (cycles collected first); the system takes the memory back
    # at once. Everything was closed and written (dist/ swapped in, the store closed) before main returned.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
