"""One vocabulary: the namespaces, the IRIs the project is published under, and what the ontology says.

Why one module: the namespace, the default base, the graph IRI and the prefixes used to be written
out in several modules, and code repeated what the ontology says (labels, ranges, lexicons) and
drifted from it ("Punkt" where the ontology says "løfte"). Here they are defined once:

* the namespaces as rdflib :class:`~rdflib.Namespace` objects and as plain strings;
* the default base IRI of the data, the graph and dataset IRIs, the ontology IRI;
* the SPARQL/Turtle prefixes, built from a base so that ``place:`` … follow ``--base``;
* the class groups the code works with (curated entities, network nodes, entity pages);
* a :class:`Registry` read once from the ontology (lazily, cached): every term's nb/en labels,
  the properties with their domains and ranges, the strength cues and the words that may stand
  before them, the cue phrases of cue clauses and the generic words that are never labels.

Nothing else in ``graph/``, ``store/``, ``viewer/`` or ``build.py`` writes these IRIs
(``tests/test_vocab.py`` greps for them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from graph.errors import BuildError
from graph.turtle import parse_turtle

# --- identity ------------------------------------------------------------------------------------

#: The placeholder domain: the ontology, the shapes and the default data base live under it.
SITE = "https://leangen-kg.org/"
ONTOLOGY_IRI = SITE + "ontology"
PK_IRI = ONTOLOGY_IRI + "#"
SHAPES_IRI = SITE + "shapes#"
#: The base of the data IRIs; curated Turtle is always written with it (the build rebases).
DEFAULT_BASE = SITE + "id/"
#: The named graph the build's graph is loaded into, and the dataset it belongs to.
DEFAULT_GRAPH_IRI = DEFAULT_BASE + "graph"
DEFAULT_DATASET_IRI = DEFAULT_BASE + "dataset"



class _Namespace(Namespace):
    """A namespace that makes each of its terms once: ``PK.dependsOn`` made a new URIRef on every
    use, some 18,000 times a build."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


PK = _Namespace(PK_IRI)
GEO = _Namespace("http://www.opengis.net/ont/geosparql#")
SCHEMA = _Namespace("https://schema.org/")
ORG = _Namespace("http://www.w3.org/ns/org#")
VOID = _Namespace("http://rdfs.org/ns/void#")
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "leangen.ttl"

#: Standard vocabularies the graph reuses, by their usual prefix.
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "geo": str(GEO), "schema": str(SCHEMA), "org": str(ORG),
    "void": str(VOID),
}

# --- the classes the code works with (local names of pk: classes) --------------------------------

#: Classes of the curated entities (sources/curated/), in the order pages and reports list them.
CURATED_CLASSES = ("Place", "Project", "Actor", "Instrument", "Target")
#: Curated classes the linker finds in text (a target is attached by its evidence instead).
LINKED_CLASSES = ("Place", "Project", "Actor", "Instrument")
#: The nodes of the network and of search, in drawing and listing order.
NODE_CLASSES = ("Commitment", "PolicyArea", "Topic", *CURATED_CLASSES)
#: The classes an entity page knows, most specific first (the first one an entity has names its page).
PAGE_CLASSES = (*NODE_CLASSES, "PolicyDocument", "Mention", "CommitmentLink")
#: The classes the build report counts, in its order.
REPORT_CLASSES = ("PolicyDocument", "PolicyArea", "Topic", "Commitment", "Mention", *CURATED_CLASSES, "CommitmentLink")
#: The strengths, in order of how binding they are.
STRENGTHS = ("decisive", "advocacy", "exploratory")


def entity_path(cls: str) -> str:
    """The IRI path segment (and prefix) of a curated class's entities: ``Place`` → ``place``."""
    return cls.lower()


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefix → namespace for SPARQL and Turtle: ``pk:``, ``lk:`` (the base), the standard ones, and
    one per curated class (``place:`` …) under ``base``, so ``place:heimdal`` names a data IRI
    whatever base the graph was published under (``lk:place/heimdal`` is no valid SPARQL name)."""
    return {"pk": PK_IRI, "lk": base, **STANDARD_PREFIXES,
            **{entity_path(c): f"{base}{entity_path(c)}/" for c in CURATED_CLASSES}}


def sparql_prefixes(names: tuple[str, ...] | None = None, base: str = DEFAULT_BASE) -> str:
    """``PREFIX p: <ns>`` lines for the named prefixes (all of :func:`prefixes` when ``names`` is None)."""
    table = prefixes(base)
    return "".join(f"PREFIX {p}: <{table[p]}>\n" for p in (names or tuple(table)))


# --- the registry read from the ontology -----------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A pk: term with its labels by language (rdfs:label, or skos:prefLabel for concepts)."""

    iri: URIRef
    labels: Mapping[str, str]
    plurals: Mapping[str, str]
    domain: URIRef | None = None
    range: URIRef | None = None

    @property
    def local(self) -> str:
        return str(self.iri)[len(PK_IRI):]


@dataclass(frozen=True)
class CuePhrase:
    """A phrase that opens a cue clause, the role its concept's skos:notation names and its link kind."""

    phrase: str
    role: str
    kind: URIRef


