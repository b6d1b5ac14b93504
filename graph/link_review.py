"""The review of candidate pairs (``sources/curated/link-review.csv``): checked against the graph, counted.

Why the build reads it: the review is what makes the links' coverage visible (how many pairs were
read, what was decided), so a row that names a line in no commitment, a link that does not exist or
a score the graph does not carry would publish a false coverage. Every such row stops the build with
the file, the row, the column and what to fix. The counts go into ``build-report.json`` and
``dist/interactions.json``.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import BuildError

REVIEW_FILE = "link-review.csv"
COLUMNS = ("from_line", "to_line", "candidate_source", "decision", "score", "link_id", "note")
#: Decisions that name a link the graph must hold, with the graph's score.
LINKED = ("kept", "changed", "link")
#: Decisions and the scores they allow (None: the score column must be empty).
DECISIONS: dict[str, tuple[int | None, ...]] = {
    "kept": (-3, -2, -1, 1, 2, 3), "changed": (-3, -2, -1, 1, 2, 3), "link": (-3, -2, -1, 1, 2, 3),
    "dropped": (0,), "consistent": (0,), "unrelated": (None,), "": (None,),
}


@dataclass(frozen=True)
class ReviewRow:
    """One pair read: its ends as written, why it was read, the decision and score, the link."""

    row: int  # the line of the CSV file (the header is line 1)
    from_end: str
    to_end: str
    source: str
    decision: str
    score: int | None
    link_id: str
    note: str


@dataclass(frozen=True)
class GraphFacts:
    """What a review row is checked against: commitment line spans, entity ids, link scores."""

    line_owner: Callable[[int], str | None]  # a source line → the commitment holding it
    entities: frozenset[str]  # "target:slug", "project:slug"
    link_scores: Mapping[str, int | None]  # link local name → its interactionScore


def read_review(path: Path, facts: GraphFacts) -> list[ReviewRow]:
    """Every row of the review, checked; the first bad one stops the build (file, row, column)."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BuildError(f"row 1 (header): column(s) {', '.join(missing)} missing; the header must be "
                             f"{','.join(COLUMNS)}.", path=path, line=1)
        return [_row(path, reader.line_num, raw, facts) for raw in reader]


def _fail(path: Path, row: int, column: str, message: str) -> BuildError:
    return BuildError(f"row {row - 1}, column {column}: {message}", path=path, line=row)


def _row(path: Path, row: int, raw: dict[str, str], facts: GraphFacts) -> ReviewRow:
    """One row checked in the order its columns stand."""
    cells = {c: (raw.get(c) or "").strip() for c in COLUMNS}
    for column in ("from_line", "to_line"):
        _check_end(path, row, column, cells[column], facts, optional=column == "to_line")
    decision = cells["decision"]
    if decision not in DECISIONS:
        raise _fail(path, row, "decision", f"'{decision}' is not a decision; use one of "
                    f"{', '.join(d for d in DECISIONS if d)} (or leave it empty for a pair not read yet).")
    score = _score(path, row, cells["score"], decision)
    link_id = cells["link_id"]
    if decision in LINKED:
        if link_id not in facts.link_scores:
            raise _fail(path, row, "link_id", f"no link '{link_id}' in sources/curated/links.ttl; give the "
                        "local name of the link under …/id/link/ (a dropped link is decision 'dropped').")
        if facts.link_scores[link_id] != score:
            raise _fail(path, row, "score", f"{score} here, but link '{link_id}' has pk:interactionScore "
                        f"{facts.link_scores[link_id]} in links.ttl; make the two agree.")
    return ReviewRow(row, cells["from_line"], cells["to_line"], cells["candidate_source"], decision, score,
                     link_id, cells["note"])


def _check_end(path: Path, row: int, column: str, value: str, facts: GraphFacts, *, optional: bool) -> None:
    """A line inside a commitment, or ``target:slug`` / ``project:slug`` of the graph."""
    if not value:
        if optional:
            return
        raise _fail(path, row, column, "is empty; give a line inside a commitment, or target:… / project:….")
    if value.isdigit():
        if facts.line_owner(int(value)) is None:
            raise _fail(path, row, column, f"line {value} is not inside any commitment of the source text; "
                        "give a line of the bullet.")
        return
    if value not in facts.entities:
        raise _fail(path, row, column, f"'{value}' is neither a line number nor a target:… or project:… "
                    "of the curated files; correct it.")


def _score(path: Path, row: int, value: str, decision: str) -> int | None:
    """The score column as the decision allows it."""
    allowed = DECISIONS[decision]
    try:
        score = int(value) if value else None
    except ValueError:
        score = "bad"  # type: ignore[assignment]
    if score not in allowed:
        wanted = "empty" if allowed == (None,) else " or ".join(f"{s:+d}" if s else "0" for s in allowed)
        raise _fail(path, row, "score", f"'{value}' does not fit decision '{decision or '(not read)'}': "
                    f"the score must be {wanted}.")
    return score


def source_kind(source: str) -> str:
    """The family of a candidate source: 'existing link', 'shared actor', 'theme', 'unlinked commitment'."""
    head = source.split(":", 1)[0].strip()
    return "unlinked commitment" if head.startswith("unlinked commitment") else head


def theme(source: str) -> str | None:
    """The theme a row was read under (``theme: spending cuts vs investments``), if any."""
    head, _, rest = source.partition(":")
    return rest.strip() if head.strip() == "theme" and rest.strip() else None


def coverage(rows: list[ReviewRow], link_scores: Mapping[str, int | None]) -> dict[str, Any]:
    """The review's coverage: candidates, how many were read, decisions, scores, sources, links unreviewed."""
    read = [r for r in rows if r.decision]
    reviewed_links = {r.link_id for r in read if r.decision in LINKED}
    return {
        "candidates": len(rows),
        "reviewed": len(read),
        "decisions": dict(sorted(Counter(r.decision for r in read).items())),
        "scores": {str(s): n for s, n in sorted(Counter(r.score for r in read if r.score is not None).items())},
        "sources": dict(sorted(Counter(source_kind(r.source) for r in rows).items())),
        "links_not_reviewed": sorted(set(link_scores) - reviewed_links),
    }
