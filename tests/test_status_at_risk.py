"""/status/at-risk lists the same commitments in the same order whatever order the store returns the links in
(Oxigraph and Virtuoso return status-links.rq's rows in different orders)."""

from __future__ import annotations

from typing import Any

from rdflib import Literal

from graph import tracker
from graph.pipeline import Built


def test_at_risk_order_does_not_depend_on_the_stores_row_order(built: Built):
    def select(query: str) -> list[dict[str, Any]]:
        return [{str(k): v.toPython() if isinstance(v, Literal) else str(v) for k, v in row.asdict().items()}
                for row in built.graph.query(query)]

    links = tracker.collect(select).links
    ends = {link[end] for link in links for end in ("from", "to")}
    moving = dict.fromkeys(ends, "in-progress")  # every conflict presses on its pk:to end
    forward = tracker.at_risk(links, moving)
    assert len(forward) > 1, "several risks are needed to see an order"
    assert tracker.at_risk(list(reversed(links)), moving) == forward


def test_a_conflict_presses_from_its_from_end_only():
    """A conflict's score is pk:from's influence on pk:to (docs/links-and-analysis.md): the review of
    investments (from) can postpone school building (to); schools under way press on nothing here."""
    link = {"link": "link/review-vs-schools", "kind": "https://leangen-kg.org/ontology#conflictsWith",
            "from": "review", "to": "schools", "score": -1}
    assert tracker.at_risk([link], {"schools": "in-progress"}) == []
    assert [(r.commitment, r.kind, r.cause) for r in tracker.at_risk([link], {"review": "in-progress"})] == [
        ("schools", "pressure", "review")]
