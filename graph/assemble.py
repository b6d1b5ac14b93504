"""Turn the document model, the curated entities and the links into one RDF graph.

Every fact the extractor adds carries its evidence: commitments their source lines,
links a :class:`pk:Mention` with the matched words and the line they stand on, targets
the commitment whose words state them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from graph.curated import DEFAULT_BASE, PK, Curated
from graph.document import Area, Block, Commitment, Document, Piece, normalise
from graph.errors import BuildError
from graph.features import StrengthLexicon, short_label
from graph.link import Linker, Match, Unmatched, property_for_class
from graph.literals import integer
from graph.memory import new_graph
from graph.vocab import GEO, SCHEMA


def slugify(text: str) -> str:
    """Readable, stable ASCII slugs: "Miljø, næring og samferdsel" → "miljo-naering-samferdsel"."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w != "og"]
    return "-".join(words)


def nb(text: str) -> Literal:
    """A literal in Norwegian bokmål, the document's language."""
    return Literal(text, lang="nb")


@dataclass
class BuildResult:
    graph: Graph
    unmatched: list[tuple[URIRef, Unmatched]] = field(default_factory=list)
    no_lead: list[URIRef] = field(default_factory=list)
    commitment_iris: dict[int, URIRef] = field(default_factory=dict)  # every source line of a commitment → IRI


@dataclass
class _Assembly:
    """What every step of :func:`assemble` adds to or draws on."""

    g: Graph
    result: BuildResult
    linker: Linker
    lexicon: StrengthLexicon
    doc_iri: URIRef
    mentions: Counter[URIRef] = field(default_factory=Counter)  # per subject, to number its pk:Mention nodes
    property_for: dict[URIRef, URIRef] = field(default_factory=property_for_class)  # class → pk: property


LK = Namespace(DEFAULT_BASE)


def assemble(doc: Document, curated: Curated, ontology: Graph, lexicon: StrengthLexicon) -> BuildResult:
    """The whole graph, under the default base (:func:`graph.curated.rebase` moves it to another).

    The ontology and the curated entities, then the document, its areas, topics and commitments
    with the links their words make, then the curated targets attached to their commitments.
    """
    g = _start_graph(curated, ontology)
    a = _Assembly(g, BuildResult(g), Linker(curated), lexicon,
                  LK[f"document/{slugify(doc.path.stem)}"])
    _add_document(a, doc)
    _add_parties(a, doc, curated)
    schemes = _add_schemes(a)
    for area in doc.areas:
        _add_area(a, area, *schemes)
    _attach_targets(g, doc, curated, a.result)
    return a.result


def _start_graph(curated: Curated, ontology: Graph) -> Graph:
    """A graph with the ontology, the curated entities and the prefixes the serialisations use."""
    g = new_graph()
    for prefix, ns in (("pk", PK), ("lk", LK), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV),
                       ("geo", GEO), ("schema", SCHEMA), ("owl", OWL), ("xsd", XSD)):
        g.bind(prefix, ns)
    for prefix, ns in curated.graph.namespaces():
        if str(ns).startswith(DEFAULT_BASE):
            g.bind(prefix, ns, override=False)
    g += ontology
    g += curated.graph
    return g


def _add_document(a: _Assembly, doc: Document) -> None:
    """The pk:PolicyDocument: title, period, checksum; the places its title and preamble name."""
    g, doc_iri = a.g, a.doc_iri
    g.add((doc_iri, RDF.type, PK.PolicyDocument))
    g.add((doc_iri, DCTERMS.title, nb(doc.title)))
    g.add((doc_iri, DCTERMS.alternative, nb(doc.subtitle)))
    g.add((doc_iri, PK.periodStart, Literal(str(doc.period_start), datatype=XSD.gYear)))
    g.add((doc_iri, PK.periodEnd, Literal(str(doc.period_end), datatype=XSD.gYear)))
    g.add((doc_iri, DCTERMS.source, Literal(doc.path.name)))
    g.add((doc_iri, PK.sha256, Literal(doc.sha256)))
    g.add((doc_iri, PK.lineCount, integer(doc.line_count)))
    g.add((doc_iri, DCTERMS.language, Literal("nb")))
    g.add((doc_iri, RDFS.label, nb(f"{doc.title} {doc.period_start}–{doc.period_end}")))
    if doc.preamble:
        g.add((doc_iri, DCTERMS.description, nb(" ".join(b.text for b in doc.preamble))))
    # The title names the place the platform is named after, the preamble the platform it builds on.
    for block in [_heading(doc.title, doc.title_line), *doc.preamble]:
        _link_block(g, doc_iri, block, a.linker, a.mentions, lambda _: PK.mentions)


