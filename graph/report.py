"""The build report: what the graph holds and what was not linked.

``dist/build-report.json`` must be the same bytes for the same sources (reproducible builds), so
it holds no wall-clock time: the stage timings go to the terminal summary only.
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from graph.assemble import BuildResult
from graph.vocab import LINKED_CLASSES, PK, REPORT_CLASSES

COUNTED_CLASSES = REPORT_CLASSES
LINK_PROPERTIES = ("concernsPlace", "concernsProject", "involvesActor", "usesInstrument", "hasTarget")


def _label(g: Graph, node: URIRef) -> str:
    return str(g.value(node, SKOS.prefLabel) or node)


def build_report(result: BuildResult) -> dict:
    """Counts, links and gaps of the graph; counters in a fixed order (most first, ties by name)."""
    g = result.graph
    per_class = {name: len(set(g.subjects(RDF.type, PK[name]))) for name in COUNTED_CLASSES}
    per_area, per_topic = {}, {}
    for area in sorted(g.subjects(RDF.type, PK.PolicyArea), key=lambda a: int(g.value(a, PK.ordinal))):
        per_area[_label(g, area)] = len(set(g.subjects(PK.policyArea, area)))
        for topic in sorted(g.subjects(SKOS.broader, area), key=lambda t: int(g.value(t, PK.ordinal))):
            per_topic[f"{_label(g, area)} / {_label(g, topic)}"] = len(set(g.subjects(PK.topic, topic)))
    links = {name: len(list(g.subject_objects(PK[name]))) for name in LINK_PROPERTIES}
    per_entity: Counter[str] = Counter()
    for name in LINK_PROPERTIES:
        for _, entity in g.subject_objects(PK[name]):
            per_entity[_label(g, entity)] += 1
    strengths = Counter(str(s).rsplit("#", 1)[-1] for s in g.objects(None, PK.strength))
    unmatched: Counter[str] = Counter(u.word for _, u in result.unmatched)
    return {
        "triples": len(g),
        "classes": per_class,
        "commitments_per_area": per_area,
        "commitments_per_topic": per_topic,
        "links": links,
        "links_per_entity": _ranked(per_entity),
        "strengths": _ranked(strengths),
        "entities_never_linked": sorted(
            _label(g, e) for cls in LINKED_CLASSES
            for e in g.subjects(RDF.type, PK[cls]) if not any(g.subjects(None, e))
        ),
        "unmatched_names": sorted(
            ({"word": u.word, "line": u.line, "commitment": str(iri)} for iri, u in result.unmatched),
            key=lambda u: (u["line"], u["word"], u["commitment"]),
        ),
        "unmatched_name_counts": _ranked(unmatched),
        "commitments_without_lead_verb": sorted(str(i) for i in result.no_lead),
    }


def _ranked(counts: Counter[str]) -> dict[str, int]:
    """Most first, ties by name: ``Counter.most_common`` keeps ties in insertion (set) order."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def format_summary(report: dict, timings: dict[str, float]) -> str:
    """A few lines for the terminal, with the stage timings (which stay out of dist/);
    the full report is in dist/build-report.json."""
    c = report["classes"]
    lines = [
        (
            f"{report['triples']} triples: {c['Commitment']} commitments in {c['PolicyArea']} areas and "
            f"{c['Topic']} topics; {c['Place']} places, {c['Project']} projects, {c['Actor']} actors, "
            f"{c['Instrument']} instruments, {c['Target']} targets, {c['Mention']} mentions."
        ),
        "links: " + ", ".join(f"{k} {v}" for k, v in report["links"].items()),
        "time: " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()),
    ]
    if report["unmatched_name_counts"]:
        names = ", ".join(f"{w} ({n})" for w, n in list(report["unmatched_name_counts"].items())[:15])
        lines.append(f"capitalised names no entity matched: {names}")
    lines += borough_warnings(report.get("borough_check"))
    return "\n".join(lines)


def borough_warnings(check: dict | None) -> list[str]:
    """The borough check (graph/map_data.py) for the terminal: a warning per disagreement, not an error,
    because a point near a boundary may be right where the polygon is coarse."""
    if not check:
        return []
    lines = [f"borough check: {check['agree']} of {check['checked']} places lie in their curated borough's polygon"]
    for d in check["disagreements"]:
        lines.append(f"  warning: {d['label']} is curated in {' / '.join(d['curated'])}, but its point "
                     f"{d['point'][0]} {d['point'][1]} lies in {d['polygon'] or 'no borough'} "
                     "(check places.ttl against sources/geo/)")
    return lines
