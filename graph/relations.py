"""Links between commitments: the curated ones (``sources/curated/links.ttl``) and the ones
the commitments' own words make (cue clauses such as "slik at", "for å", "i samarbeid med").

Why both: a reader connects commitments across the whole document (Heggstadmoen frees
Brattøra, tolls serve the 20 % cut), which no pattern can find, so those links are curated
with a rationale. But a commitment also says in its own words what it is for or with whom it
is done; those clauses are found mechanically, every one is reported (linked or not), and a
link is made only where the clause names something the graph already knows: a target the
commitment states, a project or actor the linker found inside the clause, or another
commitment that is the only other one sharing a named entity with the clause.

Every link is two things in the graph: the direct triple (``?from pk:supports ?to``) that a
query walks, and a :class:`pk:CommitmentLink` node with its kind, rationale, evidence and
origin, which says why. All functions here are pure: data in, graphs or records out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from graph.errors import BuildError
from graph.literals import integer
from graph.segment import normalise

PK = Namespace("https://leangen-kg.org/ontology#")
DEFAULT_BASE = "https://leangen-kg.org/id/"

LINK_KINDS = (PK.dependsOn, PK.supports, PK.conflictsWith)
# Extracted links to a project or actor qualify the entity property the linker already set
# (a cue says *how* the commitment involves the actor). Their nodes, and the curated link
# between the two projects of one commitment (Heggstadmoen → Brattøra), are pk:EntityLink:
# the same properties as pk:CommitmentLink, but an end may be a project or an actor, so
# queries over pk:CommitmentLink keep meeting only commitments and targets.
ENTITY_KINDS = (PK.concernsProject, PK.involvesActor)


# --------------------------------------------------------------------------------------------
# Cue clauses
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """A cue phrase and what a clause it opens says about the commitment."""

    phrase: str
    role: str  # "purpose", "condition", "conformity", "model", "partner"
    kind: URIRef  # the link kind used when the clause names a commitment or target


CUES: tuple[Cue, ...] = (
    Cue("slik at", "purpose", PK.supports),
    Cue("for å", "purpose", PK.supports),
    Cue("med mål om", "purpose", PK.supports),
    Cue("dersom", "condition", PK.dependsOn),
    Cue("så snart", "condition", PK.dependsOn),
    Cue("i tråd med", "conformity", PK.supports),
    Cue("etter modell fra", "model", PK.dependsOn),
    Cue("i samarbeid med", "partner", PK.dependsOn),
)
_CUE_BY_PHRASE = {c.phrase: c for c in CUES}
_CUE_RE = re.compile(r"(?<![\wæøå])(" + "|".join(re.escape(c.phrase) for c in CUES) + r")(?![\wæøå])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")


@dataclass
class CommitmentText:
    """A commitment's text rebuilt from its source lines, so that offsets map back to lines."""

    iri: URIRef
    text: str
    offsets: list[tuple[int, int]]  # (offset in text, source line)

    def line_at(self, offset: int) -> int:
        line = self.offsets[0][1]
        for start, n in self.offsets:
            if start <= offset:
                line = n
        return line


@dataclass
class CueRecord:
    """One cue found inside a commitment: the report entry, linked or not."""

    commitment: URIRef
    cue: str
    role: str
    clause: str  # from the cue to the end of its sentence (or the next cue)
    line: int  # the source line the cue stands on
    index: int  # 1-based, per commitment
    links: list[tuple[URIRef, URIRef]] = field(default_factory=list)  # (kind, target IRI)
    candidates: list[URIRef] = field(default_factory=list)  # named but ambiguous
    note: str = ""

    @property
    def linked(self) -> bool:
        return bool(self.links)


def commitment_texts(commitments_by_line: Mapping[int, URIRef], lines: list[str]) -> dict[URIRef, CommitmentText]:
    """Rebuild each commitment's text from its lines (dash and PDF spacing removed).

    ``commitments_by_line`` maps every source line of a commitment to its IRI (as
    :attr:`graph.assemble.BuildResult.commitment_iris`); ``lines`` are the source lines,
    index 0 = line 1.
    """
    by_iri: dict[URIRef, list[int]] = defaultdict(list)
    for n, iri in commitments_by_line.items():
        by_iri[iri].append(n)
    out: dict[URIRef, CommitmentText] = {}
    for iri, ns in by_iri.items():
        text, offsets = "", []
        for n in sorted(ns):
            piece = normalise(lines[n - 1]) if 0 < n <= len(lines) else ""
            piece = re.sub(r"^[-–•]\s+", "", piece)
            if not piece:
                continue
            if text:
                text += " "
            offsets.append((len(text), n))
            text += piece
        if offsets:
            out[iri] = CommitmentText(iri, text, offsets)
    return out


