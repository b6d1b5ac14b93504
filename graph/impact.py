"""The one definition of impact: what stalls or gets harder if a commitment, target or project stalls.

Read from the vocabulary (ontology/leangen.ttl, docs/links-and-analysis.md):

* ``A pk:dependsOn B`` — "A can only be carried out if B is": if B stalls, A **stalls** too.
* ``A pk:supports B`` — "carrying out A helps B": if A stalls, B **gets harder**.

So for a node X the answer follows ``pk:dependsOn`` *backwards* (who points at X) and
``pk:supports`` *forwards* (whom X points at), transitively: whatever stalls because of X stalls
what depends on it in turn, and so on. ``stalls`` is what is reached through ``pk:dependsOn`` alone;
``harder`` is everything else reached once ``pk:supports`` is followed too.
``pk:conflictsWith`` is no dependency and never counts.

Everything that shows the figure — ``dist/analysis-impact.csv``, the network model behind
``/network`` and ``dist/network.html``, the ``/analysis`` page — gets it from :func:`if_stalled`.
With interaction scores, :func:`if_stalled_scored` is the same walk over the strong links (score
≥ +2): what stalls or gets *much* harder, shown in the influence rankings (``/analysis/influence``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

#: The link kinds that carry impact (local names of the pk: properties).
DEPENDS_ON, SUPPORTS = "dependsOn", "supports"


@dataclass(frozen=True)
class Stall:
    """What happens to the rest of the platform if one node stalls."""

    stalls: frozenset[str]  # waits for it, transitively through pk:dependsOn
    harder: frozenset[str]  # helped by it (or by what stalls with it), but not blocked

    @property
    def total(self) -> int:
        """The one figure the pages show: how many nodes stall or get harder."""
        return len(self.stalls) + len(self.harder)


NOTHING = Stall(frozenset(), frozenset())


def enabler_graphs(links: Iterable[tuple[str, str, str]]) -> tuple[nx.DiGraph, nx.DiGraph]:
    """Edges from what is needed to what needs it: (dependsOn only, dependsOn + supports).

    ``links`` are (subject, kind, object) with kind a local name; other kinds are ignored, and so
    are self-loops (a commitment that orders its own steps does not hold itself up).
    """
    strict, loose = nx.DiGraph(), nx.DiGraph()
    for s, kind, o in links:
        if s == o:
            continue
        if kind == DEPENDS_ON:
            strict.add_edge(o, s)
            loose.add_edge(o, s)
        elif kind == SUPPORTS:
            loose.add_edge(s, o)
    return strict, loose


def if_stalled(links: Iterable[tuple[str, str, str]]) -> dict[str, Stall]:
    """For every node that has an impact, what stalls or gets harder if it stalls.

    Nodes with no impact are left out; look them up with ``.get(node, NOTHING)``.
    """
    strict, loose = enabler_graphs(links)
    out: dict[str, Stall] = {}
    for node in sorted(loose):
        stalls = frozenset(nx.descendants(strict, node)) if node in strict else frozenset()
        harder = frozenset(nx.descendants(loose, node)) - stalls
        if stalls or harder:
            out[node] = Stall(stalls, harder)
    return out


#: From this score a link is strong: +2 reinforcing or +3 indivisible.
STRONG = 2


def if_stalled_scored(links: Iterable[tuple[str, str, str, int | None]], min_score: int = STRONG) -> dict[str, Stall]:
    """:func:`if_stalled` over the links scored ``min_score`` or more: what stalls or gets *much* harder.

    Why a threshold and not a weight: "gets harder" is a reach, and a chain of +1 (enabling) links
    reaches far for little; counting only +2/+3 keeps what a planner would call a real knock-on
    (every pk:dependsOn is +3, so ``stalls`` is unchanged). Links without a score never count.
    ``links`` are (pk:from, kind, pk:to, score) as stored.
    """
    return if_stalled((s, kind, o) for s, kind, o, score in links if score is not None and score >= min_score)
