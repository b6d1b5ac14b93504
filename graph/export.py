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

from rdflib import Graph

from graph.errors import BuildError

SERIALISATIONS = {"graph.ttl": "turtle", "graph.nt": "nt", "graph.jsonld": "json-ld", "graph.rdf": "xml"}


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


def write_graph(graph: Graph, folder: Path) -> dict[str, int]:
    """The graph in Turtle, N-Triples, JSON-LD and RDF/XML; returns each file's size in bytes."""
    sizes = {}
    for name, fmt in SERIALISATIONS.items():
        path = folder / name
        if fmt == "json-ld":
            context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
            graph.serialize(path, format=fmt, context=context, auto_compact=True, encoding="utf-8")
        elif fmt == "nt":
            # Sorted lines: the same graph always gives the same file (diffable, cacheable).
            lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
            path.write_text("\n".join(sorted(set(filter(None, lines)))) + "\n", encoding="utf-8")
        else:
            graph.serialize(path, format=fmt, encoding="utf-8")
        sizes[name] = path.stat().st_size
    return sizes


def write_json(data: object, path: Path) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