def find_cues(texts: Iterable[CommitmentText]) -> list[CueRecord]:
    """Every cue clause in every commitment, in document order.

    A clause runs from the cue to the end of its sentence or to the next cue, whichever comes
    first, so that "…, slik at A, og slik at B." gives two clauses.
    """
    records: list[CueRecord] = []
    for ct in sorted(texts, key=lambda t: t.offsets[0][1]):
        matches = list(_CUE_RE.finditer(ct.text))
        for i, m in enumerate(matches, start=1):
            end = len(ct.text)
            sentence = _SENTENCE_END.search(ct.text, m.end())
            if sentence:
                end = sentence.start()
            if i < len(matches):
                end = min(end, matches[i].start())
            clause = ct.text[m.start():end].rstrip(" ,")
            clause = re.sub(r",?\s+og$", "", clause)
            cue = _CUE_BY_PHRASE[m.group(1).lower()]
            records.append(CueRecord(ct.iri, cue.phrase, cue.role, clause, ct.line_at(m.start()), i))
    return records


# --------------------------------------------------------------------------------------------
# Extracted links
# --------------------------------------------------------------------------------------------


def _mentions(graph: Graph) -> dict[URIRef, list[tuple[URIRef, str, int]]]:
    """Per commitment: (entity, matched words, line) of every mention the linker made."""
    out: dict[URIRef, list[tuple[URIRef, str, int]]] = defaultdict(list)
    for c, mention in graph.subject_objects(PK.hasMention):
        entity = graph.value(mention, PK.mentionOf)
        text = graph.value(mention, PK.matchedText)
        line = graph.value(mention, PK.sourceLine)
        if isinstance(entity, URIRef) and text is not None:
            out[c].append((entity, normalise(str(text)), int(line) if line is not None else 0))
    return out


def _target_quotes(graph: Graph) -> dict[URIRef, list[str]]:
    """Per target: its evidence quotes, the words that state it in a commitment."""
    out: dict[URIRef, list[str]] = defaultdict(list)
    for t in graph.subjects(RDF.type, PK.Target):
        for node in graph.objects(t, PK.evidence):
            q = graph.value(node, PK.quote)
            if q is not None:
                out[t].append(normalise(str(q)))
    return out


_NUMBER = re.compile(r"\d[\d.,]*\s*(?:%|prosent\w*|prosentpoeng)?")


def _names_target(clause: str, quotes: list[str]) -> bool:
    """Whether a clause states the target: a quote inside it, or the same number with its unit."""
    low = clause.lower()
    for q in quotes:
        ql = q.lower()
        if ql in low or (len(low) > 12 and low in ql):
            return True
        numbers = [n.strip() for n in _NUMBER.findall(ql) if not re.fullmatch(r"\d{4}", n.strip())]
        if numbers and any(n in low for n in numbers if len(n) > 1 or "%" in n or "prosent" in n):
            return True
    return False