def _add_parties(a: _Assembly, doc: Document, curated: Curated) -> None:
    """The parties named on the front page, each a curated actor (by its label or a variant)."""
    party_by_label = {
        str(label): actor
        for actor in curated.entities(PK.Actor)
        for label in curated.graph.objects(actor, SKOS.prefLabel | SKOS.altLabel)
    }
    for party in doc.parties:
        if party not in party_by_label:
            raise BuildError(
                f"the party '{party}' named on the front page is not a curated actor. "
                "Add it to sources/curated/actors.ttl.",
            )
        a.g.add((a.doc_iri, PK.party, party_by_label[party]))


def _add_schemes(a: _Assembly) -> tuple[URIRef, URIRef]:
    """The SKOS schemes of the areas and of the topics."""
    areas_scheme, topics_scheme = LK["scheme/areas"], LK["scheme/topics"]
    for scheme, label in ((areas_scheme, "Politikkområder"), (topics_scheme, "Temaer")):
        a.g.add((scheme, RDF.type, SKOS.ConceptScheme))
        a.g.add((scheme, SKOS.prefLabel, nb(label)))
        a.g.add((scheme, DCTERMS.source, a.doc_iri))
    return areas_scheme, topics_scheme


def _add_area(a: _Assembly, area: Area, areas_scheme: URIRef, topics_scheme: URIRef) -> None:
    """An area as a top concept, then its topics, each with a slug unique within the area."""
    g = a.g
    area_slug = slugify(area.label)
    area_iri = LK[f"area/{area_slug}"]
    _add_section(g, area_iri, PK.PolicyArea, area.label, areas_scheme, area.ordinal, area.line,
                 area.last_line, [], area.prose, a.linker, a.mentions)
    g.add((area_iri, SKOS.topConceptOf, areas_scheme))
    g.add((areas_scheme, SKOS.hasTopConcept, area_iri))
    g.add((area_iri, PK.subtitle, nb(area.subtitle)))
    g.add((area_iri, DCTERMS.isPartOf, a.doc_iri))
    seen_slugs: set[str] = set()
    for t_ordinal, topic in enumerate(area.topics, start=1):
        t_slug = slugify(re.sub(r"\(.*?\)", "", topic.label)) or f"tema-{t_ordinal}"
        if t_slug in seen_slugs:
            t_slug = f"{t_slug}-{t_ordinal}"
        seen_slugs.add(t_slug)
        topic_iri = LK[f"topic/{area_slug}/{t_slug}"]
        _add_section(g, topic_iri, PK.Topic, topic.label, topics_scheme, t_ordinal, topic.line,
                     topic.last_line, [_heading(topic.label, topic.line)], topic.prose, a.linker, a.mentions)
        g.add((topic_iri, SKOS.broader, area_iri))
        for c in topic.commitments:
            _add_linked_commitment(a, LK[f"commitment/{area_slug}/{c.ordinal}"], c, area_iri, topic_iri)


def _add_linked_commitment(a: _Assembly, iri: URIRef, c: Commitment, area_iri: URIRef, topic_iri: URIRef) -> None:
    """A commitment, its links to what its words name, the capitalised names nothing matched, its lines."""
    _add_commitment(a.g, iri, c, area_iri, topic_iri, a.doc_iri, a.lexicon, a.result)
    matches = _link_block(a.g, iri, c.block, a.linker, a.mentions, a.property_for.get)
    a.result.unmatched.extend((iri, u) for u in a.linker.unmatched_names(c.block, matches))
    for line in range(c.first_line, c.last_line + 1):
        a.result.commitment_iris[line] = iri


def _add_section(
    g: Graph,
    iri: URIRef,
    cls: URIRef,
    label: str,
    scheme: URIRef,
    ordinal: int,
    first: int,
    last: int,
    headings: list[Block],
    prose: list[Block],
    linker: Linker,
    counter: Counter[URIRef],
) -> None:
    """What areas and topics share: a SKOS concept with its place in the document and its prose.

    A topic's heading is linked like its prose: it names what the topic is about ("Fastlegeordningen",
    "Helseplattformen"). An area's heading names only the area.
    """
    g.add((iri, RDF.type, cls))
    g.add((iri, RDF.type, SKOS.Concept))
    g.add((iri, SKOS.prefLabel, nb(label)))
    g.add((iri, SKOS.inScheme, scheme))
    g.add((iri, PK.ordinal, integer(ordinal)))
    g.add((iri, PK.firstLine, integer(first)))
    g.add((iri, PK.lastLine, integer(last)))
    if prose:
        g.add((iri, PK.prose, nb("\n\n".join(b.text for b in prose))))
    for block in headings + prose:
        _link_block(g, iri, block, linker, counter, lambda _: PK.mentions)


def _heading(text: str, line: int) -> Block:
    """A heading as a one-piece block, so it is linked like prose."""
    return Block(pieces=[Piece(offset=0, line=line, text=text)])


