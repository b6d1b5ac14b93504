"""Read the platform text into its document model: areas, topics, prose and commitments.

The text is a PDF export, so its layout carries artefacts that must be undone before
anything else can trust it:

* a table of contents ("Innhold", one ``title<TAB>page`` per line) that lists every
  area and prose heading — we use it as the authority on what is a heading;
* signatory names and party-logo text (lower-case lines such as "miljøpartiet" in the
  front matter, repeated on the last page) — dropped;
* paragraphs and bullets broken across a page, the second half after blank lines and
  starting in lower case — joined back;
* bullets broken across a page where the second half got its own dash
  ("- … til innbyggere med" / "- funksjonsnedsettelse.") — joined back when the second
  "bullet" does not start with a lead verb and the first one did not end its sentence.

Every join is recorded (:attr:`Document.merges`) so that tests can list each expected
merge by line, and every piece of text keeps the source line it came from.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import BuildError
from graph.textfile import read_text

LIST_MARKER = "Byrådet vil:"
_BULLET = re.compile(r"^(\s*)[-–•]\s+(.*)$")
_TOC_ENTRY = re.compile(r"^(.+?)\t(\d+)\s*$")
_PERIOD = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_TERMINAL = (".", "!", "?", ":")
# Words that may stand before the lead verb of a commitment ("aktivt jobbe for …").
_LEAD_PREFIXES = ("aktivt", "systematisk", "gradvis", "fortløpende", "i", "gjennom", "sammen")


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
    block: Block
    area_ordinal: int
    topic_index: int
    ordinal: int

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
    """NFC, single spaces, no space before punctuation that the PDF split off."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


def read_lines(path: Path) -> tuple[list[str], str]:
    """The file's lines (index 0 is line 1) and its SHA-256, with clear errors."""
    text, raw = read_text(
        path, "the source document",
        missing="Copy the platform text there (e.g. from ../shared/sources/) or pass --source PATH.",
    )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n"), hashlib.sha256(raw).hexdigest()


def starts_with_lead(text: str, lead_words: frozenset[str]) -> bool:
    """Whether a bullet begins like a commitment: a lead verb, perhaps after an adverb."""
    words = re.findall(r"[\wæøåÆØÅ]+", text.lower())
    if not words:
        return False
    if words[0] in lead_words:
        return True
    return words[0] in _LEAD_PREFIXES and len(words) > 1 and any(w in lead_words for w in words[1:6])


def _starts_lower(text: str) -> bool:
    first = text.lstrip()[:1]
    return first.isalpha() and first.islower()


def _require_bullets(path: Path, open_list: int | None, line: int, instead: str) -> None:
    """Stop at a "Byrådet vil:" list that ended before its first bullet.

    Without this, bullets that lost their dashes read as text continuing nothing, and a list
    whose bullets were deleted silently drops its commitments.
    """
    if open_list is None:
        return
    raise BuildError(
        f"the list under '{LIST_MARKER}' at line {open_list} has no bullets ({instead}). Each commitment "
        "is a line starting with '- ' and a lead verb, e.g. '- styrke …'; put the dashes back, or remove "
        f"the '{LIST_MARKER}' line if the list is gone.",
        path=path,
        line=line,
    )