def extract_links(
    graph: Graph, commitments_by_line: Mapping[int, URIRef], lines: list[str]
) -> tuple[Graph, list[CueRecord]]:
    """Links made by cue clauses, and the report of every cue found.

    ``graph`` is the assembled graph (commitments with their mentions and targets). A clause
    yields a link when it names:

    * a target the commitment states (``pk:hasTarget``) → the cue's kind (purpose cues:
      ``pk:supports``);
    * a project or actor the linker found inside the clause → ``pk:concernsProject`` /
      ``pk:involvesActor`` qualified by the cue (the direct triple is already in the graph);
    * an entity that exactly one *other* commitment also mentions → the cue's kind to that
      commitment ("i tråd med vedtatt energi- og klimaplan" → the Energi- og klimaplan bullet).

    An entity named by several other commitments is listed as ``candidates`` and not linked:
    which one the clause means cannot be told from the words.
    """
    texts = commitment_texts(commitments_by_line, lines)
    records = find_cues(texts.values())
    mentions = _mentions(graph)
    target_quotes = _target_quotes(graph)
    mentioned_by: dict[URIRef, set[URIRef]] = defaultdict(set)
    for c, ms in mentions.items():
        for entity, _, _ in ms:
            mentioned_by[entity].add(c)

    out = Graph()
    for rec in records:
        cue = _CUE_BY_PHRASE[rec.cue]
        clause_low = rec.clause.lower()
        seen: set[tuple[URIRef, URIRef]] = set()

        def add(
            kind: URIRef, to: URIRef, words: str, rationale: str,
            rec: CueRecord = rec, seen: set[tuple[URIRef, URIRef]] = seen,
        ) -> None:
            if (kind, to) in seen or to == rec.commitment:
                return
            seen.add((kind, to))
            rec.links.append((kind, to))
            link = _extracted_iri(rec, len(rec.links))
            _add_link(out, link, kind, rec.commitment, to, PK.extracted,
                      rationale=[Literal(rationale, lang="en")],
                      evidence=[(words, rec.line)])
            out.add((link, PK.cueWord, Literal(rec.cue, lang="nb")))

        for t in sorted(graph.objects(rec.commitment, PK.hasTarget)):
            if _names_target(rec.clause, target_quotes.get(t, [])):
                add(cue.kind, t, rec.clause,
                    f"The commitment's own clause \"{rec.cue} …\" states the target it serves.")
        for entity, words, _ in mentions.get(rec.commitment, []):
            if words.lower() not in clause_low:
                continue
            types = set(graph.objects(entity, RDF.type))
            if PK.Project in types and cue.role != "partner":
                add(PK.concernsProject, entity, rec.clause,
                    f"The clause \"{rec.cue} …\" names the project ({cue.role}).")
            elif PK.Actor in types and cue.role in ("partner", "model"):
                add(PK.involvesActor, entity, rec.clause,
                    f"The clause \"{rec.cue} …\" names the actor the commitment is carried out with.")
            others = mentioned_by.get(entity, set()) - {rec.commitment}
            if not types & {PK.Project, PK.Instrument}:
                # Actors and places are named by many commitments for many reasons; sharing one
                # says nothing about which commitment the clause means.
                continue
            if len(others) == 1:
                other = next(iter(others))
                add(cue.kind, other, rec.clause,
                    f"The clause \"{rec.cue} …\" names {words!r}, which only one other commitment is about.")
            elif others:
                rec.candidates.extend(sorted(others))
        if not rec.links:
            rec.note = (
                f"candidates (ambiguous): {len(rec.candidates)}" if rec.candidates
                else "names nothing the graph knows (a goal in words, not an entity)"
            )
    return out, records


def cue_report_graph(records: Iterable[CueRecord]) -> Graph:
    """The cue report as RDF, so that it can be queried and shown next to the commitment.

    One ``pk:CueClause`` node per cue found, linked or not: ``<commitment>/cue/<n>``.
    """
    g = Graph()
    for rec in records:
        node = URIRef(f"{rec.commitment}/cue/{rec.index}")
        g.add((node, RDF.type, PK.CueClause))
        g.add((node, PK.cueOf, rec.commitment))
        g.add((node, PK.cueWord, Literal(rec.cue, lang="nb")))
        g.add((node, PK.clause, Literal(rec.clause, lang="nb")))
        g.add((node, PK.sourceLine, integer(rec.line)))
        g.add((rec.commitment, PK.hasCueClause, node))
        for i in range(1, len(rec.links) + 1):
            g.add((node, PK.yieldsLink, _extracted_iri(rec, i)))
    return g


def cue_report_rows(records: Iterable[CueRecord]) -> list[dict[str, object]]:
    """The cue report as rows (for build-report.json and CSV)."""
    return [
        {
            "commitment": str(r.commitment),
            "line": r.line,
            "cue": r.cue,
            "role": r.role,
            "clause": r.clause,
            "linked_to": " ".join(str(t) for _, t in r.links),
            "kinds": " ".join(str(k).rsplit("#", 1)[-1] for k, _ in r.links),
            "candidates": " ".join(str(c) for c in r.candidates),
            "note": r.note,
        }
        for r in records
    ]


def _extracted_iri(rec: CueRecord, n: int) -> URIRef:
    tail = str(rec.commitment).split("/commitment/", 1)[-1].replace("/", "-")
    base = str(rec.commitment).split("/commitment/", 1)[0] + "/"
    return URIRef(f"{base}link/cue-{tail}-{rec.index}-{n}")


# --------------------------------------------------------------------------------------------
# Curated links
# --------------------------------------------------------------------------------------------

