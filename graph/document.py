"""The document model the reader builds: areas, topics, prose blocks and commitments.

Its own module so that the readers (:mod:`graph.segment` for the body, :mod:`graph.contents`
for the front matter) and the users of the model (:mod:`graph.assemble`, :mod:`graph.link`)
share it without importing each other. Every piece of text keeps the source line it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

LIST_MARKER = "Byrådet vil:"  # the line that opens a list of commitments


@dataclass
class Piece:
    """A run of text from one source line, at ``offset`` in the joined text."""

    offset: int
    line: int
    text: str


@dataclass
class Block:
    """Text assembled from one or more source lines (a paragraph, heading or bullet)."""

    pieces: list[Piece] = field(default_factory=list)
    indented: bool = False

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces)

    @property
    def first_line(self) -> int:
        return self.pieces[0].line

    @property
    def last_line(self) -> int:
        return self.pieces[-1].line

    def append(self, line: int, text: str) -> None:
        offset = len(self.text) + 1 if self.pieces else 0
        self.pieces.append(Piece(offset, line, text))

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset`` in :attr:`text`."""
        line = self.pieces[0].line
        for piece in self.pieces:
            if piece.offset <= offset:
                line = piece.line
        return line


@dataclass
class Commitment:
    """One bullet of a "Byrådet vil:" list; ``ordinal`` numbers it within its area, from 1."""

    block: Block
    ordinal: int = 0  # set once the whole area is read

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def first_line(self) -> int:
        return self.block.first_line

    @property
    def last_line(self) -> int:
        return self.block.last_line


@dataclass
class Topic:
    """A heading inside an area: a list's sub-heading, or a prose heading from the contents."""

    label: str
    line: int
    kind: str  # "subheading" (inside a list) or "heading" (a prose heading from the contents)
    prose: list[Block] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def last_line(self) -> int:
        lines = [self.line] + [b.last_line for b in self.prose] + [c.last_line for c in self.commitments]
        return max(lines)


@dataclass
class Area:
    """A policy area: a contents entry directly followed by its subtitle (also in the contents)."""

    label: str
    ordinal: int
    line: int
    subtitle: str
    prose: list[Block] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    sections: list[Topic] = field(default_factory=list)  # prose headings inside the area
    last_line: int = 0

    @property
    def commitments(self) -> list[Commitment]:
        return [c for t in self.topics for c in t.commitments]


@dataclass
class Document:
    """The whole platform text as read: front matter, areas in order, and every join the reader made."""

    path: Path
    title: str
    title_line: int
    subtitle: str
    period_start: int
    period_end: int
    parties: list[str]
    preamble: list[Block]
    sha256: str
    line_count: int
    areas: list[Area]
    merges: list[tuple[int, int]]  # (line the text starts on, line of the fragment joined to it)
    lines: list[str] = field(default_factory=list, repr=False)  # the source, index 0 is line 1

    @property
    def commitments(self) -> list[Commitment]:
        return [c for a in self.areas for c in a.commitments]


def normalise(text: str) -> str:
    """NFC, every run of whitespace one space, none at the ends: the form all text is compared in."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def starts_lower(text: str) -> bool:
    """Whether a line starts with a lower-case letter: party-logo text, or text that continues a block."""
    first = text.lstrip()[:1]
    return first.isalpha() and first.islower()
