"""Links a commitment's own words make: cue clauses such as "slik at", "for å", "i samarbeid med".

A commitment says in its own words what it is for or with whom it is done; those clauses are
found mechanically, every one is reported (linked or not), and a link is made only where the
clause names something the graph already knows: a target the commitment states, a project or
actor the linker found inside the clause, or another commitment that is the only other one
sharing a named entity with the clause. All functions here are pure: data in, graphs or records out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef

from graph.document import normalise
from graph.link_nodes import add_link
from graph.literals import integer
from graph.memory import new_graph
from graph.vocab import PK, CuePhrase, registry

# --------------------------------------------------------------------------------------------
# Cue clauses
# --------------------------------------------------------------------------------------------


def _cues() -> tuple[CuePhrase, ...]:
    """The cue phrases, their roles ("purpose", "condition", "conformity", "model", "partner") and link
    kinds: data in the ontology (``pk:cuePhrase`` on the concepts of ``pk:CueClauseScheme``)."""
    return registry().cue_phrases


def _cue_pattern(cues: tuple[CuePhrase, ...]) -> re.Pattern[str]:
    """Any of the phrases as whole words, longest first, case-insensitive."""
    phrases = sorted((c.phrase for c in cues), key=lambda p: (-len(p), p))
    return re.compile(r"(?<![\wæøå])(" + "|".join(map(re.escape, phrases)) + r")(?![\wæøå])", re.IGNORECASE)


# A full stop ends a clause, except after an abbreviation that stands inside names ("St. Olavs
# hospital", "bl.a.", "f.eks.", "nr.").
_SENTENCE_END = re.compile(r"(?<!\bSt)(?<!\bbl\.a)(?<!\bf\.eks)(?<!\bnr)[.;!?](?=\s|$)")


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
    kind: URIRef = PK.supports  # the link kind of the cue's concept (pk:cueLinkKind)
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


def find_cues(texts: Iterable[CommitmentText], cues: tuple[CuePhrase, ...] | None = None) -> list[CueRecord]:
    """Every cue clause in every commitment, in document order (``cues``: the ontology's by default).

    A clause runs from the cue to the end of its sentence or to the next cue, whichever comes
    first, so that "…, slik at A, og slik at B." gives two clauses.
    """
    cues = _cues() if cues is None else cues
    by_phrase, pattern = {c.phrase: c for c in cues}, _cue_pattern(cues)
    records: list[CueRecord] = []
    for ct in sorted(texts, key=lambda t: t.offsets[0][1]):
        matches = list(pattern.finditer(ct.text))
        for i, m in enumerate(matches, start=1):
            end = len(ct.text)
            sentence = _SENTENCE_END.search(ct.text, m.end())
            if sentence:
                end = sentence.start()
            if i < len(matches):
                end = min(end, matches[i].start())
            clause = ct.text[m.start():end].rstrip(" ,")
            clause = re.sub(r",?\s+og$", "", clause)
            cue = by_phrase[" ".join(m.group(1).lower().split())]
            records.append(CueRecord(ct.iri, cue.phrase, cue.role, clause, ct.line_at(m.start()), i,
                                     kind=cue.kind))
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


@dataclass
class _Known:
    """What the assembled graph says that a clause can name."""

    graph: Graph
    mentions: dict[URIRef, list[tuple[URIRef, str, int]]]  # per commitment, as :func:`_mentions`
    target_quotes: dict[URIRef, list[str]]
    mentioned_by: dict[URIRef, set[URIRef]]  # per entity: the commitments that mention it

    @classmethod
    def of(cls, graph: Graph) -> _Known:
        mentions = _mentions(graph)
        mentioned_by: dict[URIRef, set[URIRef]] = defaultdict(set)
        for c, ms in mentions.items():
            for entity, _, _ in ms:
                mentioned_by[entity].add(c)
        return cls(graph, mentions, _target_quotes(graph), mentioned_by)


# add(kind, to, words, rationale): one link from the clause's commitment, at most once per (kind, to)
_Add = Callable[[URIRef, URIRef, str, str], None]


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
    records = find_cues(commitment_texts(commitments_by_line, lines).values())
    known = _Known.of(graph)
    out = new_graph()
    for rec in records:
        add = _link_writer(out, rec)
        _link_targets(rec, known, add)
        _link_named_entities(rec, known, add)
        if not rec.links:
            rec.note = (
                f"candidates (ambiguous): {len(rec.candidates)}" if rec.candidates
                else "names nothing the graph knows (a goal in words, not an entity)"
            )
    return out, records


def _link_writer(out: Graph, rec: CueRecord) -> _Add:
    """Adds the clause's links to ``out``, numbered in order, none twice and none to its own commitment."""
    seen: set[tuple[URIRef, URIRef]] = set()

    def add(kind: URIRef, to: URIRef, words: str, rationale: str) -> None:
        if (kind, to) in seen or to == rec.commitment:
            return
        seen.add((kind, to))
        rec.links.append((kind, to))
        link = _extracted_iri(rec, len(rec.links))
        add_link(out, link, kind, rec.commitment, to, PK.extracted,
                 rationale=[Literal(rationale, lang="en")], evidence=[(words, rec.line)])
        out.add((link, PK.cueWord, Literal(rec.cue, lang="nb")))

    return add


def _link_targets(rec: CueRecord, known: _Known, add: _Add) -> None:
    """The commitment's own targets that the clause states."""
    for t in sorted(known.graph.objects(rec.commitment, PK.hasTarget)):
        if _names_target(rec.clause, known.target_quotes.get(t, [])):
            add(rec.kind, t, rec.clause,
                f"The commitment's own clause \"{rec.cue} …\" states the target it serves.")


def _link_named_entities(rec: CueRecord, known: _Known, add: _Add) -> None:
    """Projects and actors the clause names, and the one other commitment about what it names."""
    clause_low = rec.clause.lower()
    for entity, words, _ in known.mentions.get(rec.commitment, []):
        if words.lower() not in clause_low:
            continue
        types = set(known.graph.objects(entity, RDF.type))
        if PK.Project in types and rec.role != "partner":
            add(PK.concernsProject, entity, rec.clause,
                f"The clause \"{rec.cue} …\" names the project ({rec.role}).")
        elif PK.Actor in types and rec.role in ("partner", "model"):
            add(PK.involvesActor, entity, rec.clause,
                f"The clause \"{rec.cue} …\" names the actor the commitment is carried out with.")
        if not types & {PK.Project, PK.Instrument}:
            # Actors and places are named by many commitments for many reasons; sharing one
            # says nothing about which commitment the clause means.
            continue
        others = known.mentioned_by.get(entity, set()) - {rec.commitment}
        if len(others) == 1:
            other = next(iter(others))
            add(rec.kind, other, rec.clause,
                f"The clause \"{rec.cue} …\" names {words!r}, which only one other commitment is about.")
        elif others:
            rec.candidates.extend(sorted(others))


def cue_report_graph(records: Iterable[CueRecord]) -> Graph:
    """The cue report as RDF, so that it can be queried and shown next to the commitment.

    One ``pk:CueClause`` node per cue found, linked or not: ``<commitment>/cue/<n>``.
    """
    g = new_graph()
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
