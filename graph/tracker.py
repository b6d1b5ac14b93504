"""The promise tracker's arithmetic: status on a date, counts, status changes and what is at risk.

Defined once, as pure functions over the rows of the ``graph/queries/status-*.rq`` queries, so
the viewer computes the same answers from any store (embedded or remote) that the tests check
against independent SPARQL counts. A commitment's status on a date is the status of its latest
assessment up to that date (docs/vocabulary.md, "Promise tracker"); with none, it is not assessed.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

QUERIES = Path(__file__).resolve().parent / "queries"
NOT_ASSESSED = "not-assessed"
STATUSES = ("not-assessed", "not-started", "in-progress", "stalled", "kept", "partly-kept", "broken",
            "not-verifiable")  # the order of the page's columns; the scheme in the ontology is the authority
HALTED = frozenset({"stalled", "broken"})  # a prerequisite or strong support in this state puts others at risk
MOVING = frozenset({"in-progress", "kept"})  # a commitment that moves ahead presses on what its conflicts point to
STRONG_SUPPORT = 2

Select = Callable[[str], list[dict[str, Any]]]


def query(name: str) -> str:
    return (QUERIES / f"status-{name}.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Assessment:
    iri: str
    commitment: str
    date: str  # ISO date: compares as a date
    status: str
    reason: str | None = None
    note: str | None = None
    sources: tuple[dict[str, Any], ...] = ()


@dataclass
class Tracker:
    """What the views need, read once from a store."""

    commitments: list[dict[str, Any]]
    assessments: list[Assessment]
    boroughs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # commitment → (iri, label)
    links: list[dict[str, Any]] = field(default_factory=list)


def collect(select: Select) -> Tracker:
    """Run the tracker's queries through ``select`` (the viewer's store, or Oxigraph in the build)."""
    sources: dict[str, list[dict[str, Any]]] = {}
    for row in select(query("sources")):
        sources.setdefault(row["assessment"], []).append(row)
    assessments = [Assessment(r["assessment"], r["commitment"], r["date"], r["status"], r.get("reason"),
                              r.get("note"), tuple(sources.get(r["assessment"], ())))
                   for r in select(query("assessments"))]
    boroughs: dict[str, list[tuple[str, str]]] = {}
    for r in select(query("boroughs")):
        boroughs.setdefault(r["commitment"], []).append((r["borough"], r["boroughLabel"]))
    return Tracker(select(query("commitments")), assessments, boroughs, select(query("links")))


def status_on(assessments: Iterable[Assessment], as_of: str) -> dict[str, Assessment]:
    """Each assessed commitment's latest assessment dated up to ``as_of`` (ISO date)."""
    latest: dict[str, Assessment] = {}
    for a in assessments:
        if a.date <= as_of and (a.commitment not in latest or a.date > latest[a.commitment].date):
            latest[a.commitment] = a
    return latest


def statuses_on(tracker: Tracker, as_of: str) -> dict[str, str]:
    """Every commitment's status on ``as_of``: not assessed unless an assessment says otherwise."""
    latest = status_on(tracker.assessments, as_of)
    return {c["commitment"]: latest[c["commitment"]].status if c["commitment"] in latest else NOT_ASSESSED
            for c in tracker.commitments}


def groups(tracker: Tracker, by: str) -> dict[str, list[tuple[str, str]]]:
    """Each commitment's groups (iri, label) for ``by``: area, strength or borough (0..n boroughs)."""
    if by == "borough":
        return {c["commitment"]: tracker.boroughs.get(c["commitment"], []) for c in tracker.commitments}
    label = "areaLabel" if by == "area" else by
    return {c["commitment"]: [(c[by], c[label])] for c in tracker.commitments}


