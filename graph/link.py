"""Find the curated entities that a commitment's text names.

Matching rules (documented in the README, tested in tests/test_link.py):

* a label matches on word boundaries — a boundary is any character that is not a
  letter or digit, so "Lade" is not found in "ladeinfrastruktur" but is in "Lade og";
* case-sensitive, except the first letter ("Kulturskolen" at the start of a sentence,
  "kulturskolen" inside one);
* a label that starts with a capital also matches with a genitive ``s`` ("Heimdals", "NAVs");
* where matches overlap, the longest wins: "Johan Tillers veg del 2" hides "Tiller",
  "Heimdal helse- og velferdssenter" hides "Heimdal";
* one label given to several entities links all of them (an enumeration such as
  "Smelteverket, Tonstad og Brøset skoler" names three schools);
* generic words ("byen", "sentrum", "kommunen": ``pk:genericWord`` in the ontology) are never
  labels: :func:`graph.curated.load_curated` refuses a curated label that is one, naming file and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef

from graph.curated import Curated
from graph.segment import Block
from graph.vocab import LINKED_CLASSES as _LINKED
from graph.vocab import PK, registry

LINKED_CLASSES = tuple(PK[c] for c in _LINKED)
#: The property a commitment links an entity of each class with: the one whose rdfs:range is the class.


def property_for_class() -> dict[URIRef, URIRef]:
    """The property from a commitment to each linked class, as the active ontology's rdfs:range says."""
    return {PK[c]: registry().property_to(c) for c in _LINKED}
_CAPITALISED = re.compile(r"\b[A-ZÆØÅ][\wæøåÆØÅ.-]*[\wæøåÆØÅ]")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    label: str
    entity: URIRef
    cls: URIRef


@dataclass(frozen=True)
class Unmatched:
    word: str
    line: int


def _pattern(label: str) -> re.Pattern[str]:
    first, rest = label[0], re.escape(label[1:])
    head = f"[{re.escape(first.upper())}{re.escape(first.lower())}]" if first.isalpha() else re.escape(first)
    genitive = "s?" if first.isupper() else ""
    return re.compile(rf"(?<![^\W_]){head}{rest}{genitive}(?![^\W_])")


class Linker:
    """Compiled label patterns for every linkable curated entity."""

    def __init__(self, curated: Curated) -> None:
        by_label: dict[str, list[tuple[URIRef, URIRef]]] = defaultdict(list)
        for cls in LINKED_CLASSES:
            for entity in curated.entities(cls):
                for label in curated.labels(entity):
                    label = label.strip()
                    if label and (entity, cls) not in by_label[label]:
                        by_label[label].append((entity, cls))
        self._patterns = [(label, _pattern(label), owners) for label, owners in sorted(by_label.items())]

    def find(self, text: str) -> list[Match]:
        """Every entity the text names, longest match winning where matches overlap."""
        candidates: list[tuple[int, int, str]] = []
        owners_of: dict[str, list[tuple[URIRef, URIRef]]] = {}
        for label, pattern, owners in self._patterns:
            owners_of[label] = owners
            if label[1:] not in text:  # every match contains the label bar its first letter: a cheap test first
                continue
            for m in pattern.finditer(text):
                candidates.append((m.start(), m.end(), label))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
        taken: list[tuple[int, int]] = []
        matches: list[Match] = []
        for start, end, label in candidates:
            if any(start < e and s < end for s, e in taken if (s, e) != (start, end)):
                continue
            if (start, end) not in taken:
                taken.append((start, end))
            for entity, cls in owners_of[label]:
                matches.append(Match(start, end, text[start:end], label, entity, cls))
        unique = {(m.start, m.entity): m for m in matches}
        return sorted(unique.values(), key=lambda m: (m.start, str(m.entity)))

    def unmatched_names(self, block: Block, matches: list[Match]) -> list[Unmatched]:
        """Capitalised words that no entity covers, other than at the start of a sentence.

        The build reports them so that gaps in the curated entities stay visible.
        """
        text = block.text
        out = []
        for m in _CAPITALISED.finditer(text):
            before = text[: m.start()].rstrip()
            if not before or before.endswith((".", "!", "?", ":", "–", '"', "“")):
                continue
            if any(x.start <= m.start() < x.end for x in matches):
                continue
            out.append(Unmatched(m.group(0), block.line_at(m.start())))
        return out
