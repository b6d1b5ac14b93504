"""The platform's front matter: the title page, the table of contents and the preamble.

The table of contents ("Innhold", one ``title<TAB>page`` per line) lists every area and prose
heading; the body reader (:mod:`graph.segment`) uses it as the authority on what is a heading,
and :func:`require_all_sections` uses it to notice a text that was cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph.document import LIST_MARKER, Block, normalise, starts_lower
from graph.errors import BuildError

_TOC_ENTRY = re.compile(r"^(.+?)\t(\d+)\s*$")
_PERIOD = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


@dataclass
class FrontPage:
    """What the title page says, and the party-logo text to drop wherever it recurs."""

    title: str
    title_line: int
    subtitle: str
    period_start: int
    period_end: int
    parties: list[str]
    logo: set[str]  # lower-case lines after the period line ("miljøpartiet"), repeated on the last page


@dataclass
class Contents:
    """The table of contents: its entries in order, the line of each, and where the contents end."""

    entries: list[str]
    lines: dict[str, int]  # entry → its line in the contents (the first, if listed twice)
    end: int  # index (0 is line 1) of the first line after the contents


def find_contents(path: Path, stripped: list[str]) -> int:
    """The index of the "Innhold" line; without it no heading can be told from prose."""
    try:
        return stripped.index("Innhold")
    except ValueError:
        raise BuildError(
            'no table of contents ("Innhold") found; the reader uses it to tell headings from prose.',
            path=path,
        ) from None


def read_front_page(path: Path, stripped: list[str], toc_at: int) -> FrontPage:
    """Title, subtitle and period from the lines before the contents; the lower-case rest is logo text.

    The parties are read from the subtitle ("… utgått av Høyre, MDG og Venstre").
    """
    front = [(i + 1, s) for i, s in enumerate(stripped[:toc_at]) if s]
    if len(front) < 3:
        raise BuildError("the front page (title, subtitle, period) is missing.", path=path, line=1)
    period_match = next(((n, m) for n, s in front if (m := _PERIOD.match(s))), None)
    if period_match is None:
        raise BuildError("no period line such as '2024 - 2027' on the front page.", path=path)
    period_line, m = period_match
    subtitle = " ".join(s for n, s in front[1:] if n < period_line)
    party_match = re.search(r"utgått av (.+)$", subtitle)
    return FrontPage(
        title=re.sub(r"(\w)- (\w)", r"\1-\2", front[0][1]),  # a word the PDF hyphenated across lines
        title_line=front[0][0],
        subtitle=subtitle,
        period_start=int(m.group(1)),
        period_end=int(m.group(2)),
        parties=re.split(r",\s*|\s+og\s+", party_match.group(1)) if party_match else [],
        logo={s for n, s in front if n > period_line and starts_lower(s)},
    )


def read_contents(path: Path, lines: list[str], toc_at: int) -> Contents:
    """The ``title<TAB>page`` lines after "Innhold" (blank lines skipped), up to the first other line."""
    entries: list[str] = []
    entry_lines: dict[str, int] = {}
    i = toc_at + 1
    while i < len(lines):
        raw = lines[i]
        if not raw.strip():
            i += 1
            continue
        entry = _TOC_ENTRY.match(raw.strip())
        if not entry:
            break
        entries.append(normalise(entry.group(1)))
        entry_lines.setdefault(entries[-1], i + 1)
        i += 1
    if not entries:
        raise BuildError("the table of contents has no entries ('title<TAB>page').", path=path, line=toc_at + 1)
    return Contents(entries, entry_lines, i)


def find_body(path: Path, stripped: list[str], contents: Contents) -> int:
    """The index of the line where the body starts: the first area heading after the contents."""
    first = contents.entries[0]
    try:
        return next(j for j in range(contents.end, len(stripped)) if stripped[j] == first)
    except StopIteration:
        raise BuildError(f"the first area '{first}' from the contents never starts.", path=path) from None


def read_preamble(stripped: list[str], start: int, body_at: int) -> list[Block]:
    """The sentences between the contents and the body; the signatories' names there end in no full stop."""
    preamble = []
    for j in range(start, body_at):
        if stripped[j].endswith("."):
            block = Block()
            block.append(j + 1, stripped[j])
            preamble.append(block)
    return preamble


def require_all_sections(path: Path, contents: Contents, reached: set[str], last: tuple[int, str],
                         areas: int) -> None:
    """Every contents entry must start a section; otherwise say whether the text was cut off.

    Missing entries at the end of the contents mean the text stops early (a truncated copy),
    which otherwise surfaces far away as a curated evidence quote "not on its line".
    """
    toc = contents.entries
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
        line=contents.lines[gap],
    )