def counts(statuses: dict[str, str], grouping: dict[str, list[tuple[str, str]]] | None = None
           ) -> dict[tuple[str, str], Counter[str]]:
    """Commitments per status, per group (one group ('', '') for all when ``grouping`` is None)."""
    table: dict[tuple[str, str], Counter[str]] = {}
    for commitment, status in statuses.items():
        keys = grouping.get(commitment, []) if grouping is not None else [("", "")]
        for group in keys:
            table.setdefault(group, Counter())[status] += 1
    return table


def month_ends(first: str, last: str) -> list[str]:
    """The last day of every month from ``first``'s month to ``last``'s (ISO dates), ``last`` itself last."""
    import calendar

    year, month = int(first[:4]), int(first[5:7])
    ends = []
    while f"{year:04d}-{month:02d}" < last[:7]:
        ends.append(f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*ends, last]


def changes(assessments: Iterable[Assessment]) -> list[tuple[Assessment, str]]:
    """Every status change, newest first, with the status before it (not assessed before the first)."""
    previous: dict[str, str] = {}
    found = []
    for a in sorted(assessments, key=lambda a: (a.commitment, a.date)):
        before = previous.get(a.commitment, NOT_ASSESSED)
        if a.status != before:
            found.append((a, before))
        previous[a.commitment] = a.status
    return sorted(found, key=lambda pair: (pair[0].date, pair[0].iri), reverse=True)


@dataclass(frozen=True)
class Risk:
    """A commitment at risk, and the chain from the cause to it: [(node, link kind, score, link), …]."""

    commitment: str
    kind: str  # "prerequisite", "support" or "pressure"
    cause: str
    cause_status: str
    chain: tuple[tuple[str, str, int, str], ...]


def at_risk(links: list[dict[str, Any]], statuses: dict[str, str]) -> list[Risk]:
    """Commitments whose prerequisites or strong supports (score ≥ +2) are stalled or broken, transitively
    along dependsOn and strong supports; and those pressed by a conflicting commitment that moves ahead.
    The order is the links' IRIs', not the store's row order (which differs between Oxigraph and Virtuoso)."""
    links = sorted(links, key=lambda link: (link["link"], link["from"], link["to"]))
    onward: dict[str, list[tuple[str, str, int, str]]] = {}  # cause → what it carries (the enabled end)
    for link in links:
        kind, score = link["kind"].rsplit("#", 1)[-1], int(link["score"])
        if kind == "dependsOn":  # from depends on to: trouble at 'to' reaches 'from'
            onward.setdefault(link["to"], []).append((link["from"], kind, score, link["link"]))
        elif kind == "supports" and score >= STRONG_SUPPORT:
            onward.setdefault(link["from"], []).append((link["to"], kind, score, link["link"]))
    risks = [risk for cause, status in sorted(statuses.items()) if status in HALTED
             for risk in _downstream(cause, status, onward)]
    for link in links:  # a conflict's score is pk:from's influence on pk:to: only 'from' presses
        pusher, pressed = link["from"], link["to"]
        if link["kind"].endswith("#conflictsWith") and statuses.get(pusher) in MOVING:
            chain = ((pusher, "conflictsWith", int(link["score"]), link["link"]),)
            risks.append(Risk(pressed, "pressure", pusher, statuses[pusher], chain))
    return risks


def _downstream(cause: str, status: str, onward: dict[str, list[tuple[str, str, int, str]]]) -> list[Risk]:
    """Everything the halted ``cause`` holds up, each with its shortest chain (breadth first)."""
    found: list[Risk] = []
    seen = {cause}
    queue: deque[tuple[str, tuple[tuple[str, str, int, str], ...]]] = deque([(cause, ())])
    while queue:
        node, chain = queue.popleft()
        for target, kind, score, link in sorted(onward.get(node, [])):
            if target in seen:
                continue
            seen.add(target)
            step = (*chain, (node, kind, score, link))
            first_kind = step[0][1]
            found.append(Risk(target, "prerequisite" if first_kind == "dependsOn" else "support", cause, status, step))
            queue.append((target, step))
    return found
