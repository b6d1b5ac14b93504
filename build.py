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
import sys

from graph import analyse_cli, settings
from graph.errors import BuildError
from graph.pipeline import Paths
from store import publish
from viewer import serve


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(args.source, args.curated, args.ontology, args.shapes, args.dist, args.status)


def cmd_build(args: argparse.Namespace) -> int:
    from graph.pipeline import build
    from graph.report import format_summary
    from viewer.network_page import write_offline_page

    built = build(_paths(args), args.base,
                  products=[lambda built, out: write_offline_page(built, out, viewer_url=args.viewer_url)])
    print(format_summary(built.report, built.timings))
    print(f"wrote {args.dist}/ (graph.ttl, graph.nt, graph.jsonld, graph.rdf, build-report.json, …)")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """build.py's parser: every option comes from the settings table (docs/settings.md)."""
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0],
                                     epilog="Every option and its environment variable: docs/settings.md")
    settings.add_arguments(parser, "build")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help=settings.COMMANDS["build"])
    # Each further subcommand's handler lives in its own module; ``handler(args) -> int``.
    serve.register(sub)
    publish.register(sub)
    settings.add_command(sub, "analyse", analyse_cli.analyse)
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
    sys.exit(main())
