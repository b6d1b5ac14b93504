"""Write the build's outputs into a staging folder, then swap it in as ``dist/``.

A failed build must leave the previous ``dist/`` untouched, and a reader (the viewer,
a download) must never see half a file: everything is written into a fresh folder
next to ``dist/`` and only a finished folder replaces it (two renames).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.errors import BuildError
from graph.oxi import Converter

# JSON-LD is pyoxigraph's expanded form: full IRIs, no @context, so every JSON-LD processor reads it
# the same way without fetching anything.
SERIALISATIONS = {"graph.ttl": ox.RdfFormat.TURTLE, "graph.nt": ox.RdfFormat.N_TRIPLES,
                  "graph.jsonld": ox.RdfFormat.JSON_LD, "graph.rdf": ox.RdfFormat.RDF_XML}


def serialise(graph: Graph, media_type: str) -> bytes:
    """One graph as ``media_type``, by the writers that make ``dist/``, in a fixed order.

    rdflib's own Turtle writes ``"300"^^xsd:decimal`` as ``300.0``, another literal; Oxigraph's
    writers keep every term as it is, so a page's RDF says what ``graph.nt`` says.
    """
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"no RDF format for {media_type!r}")
    triples = sorted(Converter().triples(graph), key=str)
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p} if fmt in (ox.RdfFormat.TURTLE,
                                                                            ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt)


@contextmanager
def staging(dist: Path) -> Iterator[Path]:
    """A folder to write the new ``dist/`` into; swapped in only if the block succeeds."""
    dist = dist.resolve()
    try:
        dist.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dist.name}-new-", dir=dist.parent))
    except OSError as err:
        raise BuildError(f"cannot write the output folder here ({err.strerror}); pass --dist with a folder "
                         "you can write to.", path=dist) from None
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)  # mkdtemp makes it private; dist/ is for everyone to read
    old = dist.parent / f".{dist.name}-old"
    shutil.rmtree(old, ignore_errors=True)
    try:
        if dist.exists():
            dist.rename(old)
        tmp.rename(dist)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"cannot replace the output folder ({err.strerror}); the previous one is "
                         f"{'kept' if dist.exists() else 'in ' + str(old)}.", path=dist) from None
    shutil.rmtree(old, ignore_errors=True)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Write one file via a temporary file beside it and a rename, so a reader never sees half a file.

    For files written outside a :func:`staging` folder (``build.py analyse``, a standalone
    network page); ``write`` gets the temporary path.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_graph(graph: Graph, folder: Path, triples: list[ox.Triple] | None = None) -> dict[str, int]:
    """The graph in Turtle, N-Triples, JSON-LD and RDF/XML; returns each file's size in bytes.

    pyoxigraph writes all four (rdflib's serialisers took seconds). It writes triples in the order
    it is given them, so they are sorted first: every file is a function of the triples alone (not of
    set order, which changes with PYTHONHASHSEED), and rebuilding unchanged sources gives byte-identical
    files. ``triples`` is ``graph`` already converted (graph/oxi.py), when the caller has it.
    """
    if triples is None:
        triples = Converter().triples(graph)
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    nt = ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(ns) for prefix, ns in sorted(graph.namespaces())
                if prefix and f"<{ns}".encode() in nt}
    sizes = {}
    for name, fmt in SERIALISATIONS.items():
        path = folder / name
        if fmt is ox.RdfFormat.N_TRIPLES:
            path.write_bytes(nt)
        else:
            ox.serialize(ordered, str(path), fmt, prefixes=prefixes)
        sizes[name] = path.stat().st_size
    return sizes


def write_json(data: object, path: Path) -> None:
    """JSON in the order the data was built (the report is built in a fixed order: areas as in the
    document, counts most first), so the same data always gives the same bytes."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
