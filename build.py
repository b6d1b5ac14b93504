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
import os
import re
import sys
from pathlib import Path

from graph import analyse_cli
from graph.curated import DEFAULT_BASE
from graph.errors import BuildError
from graph.pipeline import Paths
from store import publish
from viewer import serve


def _build_args(parser: argparse.ArgumentParser) -> None:
    d = Paths()
    parser.add_argument("--source", type=Path, default=d.source, help="the platform text (default: %(default)s)")
    parser.add_argument("--curated", type=Path, default=d.curated, help="folder of curated Turtle")
    parser.add_argument("--ontology", type=Path, default=d.ontology, help="the ontology Turtle file")
    parser.add_argument("--shapes", type=Path, default=d.shapes, help="SHACL shapes (file or folder)")
    parser.add_argument("--dist", type=Path, default=d.dist, help="output folder (replaced atomically)")
    parser.add_argument(
        "--base",
        type=_base_iri,
        default=os.environ.get("LEANGEN_BASE_IRI", DEFAULT_BASE),
        help="base IRI of the data (env LEANGEN_BASE_IRI; default %(default)s)",
    )


def _base_iri(text: str) -> str:
    """Every data IRI is the base plus ``place/heimdal`` and the like, so it must end in '/'."""
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an absolute http(s) IRI ending in '/' (from --base or LEANGEN_BASE_IRI), "
            "e.g. https://data.example.org/leangen/")
    return text


def _paths(args: argparse.Namespace) -> Paths:
    return Paths(args.source, args.curated, args.ontology, args.shapes, args.dist)


def cmd_build(args: argparse.Namespace) -> int:
    from graph.pipeline import build
    from graph.report import format_summary
    from viewer.network_page import write_offline_page

    built = build(_paths(args), args.base, products=[write_offline_page])
    print(format_summary(built.report, built.timings))
    print(f"wrote {args.dist}/ (graph.ttl, graph.nt, graph.jsonld, graph.rdf, build-report.json, …)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    _build_args(parser)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build", help="build dist/ (the default)")
    # Each further subcommand lives in its own module, whose ``register(subparsers)`` adds a
    # parser with ``set_defaults(handler=fn)``, ``fn(args) -> int``.
    serve.register(sub)
    publish.register(sub)
    analyse_cli.register(sub)
    args = parser.parse_args(argv)
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
