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

:func:`parse` runs the steps in order: the front matter and contents (:mod:`graph.contents`),
then the body, line by line (:class:`_BodyReader`, one method per kind of line), then the
checks that nothing was lost, then the numbering. The model is in :mod:`graph.document`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from graph.contents import (
    Contents,
    find_body,
    find_contents,
    read_contents,
    read_front_page,
    read_preamble,
    require_all_sections,
)
from graph.document import (
    LIST_MARKER,
    Area,
    Block,
    Commitment,
    Document,
    Piece,
    Topic,
    normalise,
    starts_lower,
)
from graph.errors import BuildError
from graph.textfile import read_text
from graph.vocab import registry

# The model moved to graph.document; these names stay importable from here.
__all__ = ["Area", "Block", "Commitment", "Document", "Piece", "Topic", "normalise", "parse", "read_lines",
           "starts_with_lead"]

_BULLET = re.compile(r"^(\s*)[-–•]\s+(.*)$")
_TERMINAL = (".", "!", "?", ":")


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
    # words that may stand before the lead verb ("aktivt jobbe for …"): pk:cueModifier in the ontology
    return words[0] in registry().lead_prefixes and len(words) > 1 and any(w in lead_words for w in words[1:6])


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


def parse(path: Path, lead_words: Iterable[str]) -> Document:
    """Read ``path`` into a :class:`Document`.

    ``lead_words`` are the first words of the lead-verb phrases (from the ontology's
    strength lexicon); they tell a real bullet from a fragment that got its own dash.
    """
    lines, sha = read_lines(path)
    leads = frozenset(w.lower() for w in lead_words)
    stripped = [normalise(line) for line in lines]
    toc_at = find_contents(path, stripped)
    front = read_front_page(path, stripped, toc_at)
    contents = read_contents(path, lines, toc_at)
    body_at = find_body(path, stripped, contents)
    doc = Document(
        path=path,
        title=front.title,
        title_line=front.title_line,
        subtitle=front.subtitle,
        period_start=front.period_start,
        period_end=front.period_end,
        parties=front.parties,
        preamble=read_preamble(stripped, contents.end, body_at),
        sha256=sha,
        line_count=len(lines) - (1 if lines and lines[-1] == "" else 0),
        areas=[],
        merges=[],
        lines=lines,
    )
    # The body's lines with text, logo text dropped.
    body = [(j + 1, lines[j]) for j in range(body_at, len(lines)) if stripped[j] and stripped[j] not in front.logo]
    reader = _BodyReader(doc, set(contents.entries), leads)
    reader.walk(body)
    reader.finish(contents, body)
    _number_and_settle(doc)
    return doc