def _require_all_sections(path: Path, toc: list[str], toc_lines: dict[str, int], reached: set[str],
                          last: tuple[int, str], areas: int) -> None:
    """Every contents entry must start a section; otherwise say whether the text was cut off.

    Missing entries at the end of the contents mean the text stops early (a truncated copy),
    which otherwise surfaces far away as a curated evidence quote "not on its line".
    """
    missing = [entry for entry in toc if entry not in reached]
    if not missing:
        return
    if missing == toc[len(toc) - len(missing):]:
        line, text = last
        cut = " before that list's bullets" if normalise(text) == LIST_MARKER else ""
        names = ", ".join(f"'{m}'" for m in missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        raise BuildError(
            f"the source text looks truncated: it ends at line {line} ('{normalise(text)[:60]}'){cut}, after "
            f"{areas} policy area(s), but the contents list {len(missing)} more section(s) that never start: "
            f"{names}. Restore the complete platform text (copy it again, e.g. from ../shared/sources/) "
            "and build again.",
            path=path,
            line=line,
        )
    gap = missing[0]  # not a suffix, so a later entry was reached: this heading is renamed or gone
    raise BuildError(
        f"the contents entry '{gap}' never starts a section in the text. Make the heading in the text "
        "read exactly as its contents entry (or correct the entry).",
        path=path,
        line=toc_lines[gap],
    )


def parse(path: Path, lead_words: Iterable[str]) -> Document:
    """Read ``path`` into a :class:`Document`.

    ``lead_words`` are the first words of the lead-verb phrases (from the ontology's
    strength lexicon); they tell a real bullet from a fragment that got its own dash.
    """
    lines, sha = read_lines(path)
    leads = frozenset(w.lower() for w in lead_words)
    stripped = [normalise(line) for line in lines]

    try:
        toc_at = stripped.index("Innhold")
    except ValueError:
        raise BuildError(
            'no table of contents ("Innhold") found; the reader uses it to tell headings from prose.',
            path=path,
        ) from None

    # Front matter: title, subtitle, period; the rest (lower-case) is party-logo text.
    front = [(i + 1, s) for i, s in enumerate(stripped[:toc_at]) if s]
    if len(front) < 3:
        raise BuildError("the front page (title, subtitle, period) is missing.", path=path, line=1)
    title = re.sub(r"(\w)- (\w)", r"\1-\2", front[0][1])
    period_match = next(((n, m) for n, s in front if (m := _PERIOD.match(s))), None)
    if period_match is None:
        raise BuildError("no period line such as '2024 - 2027' on the front page.", path=path)
    period_line, m = period_match
    subtitle = " ".join(s for n, s in front[1:] if n < period_line)
    logo = {s for n, s in front if n > period_line and _starts_lower(s)}
    party_match = re.search(r"utgått av (.+)$", subtitle)
    parties = re.split(r",\s*|\s+og\s+", party_match.group(1)) if party_match else []

    # Table of contents.
    toc: list[str] = []
    toc_lines: dict[str, int] = {}
    i = toc_at + 1
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            i += 1
            continue
        entry = _TOC_ENTRY.match(raw.strip())
        if not entry:
            break
        toc.append(normalise(entry.group(1)))
        toc_lines.setdefault(toc[-1], i + 1)
        i += 1
    if not toc:
        raise BuildError("the table of contents has no entries ('title<TAB>page').", path=path, line=toc_at + 1)
    toc_set = set(toc)

    # Between the contents and the first area: the preamble (sentences) and signatories (names).
    try:
        body_at = next(j for j in range(i, len(lines)) if stripped[j] == toc[0])
    except StopIteration:
        raise BuildError(f"the first area '{toc[0]}' from the contents never starts.", path=path) from None
    preamble = []
    for j in range(i, body_at):
        if stripped[j].endswith("."):
            block = Block()
            block.append(j + 1, stripped[j])
            preamble.append(block)

    doc = Document(
        path=path,
        title=title,
        title_line=front[0][0],
        subtitle=subtitle,
        period_start=int(m.group(1)),
        period_end=int(m.group(2)),
        parties=parties,
        preamble=preamble,
        sha256=sha,
        line_count=len(lines) - (1 if lines and lines[-1] == "" else 0),
        areas=[],
        merges=[],
        lines=lines,
    )

    # Content lines of the body, logo text dropped.
    content = [(j + 1, lines[j]) for j in range(body_at, len(lines)) if stripped[j] and stripped[j] not in logo]

    def next_content(k: int) -> tuple[int, str] | None:
        return content[k + 1] if k + 1 < len(content) else None

    area: Area | None = None
    reached: set[str] = set()  # contents entries that started a section in the body
    open_list: int | None = None  # line of a "Byrådet vil:" whose list has no bullet yet
    topic: Topic | None = None
    section: Topic | None = None  # the latest prose heading: the topic of a list without sub-heading
    in_list = False
    last: Block | None = None  # the block a lower-case continuation joins
    last_bullet: Block | None = None
    k = 0
    while k < len(content):
        n, raw = content[k]
        s = normalise(raw)
        bullet = _BULLET.match(raw)
        nxt = next_content(k)

        if s in toc_set and not bullet:
            _require_bullets(path, open_list, n, f"the heading '{s}' follows")
            nxt_s = normalise(nxt[1]) if nxt else ""
            if nxt_s in toc_set and (area is None or s != area.subtitle) and k + 1 < len(content):
                # An area heading is directly followed by its subtitle, both in the contents.
                if area is not None:
                    area.last_line = content[k - 1][0]
                area = Area(label=s, ordinal=len(doc.areas) + 1, line=n, subtitle=nxt_s)
                doc.areas.append(area)
                reached.update((s, nxt_s))
                section = Topic(label=nxt_s, line=nxt[0], kind="heading")
                topic, in_list, last, last_bullet = None, False, None, None
                k += 2
                continue
            if area is None:
                raise BuildError(f"heading '{s}' comes before any area heading.", path=path, line=n)
            reached.add(s)
            section = Topic(label=s, line=n, kind="heading")
            topic, in_list, last, last_bullet = None, False, None, None
            k += 1
            continue

        if area is None:
            raise BuildError("text before the first area heading.", path=path, line=n)

        if s == LIST_MARKER:
            _require_bullets(path, open_list, n, f"another '{LIST_MARKER}' follows")
            open_list = n
            in_list, topic, last, last_bullet = True, None, None, None
            k += 1
            continue

        if bullet:
            if not in_list:
                raise BuildError(
                    "a bullet outside a 'Byrådet vil:' list; the reader cannot tell what it belongs to.",
                    path=path,
                    line=n,
                )
            body = normalise(bullet.group(2))
            open_list = None
            if not starts_with_lead(body, leads):
                if last_bullet is not None and not last_bullet.text.endswith(_TERMINAL):
                    # A bullet broken across a page, whose second half got its own dash.
                    doc.merges.append((last_bullet.first_line, n))
                    last_bullet.append(n, body)
                    k += 1
                    continue
                raise BuildError(
                    f"cannot parse the commitment list: '{body[:60]}' does not start with a known lead verb "
                    "and does not continue an unfinished bullet. Add the verb to the strength lexicon "
                    "(ontology/leangen.ttl, pk:cue) if it is a new commitment.",
                    path=path,
                    line=n,
                )
            if topic is None:
                topic = section if section is not None and section not in area.topics else topic
                if topic is None:
                    raise BuildError("a list with no heading to belong to.", path=path, line=n)
                area.topics.append(topic)
            block = Block(indented=bool(bullet.group(1)))
            block.append(n, body)
            topic.commitments.append(Commitment(block, area.ordinal, len(area.topics), 0))
            last = last_bullet = block
            k += 1
            continue

        if _starts_lower(s):
            if last is None:
                _require_bullets(path, open_list, n, f"this line has no dash: '{s[:60]}'")
                raise BuildError(
                    "this line starts in lower case, so it would continue the text before it, but there is "
                    "none (a heading or a list's start comes first). Start it with a capital letter, or make "
                    f"it a bullet ('- …') of a '{LIST_MARKER}' list.",
                    path=path,
                    line=n,
                )
            doc.merges.append((last.first_line, n))
            last.append(n, s)
            k += 1
            continue

        if in_list and nxt is not None and _BULLET.match(nxt[1]) and not s.endswith("."):
            topic = Topic(label=s.rstrip(":").strip(), line=n, kind="subheading")
            area.topics.append(topic)
            last = last_bullet = None
            k += 1
            continue

        # A prose paragraph: it belongs to the current prose heading (or the area itself).
        _require_bullets(path, open_list, n, f"a paragraph follows: '{s[:60]}'")
        in_list = False
        block = Block()
        block.append(n, s)
        if section is not None and section.label != area.subtitle:
            section.prose.append(block)
            if section not in area.sections:
                area.sections.append(section)
        else:
            area.prose.append(block)
        last, last_bullet = block, None
        k += 1

    if area is None:
        raise BuildError("no policy area found: the contents name none that the body starts.", path=path)
    _require_all_sections(path, toc, toc_lines, reached, content[-1], len(doc.areas))
    _require_bullets(path, open_list, content[-1][0], "the file ends there")
    area.last_line = content[-1][0]

    for a in doc.areas:
        for s_ in a.sections:
            if s_ not in a.topics:  # a prose heading without a list: its prose stays with the area
                a.prose.extend(s_.prose)
        for ordinal, c in enumerate(a.commitments, start=1):
            c.ordinal = ordinal
    return doc
