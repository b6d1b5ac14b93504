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

from rdflib import XSD, Graph, Literal
from rdflib.plugins.serializers.rdfxml import XMLSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

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
    """The graph in Turtle, N-Triples, JSON-LD and RDF/XML; returns each file's size in bytes.

    Every file is a function of the triples alone (not of set order, which changes with
    PYTHONHASHSEED), so rebuilding unchanged sources gives byte-identical files.
    """
    sizes = {}
    for name, fmt in SERIALISATIONS.items():
        path = folder / name
        if fmt == "json-ld":
            _write_jsonld(graph, path)
        elif fmt == "nt":
            # Sorted lines: the same graph always gives the same file (diffable, cacheable).
            lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
            path.write_text("\n".join(sorted(set(filter(None, lines)))) + "\n", encoding="utf-8")
        elif fmt == "xml":
            _write_rdfxml(graph, path)
        else:
            with path.open("wb") as stream:  # rdflib's Turtle sorts subjects itself
                _ExactTurtle(graph).serialize(stream, encoding="utf-8")
        sizes[name] = path.stat().st_size
    return sizes


class _ExactTurtle(TurtleSerializer):
    """rdflib's Turtle, except that a whole-number decimal keeps its published form.

    rdflib writes ``"300"^^xsd:decimal`` as the short form ``300.0``, which reads back as the literal
    ``"300.0"``: another term than the one in graph.nt and the store. It is written out in full instead.
    """

    def label(self, node: Node, position: int) -> str:
        if isinstance(node, Literal) and node.datatype == XSD.decimal and "." not in node:
            return node._literal_n3(qname_callback=lambda dt: self.get_pname(dt, True))
        return super().label(node, position)


def _write_jsonld(graph: Graph, path: Path) -> None:
    """JSON-LD in one canonical order: rdflib's output follows set order, so it is re-sorted."""
    context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    doc = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    path.write_text(json.dumps(canonical_json(doc), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")


def canonical_json(value: object) -> object:
    """``value`` with every JSON-LD array in a fixed order (keys are sorted when dumped).

    JSON-LD arrays are unordered sets of values, except an ``@list``, which keeps its order;
    sorting the rest (nodes by ``@id``, values by their JSON text) changes no triple.
    """
    if isinstance(value, dict):
        return {k: ([canonical_json(v) for v in item] if k == "@list" and isinstance(item, list)
                    else canonical_json(item)) for k, item in value.items()}
    if isinstance(value, list):
        return sorted((canonical_json(v) for v in value), key=_json_sort_key)
    return value


def _json_sort_key(value: object) -> tuple[str, str]:
    """Nodes by ``@id`` first, then anything by its canonical JSON text."""
    node_id = value.get("@id", "") if isinstance(value, dict) else ""
    return str(node_id), json.dumps(value, ensure_ascii=False, sort_keys=True)


class _SortedGraph(Graph):
    """A view of a graph's store whose subjects and predicate-object pairs come out sorted.

    rdflib's RDF/XML serialiser writes subjects and properties in the store's set order; this
    view hands it the same triples in N3 order, so the file depends only on the triples.
    """

    def subjects(self, predicate: Node | None = None, object: Node | None = None,
                 unique: bool = False) -> Iterator[Node]:
        return iter(sorted(set(super().subjects(predicate, object)), key=_n3))

    def predicates(self, subject: Node | None = None, object: Node | None = None,
                   unique: bool = False) -> Iterator[Node]:
        return iter(sorted(set(super().predicates(subject, object)), key=_n3))

    def predicate_objects(self, subject: Node | None = None,
                          unique: bool = False) -> Iterator[tuple[Node, Node]]:
        pairs = set(super().predicate_objects(subject))
        return iter(sorted(pairs, key=lambda pair: (_n3(pair[0]), _n3(pair[1]))))


def _n3(term: Node) -> str:
    return term.n3()


def _write_rdfxml(graph: Graph, path: Path) -> None:
    """RDF/XML from rdflib's plain serialiser, fed in sorted order (see :class:`_SortedGraph`)."""
    view = _SortedGraph(store=graph.store, identifier=graph.identifier,
                        namespace_manager=graph.namespace_manager)
    for predicate in view.predicates():
        # A namespace without a prefix gets ns1, ns2 … in the order the serialiser meets it (set
        # order); asking here, in sorted order, fixes those names first.
        view.namespace_manager.compute_qname_strict(predicate)
    with path.open("wb") as stream:
        XMLSerializer(view).serialize(stream, encoding="utf-8")


def write_json(data: object, path: Path) -> None:
    """JSON in the order the data was built (the report is built in a fixed order: areas as in the
    document, counts most first), so the same data always gives the same bytes."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