class _BodyReader:
    """The walk through the body: where the reader stands, and the block a next line would join.

    :meth:`walk` looks at each line once and hands it to the step for its kind: a heading from
    the contents, the list marker, a bullet, a lower-case continuation, a list's sub-heading or
    a prose paragraph. A step returns how many lines it used.
    """

    def __init__(self, doc: Document, headings: set[str], leads: frozenset[str]) -> None:
        self.doc, self.path, self.headings, self.leads = doc, doc.path, headings, leads
        self.area: Area | None = None
        self.reached: set[str] = set()  # contents entries that started a section in the body
        self.open_list: int | None = None  # line of a "Byrådet vil:" whose list has no bullet yet
        self.topic: Topic | None = None  # the topic the list's next bullet goes to
        self.section: Topic | None = None  # the latest prose heading: the topic of a list without sub-heading
        self.in_list = False
        self.last: Block | None = None  # the block a lower-case continuation joins
        self.last_bullet: Block | None = None  # the bullet a dashed fragment of it joins

    def walk(self, body: list[tuple[int, str]]) -> None:
        """Read every ``(line number, raw line)`` of the body in order."""
        k = 0
        while k < len(body):
            k += self._step(body, k)

    def _step(self, body: list[tuple[int, str]], k: int) -> int:
        n, raw = body[k]
        s = normalise(raw)
        bullet = _BULLET.match(raw)
        nxt = body[k + 1] if k + 1 < len(body) else None
        if s in self.headings and not bullet:
            return self._heading(n, s, nxt, body[k - 1][0] if k else 0)
        area = self.area
        if area is None:
            raise BuildError("text before the first area heading.", path=self.path, line=n)
        if s == LIST_MARKER:
            self._list_marker(n)
        elif bullet:
            self._bullet(area, n, bullet)
        elif starts_lower(s):
            self._continuation(n, s)
        elif self.in_list and nxt is not None and _BULLET.match(nxt[1]) and not s.endswith("."):
            self._subheading(area, n, s)
        else:
            self._paragraph(area, n, s)
        return 1

    def _heading(self, n: int, s: str, nxt: tuple[int, str] | None, previous_line: int) -> int:
        """A contents entry: an area heading (with its subtitle on the next line) or a prose heading."""
        _require_bullets(self.path, self.open_list, n, f"the heading '{s}' follows")
        nxt_s = normalise(nxt[1]) if nxt else ""
        if nxt is not None and nxt_s in self.headings and (self.area is None or s != self.area.subtitle):
            # An area heading is directly followed by its subtitle, both in the contents.
            if self.area is not None:
                self.area.last_line = previous_line
            self.area = Area(label=s, ordinal=len(self.doc.areas) + 1, line=n, subtitle=nxt_s)
            self.doc.areas.append(self.area)
            self.reached.update((s, nxt_s))
            self._open_section(Topic(label=nxt_s, line=nxt[0], kind="heading"))
            return 2
        if self.area is None:
            raise BuildError(f"heading '{s}' comes before any area heading.", path=self.path, line=n)
        self.reached.add(s)
        self._open_section(Topic(label=s, line=n, kind="heading"))
        return 1

    def _open_section(self, section: Topic) -> None:
        """A heading ends any list and any block: what follows belongs to ``section``."""
        self.section = section
        self.topic, self.in_list, self.last, self.last_bullet = None, False, None, None

    def _list_marker(self, n: int) -> None:
        _require_bullets(self.path, self.open_list, n, f"another '{LIST_MARKER}' follows")
        self.open_list = n
        self.in_list, self.topic, self.last, self.last_bullet = True, None, None, None

    def _bullet(self, area: Area, n: int, bullet: re.Match[str]) -> None:
        """A commitment, or the second half of one that got its own dash across a page."""
        if not self.in_list:
            raise BuildError(
                "a bullet outside a 'Byrådet vil:' list; the reader cannot tell what it belongs to.",
                path=self.path,
                line=n,
            )
        body = normalise(bullet.group(2))
        self.open_list = None
        if not starts_with_lead(body, self.leads):
            self._join_dashed_fragment(n, body)
            return
        topic = self._list_topic(area, n)
        block = Block(indented=bool(bullet.group(1)))
        block.append(n, body)
        topic.commitments.append(Commitment(block))
        self.last = self.last_bullet = block

    def _join_dashed_fragment(self, n: int, body: str) -> None:
        """A bullet broken across a page, whose second half got its own dash: join it back."""
        if self.last_bullet is not None and not self.last_bullet.text.endswith(_TERMINAL):
            self.doc.merges.append((self.last_bullet.first_line, n))
            self.last_bullet.append(n, body)
            return
        raise BuildError(
            f"cannot parse the commitment list: '{body[:60]}' does not start with a known lead verb "
            "and does not continue an unfinished bullet. Add the verb to the strength lexicon "
            "(ontology/leangen.ttl, pk:cue) if it is a new commitment.",
            path=self.path,
            line=n,
        )

    def _list_topic(self, area: Area, n: int) -> Topic:
        """The topic of the list's bullets: its sub-heading, else the prose heading above the list."""
        if self.topic is None:
            section = self.section
            self.topic = section if section is not None and section not in area.topics else None
            if self.topic is None:
                raise BuildError("a list with no heading to belong to.", path=self.path, line=n)
            area.topics.append(self.topic)
        return self.topic

    def _continuation(self, n: int, s: str) -> None:
        """A line starting in lower case continues the block before it (a paragraph broken by a page)."""
        if self.last is None:
            _require_bullets(self.path, self.open_list, n, f"this line has no dash: '{s[:60]}'")
            raise BuildError(
                "this line starts in lower case, so it would continue the text before it, but there is "
                "none (a heading or a list's start comes first). Start it with a capital letter, or make "
                f"it a bullet ('- …') of a '{LIST_MARKER}' list.",
                path=self.path,
                line=n,
            )
        self.doc.merges.append((self.last.first_line, n))
        self.last.append(n, s)

    def _subheading(self, area: Area, n: int, s: str) -> None:
        """A line inside a list, followed by a bullet and not a sentence: the topic of the bullets below."""
        self.topic = Topic(label=s.rstrip(":").strip(), line=n, kind="subheading")
        area.topics.append(self.topic)
        self.last = self.last_bullet = None

    def _paragraph(self, area: Area, n: int, s: str) -> None:
        """A prose paragraph: it belongs to the current prose heading (or the area itself); it ends a list."""
        _require_bullets(self.path, self.open_list, n, f"a paragraph follows: '{s[:60]}'")
        self.in_list = False
        block = Block()
        block.append(n, s)
        section = self.section
        if section is not None and section.label != area.subtitle:
            section.prose.append(block)
            if section not in area.sections:
                area.sections.append(section)
        else:
            area.prose.append(block)
        self.last, self.last_bullet = block, None

    def finish(self, contents: Contents, body: list[tuple[int, str]]) -> None:
        """After the last line: stop at a text with no area, a cut-off text or a list left without bullets."""
        if self.area is None:
            raise BuildError("no policy area found: the contents name none that the body starts.", path=self.path)
        require_all_sections(self.path, contents, self.reached, body[-1], len(self.doc.areas))
        _require_bullets(self.path, self.open_list, body[-1][0], "the file ends there")
        self.area.last_line = body[-1][0]


def _number_and_settle(doc: Document) -> None:
    """Number commitments per area from 1; a prose heading without a list gives its prose to the area."""
    for a in doc.areas:
        for section in a.sections:
            if section not in a.topics:
                a.prose.extend(section.prose)
        for ordinal, c in enumerate(a.commitments, start=1):
            c.ordinal = ordinal