_END_PROPS = {
    "from": (PK.fromLine, PK.fromTarget, PK.fromProject),
    "to": (PK.toLine, PK.toTarget, PK.toProject),
}


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
    from graph.curated import read_curated

    src = read_curated(path).graph  # also stops at a link defined twice in the file
    out = Graph()
    out.bind("pk", PK)
    normalised = [normalise(line) for line in lines] if lines is not None else None
    links = set(src.subjects(RDF.type, PK.CommitmentLink)) | set(src.subjects(RDF.type, PK.EntityLink))
    for link in sorted(links):
        def fail(msg: str, link: URIRef = link) -> BuildError:
            return BuildError(f"curated link <{link}>: {msg}", path=path)

        kind = src.value(link, PK.linkKind)
        if kind not in LINK_KINDS:
            raise fail(f"pk:linkKind is {kind}; use pk:dependsOn, pk:supports or pk:conflictsWith.")
        ends: dict[str, URIRef] = {}
        for side, (p_line, p_target, p_project) in _END_PROPS.items():
            given = [(p, o) for p in (p_line, p_target, p_project) for o in src.objects(link, p)]
            if len(given) != 1:
                raise fail(f"needs exactly one {side} end (pk:{side}Line, pk:{side}Target or "
                           f"pk:{side}Project), has {len(given)}.")
            p, o = given[0]
            if p == p_line:
                n = int(o)
                if n not in commitments_by_line:
                    raise fail(f"line {n} ({side}) is not inside any commitment; give a line of the bullet.")
                ends[side] = commitments_by_line[n]
            else:
                cls = PK.Target if p == p_target else PK.Project
                if known is not None and (o, RDF.type, cls) not in known:
                    raise fail(f"<{o}> ({side}) is not a {cls.n3(src.namespace_manager)} of the graph; "
                               "correct the IRI or define it in sources/curated/.")
                ends[side] = URIRef(o)
        rationale = [r for r in src.objects(link, PK.rationale) if isinstance(r, Literal)]
        if not rationale:
            raise fail("has no pk:rationale.")
        evidence: list[tuple[str, int]] = []
        for node in src.objects(link, PK.evidence):
            q, n = src.value(node, PK.quote), src.value(node, PK.line)
            if q is None or n is None:
                raise fail("has evidence without pk:quote or pk:line.")
            if normalised is not None and (
                not 1 <= int(n) <= len(normalised) or normalise(str(q)) not in normalised[int(n) - 1]
            ):
                raise fail(f"the evidence quote \"{q}\" is not on line {int(n)}.")
            evidence.append((str(q), int(n)))
        if not evidence:
            raise fail("has no pk:evidence.")
        cls = PK.EntityLink if (link, RDF.type, PK.EntityLink) in src else PK.CommitmentLink
        if cls == PK.CommitmentLink and (PK.fromProject in set(src.predicates(link)) or
                                         PK.toProject in set(src.predicates(link))):
            raise fail("has a project end, so it must be typed pk:EntityLink (pk:CommitmentLink joins "
                       "commitments and targets only).")
        _add_link(out, link, kind, ends["from"], ends["to"], PK.curated, rationale, evidence, cls)
        # Keep the line anchors, so a reader of the resolved graph can find the words.
        for p in (PK.fromLine, PK.toLine):
            for o in src.objects(link, p):
                out.add((link, p, integer(int(o))))
    return out


def _add_link(
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
    """The direct triple and the qualified node. ``cls`` defaults to pk:CommitmentLink for
    commitment/target ends and pk:EntityLink when an end is a project or an actor."""
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


# --------------------------------------------------------------------------------------------
# The build's entry point
# --------------------------------------------------------------------------------------------


def links_graph(
    graph: Graph,
    commitments_by_line: Mapping[int, URIRef],
    curated_dir: Path,
    lines: list[str],
) -> Graph:
    """Everything this module adds to the assembled graph: curated and extracted links and the
    cue report. Called by :func:`graph.pipeline.make_graph`.

    The assembled graph already holds the curated link nodes as written (``links.ttl`` is one
    of the curated files, merged with the others); for those links only the resolved
    ``pk:from``/``pk:to`` and the direct triple are added, so each evidence quote is stated once.
    """
    out = Graph()
    path = Path(curated_dir) / "links.ttl"
    if path.exists():
        curated = load_curated_links(path, commitments_by_line, known=graph, lines=lines)
        present = {
            s for cls in (PK.CommitmentLink, PK.EntityLink)
            for s in curated.subjects(RDF.type, cls) if (s, RDF.type, cls) in graph
        }
        for s, p, o in curated:
            owner = URIRef(str(s).split("/evidence/", 1)[0])  # a link, or the link of an evidence node
            if owner not in present or (s == owner and p in (PK["from"], PK.to)):
                out.add((s, p, o))

    extracted, records = extract_links(graph, commitments_by_line, lines)
    out += extracted
    out += cue_report_graph(records)
    return out


def label_of(graph: Graph, node: URIRef) -> str:
    """A short human label for tables: rdfs:label, else skos:prefLabel, else the IRI's tail."""
    for p in (RDFS.label, SKOS.prefLabel):
        for o in graph.objects(node, p):
            if isinstance(o, Literal) and o.language in (None, "nb"):
                return str(o)
    return str(node).rsplit("/", 2)[-2] + "/" + str(node).rsplit("/", 1)[-1]