@dataclass(frozen=True)
class Registry:
    """What the ontology says, read once: the terms and the lexicons the build and the viewer use."""

    graph: Graph
    path: Path  # the ontology file, named in errors
    terms: Mapping[str, Term]  # by local name: classes, properties, concepts, schemes
    classes: tuple[str, ...]
    properties: tuple[str, ...]
    strength_cues: Mapping[str, URIRef]  # cue phrase (lower case, single spaces) → strength concept
    cue_modifiers: tuple[str, ...]
    cue_phrases: tuple[CuePhrase, ...]
    generic_words: frozenset[str]

    @property
    def lead_prefixes(self) -> frozenset[str]:
        """Words that may open a commitment before its lead verb: the first words of the modifiers."""
        return frozenset(m.split()[0] for m in self.cue_modifiers)

    def label(self, term: str, language: str, *, plural: bool = False) -> str | None:
        """The ontology's label of a pk: term (local name or IRI) in ``language``; None if it has none."""
        found = self.terms.get(term.removeprefix(PK_IRI))
        if found is None:
            return None
        return (found.plurals if plural else found.labels).get(language)

    def property_to(self, cls: str, domain: str = "Commitment") -> URIRef:
        """The one property from ``domain`` whose rdfs:range is ``cls`` (``Place`` → ``pk:concernsPlace``)."""
        found = [self.terms[p].iri for p in self.properties
                 if self.terms[p].domain == PK[domain] and self.terms[p].range == PK[cls]]
        if len(found) != 1:
            raise BuildError(f"the ontology gives {len(found)} properties from pk:{domain} with rdfs:range "
                             f"pk:{cls}; the linker needs exactly one. Fix rdfs:domain/rdfs:range.",
                             path=self.path)
        return found[0]

    @classmethod
    def of(cls, graph: Graph, path: Path = ONTOLOGY_FILE) -> Registry:
        """Read the registry from a parsed ontology (``path`` names the file in errors)."""
        terms = {t.local: t for t in _terms(graph)}
        return cls(
            graph, path, terms,
            classes=tuple(sorted(n for n, t in terms.items() if (t.iri, RDF.type, OWL.Class) in graph)),
            properties=tuple(sorted(n for n, t in terms.items()
                                    if set(graph.objects(t.iri, RDF.type)) & {OWL.ObjectProperty,
                                                                             OWL.DatatypeProperty})),
            strength_cues=_one_concept_each(graph, PK.StrengthScheme, PK.cue, path),
            cue_modifiers=tuple(sorted(_words(graph.objects(PK.StrengthScheme, PK.cueModifier)))),
            cue_phrases=_cue_phrases(graph, path),
            generic_words=frozenset(_words(graph.objects(URIRef(ONTOLOGY_IRI), PK.genericWord))),
        )


def _words(literals) -> list[str]:
    """Lexicon entries as the build compares them: lower case, single spaces."""
    return [" ".join(str(x).lower().split()) for x in literals if isinstance(x, Literal)]


def _terms(graph: Graph) -> list[Term]:
    """Every pk: term the ontology labels, with its plural labels, domain and range."""
    out = []
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(PK_IRI)}):
        labels = {x.language: str(x) for x in graph.objects(subject, RDFS.label)
                  if isinstance(x, Literal) and x.language}
        labels.update({x.language: str(x) for x in graph.objects(subject, SKOS.prefLabel)
                       if isinstance(x, Literal) and x.language})
        plurals = {x.language: str(x) for x in graph.objects(subject, PK.pluralLabel)
                   if isinstance(x, Literal) and x.language}
        domain, rng = graph.value(subject, RDFS.domain), graph.value(subject, RDFS.range)
        out.append(Term(subject, labels, plurals, domain if isinstance(domain, URIRef) else None,
                        rng if isinstance(rng, URIRef) else None))
    return out


def _one_concept_each(graph: Graph, scheme: URIRef, prop: URIRef, path: Path) -> dict[str, URIRef]:
    """Phrase → concept for the phrases (``prop``) on the concepts of ``scheme``; a phrase given to
    two concepts is an error in the ontology."""
    out: dict[str, URIRef] = {}
    for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
        for key in _words(graph.objects(concept, prop)):
            if key in out and out[key] != concept:
                raise BuildError(f"the phrase '{key}' ({prop.n3(graph.namespace_manager)}) is given to two "
                                 f"concepts: <{out[key]}> and <{concept}>. Keep it on one.", path=path)
            out[key] = concept  # type: ignore[assignment]
    return out


def _cue_phrases(graph: Graph, path: Path) -> tuple[CuePhrase, ...]:
    """The cue phrases of pk:CueClauseScheme with their concept's role (skos:notation) and link kind."""
    out = []
    for phrase, concept in _one_concept_each(graph, PK.CueClauseScheme, PK.cuePhrase, path).items():
        role, kind = graph.value(concept, SKOS.notation), graph.value(concept, PK.cueLinkKind)
        if role is None or not isinstance(kind, URIRef):
            raise BuildError(f"<{concept}> has cue phrases but no skos:notation (its role) or no pk:cueLinkKind.",
                             path=path)
        out.append(CuePhrase(phrase, str(role), kind))
    return tuple(out)


#: The ontology the lexicons come from: ``ontology/leangen.ttl`` unless the build is given ``--ontology``.
_active: list[Path] = [ONTOLOGY_FILE.resolve()]


@contextmanager
def ontology_in_use(path: Path) -> Iterator[Registry]:
    """Within the block, :func:`registry` reads the ontology at ``path``; afterwards the one before.

    Why a setting and not an argument: the lexicons are read deep inside segmenting, linking and
    curating, and one build reads one ontology for all of them; ``build.py --ontology`` sets it here,
    so the strength lexicon, cue phrases and ranges all come from the file the build was given."""
    before = _active[0]
    _active[0] = Path(path).resolve()
    try:
        yield registry()
    finally:
        _active[0] = before


def registry() -> Registry:
    """The registry of the active ontology, parsed on first use and kept (the ontology is code's data)."""
    return _registry_of(_active[0])


@cache
def _registry_of(path: Path) -> Registry:
    return Registry.of(parse_turtle(path), path)