def _link_block(
    g: Graph,
    iri: URIRef,
    block: Block,
    linker: Linker,
    counter: Counter[URIRef],
    property_for: Callable[[URIRef], URIRef | None],
) -> list[Match]:
    """Link ``iri`` to every entity its text block names, each link with a pk:Mention as evidence.

    Commitments get the typed links (pk:concernsPlace …); prose of areas and topics gets
    pk:mentions, so that places named only in the prose (Klæbu, Ferista) still lead somewhere.
    """
    matches = linker.find(block.text)
    for m in matches:
        counter[iri] += 1
        mention = URIRef(f"{iri}/mention/{counter[iri]}")
        g.add((iri, property_for(m.cls), m.entity))
        g.add((iri, PK.hasMention, mention))
        g.add((mention, RDF.type, PK.Mention))
        g.add((mention, PK.mentionOf, m.entity))
        g.add((mention, PK.matchedText, nb(m.text)))
        g.add((mention, PK.matchedLabel, nb(m.label)))
        g.add((mention, PK.sourceLine, integer(block.line_at(m.start))))
        g.add((mention, PROV.wasDerivedFrom, iri))
    return matches


def _add_commitment(
    g: Graph,
    iri: URIRef,
    c: Commitment,
    area_iri: URIRef,
    topic_iri: URIRef,
    doc_iri: URIRef,
    lexicon: StrengthLexicon,
    result: BuildResult,
) -> None:
    """A commitment's own triples: wording, short label, place in the document, strength and lead verb.

    One without a known lead verb is listed in ``result.no_lead`` (the report names it).
    """
    g.add((iri, RDF.type, PK.Commitment))
    g.add((iri, PK.text, nb(c.text)))
    g.add((iri, RDFS.label, nb(short_label(c.text))))
    g.add((iri, PK.policyArea, area_iri))
    g.add((iri, PK.topic, topic_iri))
    g.add((iri, PK.ordinal, integer(c.ordinal)))
    g.add((iri, PK.firstLine, integer(c.first_line)))
    g.add((iri, PK.lastLine, integer(c.last_line)))
    g.add((iri, DCTERMS.isPartOf, doc_iri))
    g.add((iri, PROV.wasDerivedFrom, doc_iri))
    lead = lexicon.lead(c.text)
    if lead is None:
        result.no_lead.append(iri)
    else:
        g.add((iri, PK.strength, lead.strength))
        g.add((iri, PK.leadVerb, nb(lead.cue)))


def _attach_targets(g: Graph, doc: Document, curated: Curated, result: BuildResult) -> None:
    """A curated target belongs to the commitment whose words its evidence quotes."""
    by_line: dict[int, list[Commitment]] = defaultdict(list)
    for c in doc.commitments:
        for line in range(c.first_line, c.last_line + 1):
            by_line[line].append(c)
    for target in curated.entities(PK.Target):
        attached = False
        for node in curated.graph.objects(target, PK.evidence):
            quote = normalise(str(curated.graph.value(node, PK.quote)))
            line = int(curated.graph.value(node, PK.line))
            for c in by_line.get(line, []):
                if quote in c.text:
                    g.add((result.commitment_iris[c.first_line], PK.hasTarget, target))
                    attached = True
        if not attached:
            raise BuildError(
                f"target <{target}>: its evidence quote is not inside any commitment, so the build cannot "
                "tell which commitment states it. Quote words of the commitment's bullet.",
                path=curated.defined_in.get(target),
            )


def name_blank_nodes(g: Graph) -> None:
    """Give the blank nodes under data IRIs stable IRIs of their own.

    Evidence and geometry nodes are written as ``[ … ]`` in the curated Turtle. As blank nodes
    they could not be linked to, looked up on a page, or compared across serialisations
    without a costly isomorphism check; as ``<place>/geometry/1`` or ``<link>/evidence/2`` they
    can. Numbering follows the nodes' own content, so it is the same on every build.
    """
    while True:
        parents: dict[tuple[URIRef, URIRef], list[BNode]] = defaultdict(list)
        for s, p, o in g:
            if isinstance(o, BNode) and isinstance(s, URIRef) and str(s).startswith(DEFAULT_BASE):
                parents[(s, p)].append(o)
        if not parents:
            return
        for (s, p), nodes in parents.items():
            local = re.split(r"[#/]", str(p))[-1]
            ordered = sorted(set(nodes), key=lambda b: sorted((str(q), str(v)) for q, v in g.predicate_objects(b)))
            for n, node in enumerate(ordered, start=1):
                iri = URIRef(f"{s}/{local}/{n}")
                for q, v in list(g.predicate_objects(node)):
                    g.remove((node, q, v))
                    g.add((iri, q, v))
                g.remove((s, p, node))
                g.add((s, p, iri))
