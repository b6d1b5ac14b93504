"""Links between commitments: the curated ones (``sources/curated/links.ttl``) and the ones
the commitments' own words make (:mod:`graph.cue_links`).

Why both: a reader connects commitments across the whole document (Heggstadmoen frees
Brattøra, tolls serve the 20 % cut), which no pattern can find, so those links are curated
with a rationale; what a commitment says in its own words about its purpose or partners is
found mechanically. Both are written the same way (:func:`graph.link_nodes.add_link`): the
direct triple a query walks and a node that says why.

The curated file names commitments by source line, which only the build can resolve, so it is
read here and not by :func:`graph.curated.load_curated`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef

from graph.cue_links import cue_report_graph, extract_links
from graph.curated import LINKS_FILE, PK, read_curated
from graph.document import normalise
from graph.errors import BuildError
from graph.link_nodes import LINK_KINDS, add_link
from graph.literals import integer
from graph.memory import new_graph

_END_PROPS = {
    "from": (PK.fromLine, PK.fromTarget, PK.fromProject),
    "to": (PK.toLine, PK.toTarget, PK.toProject),
}


def links_graph(
    graph: Graph,
    commitments_by_line: Mapping[int, URIRef],
    curated_dir: Path,
    lines: list[str],
) -> Graph:
    """Everything the links add to the assembled graph: the curated links (resolved), the
    extracted links and the cue report. Called by :func:`graph.pipeline.make_graph` (through
    ``_add_commitment_links``)."""
    path = Path(curated_dir) / LINKS_FILE
    out = load_curated_links(path, commitments_by_line, known=graph, lines=lines) if path.exists() else new_graph()
    extracted, records = extract_links(graph, commitments_by_line, lines)
    out += extracted
    out += cue_report_graph(records)
    return out


@dataclass
class _Resolver:
    """What resolving one curated link needs: the file, the commitment lines, what must exist."""

    path: Path
    src: Graph  # the curated file as written
    commitments_by_line: Mapping[int, URIRef]
    known: Graph | None
    normalised: list[str] | None  # the source lines, normalised, to find evidence quotes on


def load_curated_links(
    path: Path,
    commitments_by_line: Mapping[int, URIRef],
    known: Graph | None = None,
    lines: list[str] | None = None,
) -> Graph:
    """Resolve ``links.ttl``: lines → commitment IRIs; emit the direct triple and the node.

    ``commitments_by_line`` maps every source line of a commitment to its IRI. ``known``
    (the assembled graph), when given, must type every target and project IRI a link names;
    ``lines`` (the source lines), when given, must hold every evidence quote. Anything that
    does not resolve stops the build with the link, the file and what to fix.
    """
    src = read_curated(path).graph  # also stops at a link defined twice in the file
    r = _Resolver(path, src, commitments_by_line, known,
                  [normalise(line) for line in lines] if lines is not None else None)
    out = new_graph()
    out.bind("pk", PK)
    links = set(src.subjects(RDF.type, PK.CommitmentLink)) | set(src.subjects(RDF.type, PK.EntityLink))
    for link in sorted(links):
        _resolve_link(r, link, out)
    return out


def _fail(r: _Resolver, link: URIRef, msg: str) -> BuildError:
    return BuildError(f"curated link <{link}>: {msg}", path=r.path)


def _resolve_link(r: _Resolver, link: URIRef, out: Graph) -> None:
    """One curated link, checked in the order a writer fixes it: kind, ends, rationale, evidence, class."""
    src = r.src
    kind = src.value(link, PK.linkKind)
    if kind not in LINK_KINDS:
        raise _fail(r, link, f"pk:linkKind is {kind}; use pk:dependsOn, pk:supports or pk:conflictsWith.")
    ends = {side: _resolve_end(r, link, side, props) for side, props in _END_PROPS.items()}
    rationale = [o for o in src.objects(link, PK.rationale) if isinstance(o, Literal)]
    if not rationale:
        raise _fail(r, link, "has no pk:rationale.")
    evidence = _evidence(r, link)
    cls = PK.EntityLink if (link, RDF.type, PK.EntityLink) in src else PK.CommitmentLink
    if cls == PK.CommitmentLink and (PK.fromProject in set(src.predicates(link)) or
                                     PK.toProject in set(src.predicates(link))):
        raise _fail(r, link, "has a project end, so it must be typed pk:EntityLink (pk:CommitmentLink joins "
                    "commitments and targets only).")
    add_link(out, link, kind, ends["from"], ends["to"], PK.curated, rationale, evidence, cls)
    # Keep the line anchors, so a reader of the resolved graph can find the words.
    for p in (PK.fromLine, PK.toLine):
        for o in src.objects(link, p):
            out.add((link, p, integer(int(o))))
    for score in src.objects(link, PK.interactionScore):
        out.add((link, PK.interactionScore, integer(int(score))))
    for quote, line in _quotes(r, link, PK.condition):
        node = BNode()
        out.add((link, PK.condition, node))
        out.add((node, PK.quote, Literal(quote, lang="nb")))
        out.add((node, PK.line, integer(line)))


def _resolve_end(r: _Resolver, link: URIRef, side: str, props: tuple[URIRef, URIRef, URIRef]) -> URIRef:
    """The IRI at one end: a commitment by one of its lines, or a target or project of the graph."""
    p_line, p_target, _ = props
    given = [(p, o) for p in props for o in r.src.objects(link, p)]
    if len(given) != 1:
        raise _fail(r, link, f"needs exactly one {side} end (pk:{side}Line, pk:{side}Target or "
                    f"pk:{side}Project), has {len(given)}.")
    p, o = given[0]
    if p == p_line:
        n = int(o)
        if n not in r.commitments_by_line:
            raise _fail(r, link, f"line {n} ({side}) is not inside any commitment; give a line of the bullet.")
        return r.commitments_by_line[n]
    cls = PK.Target if p == p_target else PK.Project
    if r.known is not None and (o, RDF.type, cls) not in r.known:
        raise _fail(r, link, f"<{o}> ({side}) is not a {cls.n3(r.src.namespace_manager)} of the graph; "
                    "correct the IRI or define it in sources/curated/.")
    return URIRef(o)


def _evidence(r: _Resolver, link: URIRef) -> list[tuple[str, int]]:
    """The link's evidence (quote, line) pairs: at least one."""
    evidence = _quotes(r, link, PK.evidence)
    if not evidence:
        raise _fail(r, link, "has no pk:evidence.")
    return evidence


def _quotes(r: _Resolver, link: URIRef, prop: URIRef) -> list[tuple[str, int]]:
    """The (quote, line) nodes of ``prop`` (evidence, condition); each quote must stand on its line."""
    quotes: list[tuple[str, int]] = []
    name = prop.n3(r.src.namespace_manager)
    for node in r.src.objects(link, prop):
        q, n = r.src.value(node, PK.quote), r.src.value(node, PK.line)
        if q is None or n is None:
            raise _fail(r, link, f"has a {name} without pk:quote or pk:line.")
        if r.normalised is not None and (
            not 1 <= int(n) <= len(r.normalised) or normalise(str(q)) not in r.normalised[int(n) - 1]
        ):
            raise _fail(r, link, f"the {name} quote \"{q}\" is not on line {int(n)}.")
        quotes.append((str(q), int(n)))
    return quotes
