"""One reading of a query's text, shared by the safety check and the engine.

The safety check (rdflib's parser) and the engine (Oxigraph, or a remote store) are two parsers.
Wherever they could read the same characters differently, text that the check skips could still
run: rdflib ended a comment only at ``\\n`` while Oxigraph, like the SPARQL grammar, also ends it
at ``\\r``, so ``#x\\rSERVICE …`` was a comment to the check and a federated query to the engine.

So neither parser sees the client's text. :func:`canonical_query` rewrites it once, in the few
places where parsers may differ, and both the check and the engine get the result:

* codepoint escapes (``\\u0053``) are expanded once, as the grammar says they are before parsing;
  an escape that expands into another escape, or into a surrogate, is refused;
* line ends are ``\\n`` only (``\\r\\n`` and a lone ``\\r`` become ``\\n``);
* comments are removed (each becomes one space; line numbers stay as they were);
* outside string literals and IRIs, any control, format or separator character other than space,
  tab and ``\\n`` (``\\f``, ``\\v``, U+0085, U+2028, NBSP …) is refused: the grammar allows none
  of them, and parsers disagree on which of them end a line;
* brackets (``{ ( [``) nested deeper than :data:`MAX_DEPTH` are refused with the limit named.

The scan also reports whether the ``SERVICE`` keyword occurs as a word outside strings and IRIs,
so the check can refuse it without trusting any parser, and keeps the text outside strings, IRIs,
variable names and the local parts of prefixed names (``code``): a keyword can only stand there, so
the check looks for the risky ones in it alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store import QuerySyntaxError, QueryTooComplex

#: The deepest nesting of ``{``, ``(`` and ``[`` a query may have. The example queries need 4; the
#: engine's own parser overflows its stack somewhere past 2,000.
MAX_DEPTH = 64

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# IRIREF of the SPARQL grammar: no spaces, controls or <>"{}|^`\ inside
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[^\W\d]\w*")
_ALLOWED_SPACE = frozenset(" \t\n")
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class QueryText:
    """The canonical text, and what the scan saw in it."""

    text: str
    has_service: bool
    depth: int
    #: ``text`` with every string literal, IRI, variable name and local name (the part after the
    #: colon) replaced by a space: where keywords can stand
    code: str = ""


def canonical_query(query: str, max_depth: int = MAX_DEPTH) -> QueryText:
    """Rewrite ``query`` as described above, or raise QuerySyntaxError / QueryTooComplex."""
    text = _expand_escapes(query)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _Scanner(text, max_depth).run()


def _expand_escapes(query: str) -> str:
    def expand(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"syntax error: {m.group(0)} is not a Unicode character")
        return chr(code)

    text = _ESCAPE.sub(expand, query)
    if text != query and _ESCAPE.search(text):
        raise QuerySyntaxError(
            "syntax error: a codepoint escape (\\u…) expands into another escape; write the character itself"
        )
    return text


class _Scanner:
    """One pass over the text: strings and IRIs are copied whole, comments dropped, the rest checked."""

    def __init__(self, text: str, max_depth: int):
        self.text, self.max_depth = text, max_depth
        self.out: list[str] = []
        self.code: list[str] = []  # ``out`` without its strings and IRIs
        self.depth = self.deepest = 0
        self.has_service = False

    def run(self) -> QueryText:
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            c = text[i]
            if c == "#":
                end = text.find("\n", i)
                i = n if end < 0 else end
                self.out.append(" ")
                self.code.append(" ")
            elif c in "\"'":
                i = self._string(i)
                self.code.append(" ")
            elif c == "<" and (m := _IRIREF.match(text, i)):
                self.out.append(m.group(0))
                self.code.append(" ")
                i = m.end()
            elif c == "\\":
                self.out.append(text[i:i + 2])  # an escaped character of a local name (ex:a\#b)
                self.code.append(text[i:i + 2])
                i += 2
            elif c.isalpha() or c == "_":
                m = _WORD.match(text, i)
                self._word(m, i)
                self.out.append(m.group(0))
                # a variable (?from) or a prefixed name's local part (pk:from) is never a keyword
                self.code.append(" " if i and text[i - 1] in "?$:" else m.group(0))
                i = m.end()
            else:
                self._punctuation(c, i)
                self.out.append(c)
                self.code.append(c)
                i += 1
        return QueryText("".join(self.out), self.has_service, self.deepest, "".join(self.code))

    def _string(self, i: int) -> int:
        text, q = self.text, self.text[i]
        long = text.startswith(q * 3, i)
        delim = q * 3 if long else q
        j = i + len(delim)
        while j < len(text):
            c = text[j]
            if c == "\\":
                j += 2
                continue
            if text.startswith(delim, j):
                end = j + len(delim)
                self.out.append(text[i:end])
                return end
            if c == "\n" and not long:
                break
            j += 1
        raise QuerySyntaxError(f"syntax error at {self._where(i)}: a string is not closed (open it and close it "
                               f"with the same quote{' on the same line' if not long else ''})")

    def _word(self, m: re.Match[str], i: int) -> None:
        """A bare word: SERVICE as a keyword, unless it is part of a variable or prefixed name."""
        if m.group(0).lower() != "service":
            return
        before = self.text[i - 1] if i else " "
        after = self.text[m.end()] if m.end() < len(self.text) else " "
        if before not in "?$:@-" and after != ":":
            self.has_service = True

    def _punctuation(self, c: str, i: int) -> None:
        if c in _OPEN:
            self.depth += 1
            if self.depth > self.max_depth:
                raise QueryTooComplex(
                    f"the query is nested {self.max_depth + 1} or more levels deep at {self._where(i)}; "
                    f"the limit is {self.max_depth} levels of {{ }}, ( ) and [ ]"
                )
            self.deepest = max(self.deepest, self.depth)
        elif c in _CLOSE:
            self.depth = max(0, self.depth - 1)
        elif c not in _ALLOWED_SPACE and unicodedata.category(c)[0] in "CZ" and c != " ":
            name = unicodedata.name(c, f"U+{ord(c):04X}")
            raise QuerySyntaxError(
                f"syntax error at {self._where(i)}: the character U+{ord(c):04X} ({name}) is only allowed "
                "inside a string; use spaces, tabs and line breaks between terms"
            )

    def _where(self, i: int) -> str:
        line = self.text.count("\n", 0, i) + 1
        col = i - (self.text.rfind("\n", 0, i) + 1) + 1
        return f"line {line}, column {col}"
