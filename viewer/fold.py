"""Forgiving search: what a reader types matches what the graph says, whichever way æøå were typed.

The rules (the same in ``viewer/static/fold.js`` and the network's search): case ignored; å, aa → a;
ø, ö → o; æ, ä → ae; other accents dropped; a genitive ``s`` on a query word ignored ("Heimdals",
"NAVs"); every query word must be the start of a word of the name ("St Olav" finds "St. Olavs
hospital"). Exact names rank first, then names that start with the query, then the rest.
"""

from __future__ import annotations

import re
import unicodedata

_PAIRS = (("æ", "ae"), ("ä", "ae"), ("ø", "o"), ("ö", "o"), ("å", "a"), ("aa", "a"))


def fold(text: str) -> str:
    """Lower case, Norwegian letters and their ASCII spellings made equal, accents dropped."""
    text = text.lower()
    for old, new in _PAIRS:
        text = text.replace(old, new)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text (letters and digits)."""
    return [w for w in re.split(r"[^a-z0-9]+", fold(text)) if w]


def query_words(text: str) -> list[str]:
    """The folded words of a query, a genitive ``s`` dropped from words longer than three letters."""
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(text)]


def matches(query: str, name: str) -> bool:
    """Whether every query word starts a word of ``name`` (an empty query matches nothing)."""
    wanted, have = query_words(query), words(name)
    return bool(wanted) and all(any(w.startswith(q) for w in have) for q in wanted)


def rank(query: str, name: str) -> int:
    """0 the exact name, 1 a name that starts with the query, 2 any other match, 3 no match."""
    q, n = " ".join(query_words(query)), " ".join(words(name))
    if not matches(query, name):
        return 3
    if n == q or " ".join(query_words(name)) == q:
        return 0
    return 1 if n.startswith(q) else 2
