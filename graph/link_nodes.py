"""How a link is written into the graph, the same for curated and extracted links.

Every link is two things: the direct triple (``?from pk:supports ?to``) that a query walks, and
a qualified node with its kind, rationale, evidence and origin, which says why.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef

from graph.curated import PK
from graph.document import normalise
from graph.literals import integer

LINK_KINDS = (PK.dependsOn, PK.supports, PK.conflictsWith)
# Extracted links to a project or actor qualify the entity property the linker already set
# (a cue says *how* the commitment involves the actor). Their nodes, and the curated link
# between the two projects of one commitment (Heggstadmoen → Brattøra), are pk:EntityLink:
# the same properties as pk:CommitmentLink, but an end may be a project or an actor, so
# queries over pk:CommitmentLink keep meeting only commitments and targets.
ENTITY_KINDS = (PK.concernsProject, PK.involvesActor)


def add_link(
    g: Graph,
    link: URIRef,
    kind: URIRef,
    frm: URIRef,
    to: URIRef,
    origin: URIRef,
    rationale: list[Literal],
    evidence: list[tuple[str, int]],
    cls: URIRef | None = None,
) -> None:
    """The direct triple and the qualified node with its numbered evidence nodes.

    ``cls`` defaults to pk:EntityLink for the entity kinds (an end is a project or an actor) and to
    pk:CommitmentLink otherwise (commitment and target ends).
    """
    g.add((frm, kind, to))
    if cls is None:
        cls = PK.EntityLink if kind in ENTITY_KINDS else PK.CommitmentLink
    g.add((link, RDF.type, cls))
    g.add((link, PK.linkKind, kind))
    g.add((link, PK["from"], frm))
    g.add((link, PK.to, to))
    g.add((link, PK.origin, origin))
    for r in rationale:
        g.add((link, PK.rationale, r))
    for i, (quote, line) in enumerate(evidence, start=1):
        node = URIRef(f"{link}/evidence/{i}")
        g.add((link, PK.evidence, node))
        g.add((node, PK.quote, Literal(normalise(quote), lang="nb")))
        g.add((node, PK.line, integer(line)))
