"""Features of a commitment read from its own words: strength, lead verb, short label.

The strength lexicon is curated in the ontology (``pk:cue`` on the concepts of
``pk:StrengthScheme``), not here, so that data teams can read which words made a
commitment "decisive" and reviewers can change them without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef

from graph.errors import BuildError
from graph.vocab import Registry

_WORD = re.compile(r"[\wæøåÆØÅ-]+")
MAX_LABEL = 80
LEAD_WINDOW = 6  # how many words may stand before the lead verb ("sammen med statlige myndigheter se på")


@dataclass(frozen=True)
class Lead:
    phrase: str  # the words as written in the commitment
    cue: str
    strength: URIRef


class StrengthLexicon:
    """Lead-verb phrases and the strength each signals; the longest phrase wins."""

    def __init__(self, cues: dict[str, URIRef]) -> None:
        if not cues:
            raise BuildError("the strength lexicon is empty: the ontology has no pk:cue on any strength.")
        self.cues = {tuple(c.lower().split()): s for c, s in cues.items()}
        self.longest = max(len(c) for c in self.cues)

    @classmethod
    def of(cls, found: Registry) -> StrengthLexicon:
        """The lexicon of an ontology's registry (which refuses a cue given to two strengths)."""
        return cls(dict(found.strength_cues))

    @classmethod
    def from_ontology(cls, ontology: Graph) -> StrengthLexicon:
        """The lexicon of a parsed ontology that is not the build's (tests give it edited copies)."""
        return cls.of(Registry.of(ontology))

    @property
    def first_words(self) -> set[str]:
        return {c[0] for c in self.cues}

    def lead(self, text: str) -> Lead | None:
        """The lead verb phrase of a commitment: the earliest cue, longest at that place."""
        words = [m.group(0) for m in _WORD.finditer(text)]
        lowered = [w.lower() for w in words]
        for i in range(min(LEAD_WINDOW, len(words))):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                key = tuple(lowered[i : i + n])
                if key in self.cues:
                    return Lead(" ".join(words[: i + n]), " ".join(key), self.cues[key])
        return None


def short_label(text: str) -> str:
    """The first clause of a commitment, at most ``MAX_LABEL`` characters, cut on a word."""
    first = re.split(r"(?<!\bSt\.)(?<=[.;])\s|,\s(?=(?:og|samt|men|slik|for å|med)\b)", text, maxsplit=1)[0]
    first = first.rstrip(".;, ")
    if len(first) <= MAX_LABEL:
        return first
    cut = first[: MAX_LABEL - 1].rsplit(" ", 1)[0].rstrip(",;:- ")
    return cut + "…"
