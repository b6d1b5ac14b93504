"""Our own safety check of a query, before any engine sees it.

Both rdflib and pyoxigraph execute ``SERVICE`` (pyoxigraph even ``SERVICE SILENT``) with no option
to turn it off, and rdflib fetches ``FROM <url>``; so the endpoint refuses such queries itself:

* an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY …) is refused;
* a ``SERVICE`` clause anywhere (also inside FILTER EXISTS or a sub-query) is refused;
* ``FROM`` / ``FROM NAMED`` (and the protocol's ``default-graph-uri`` / ``named-graph-uri``) may
  only name graphs that are in the store: nothing is ever fetched.

Relative IRIs are resolved against the base the caller gives (the endpoint's public URL, as the
SPARQL 1.1 Protocol asks), here and in the engine alike; the query text itself is never rewritten.

The check reads the *canonical* text of :mod:`store.querytext` (comments and codepoint escapes
gone, one kind of line end), and the engine runs that same text (``Verdict.text``): the two
parsers never read different characters. ``SERVICE`` is refused twice over: by our own scan,
which sees the keyword wherever it stands outside strings and IRIs, and by rdflib's parse tree.
And the query workers cannot open a network connection at all (:mod:`store.sandbox`).

rdflib's parser takes 10–30 ms on a typical query (40–90 ms on a page's), more than running it on
Oxigraph. A canonical text whose code (outside strings, IRIs, variable names and the local parts
of prefixed names) contains none of the letters of the dangerous keywords (``service``, ``from``,
the update verbs) cannot contain any of these clauses, so it skips the full parse and goes straight
to the engine (whose own parser reports syntax errors). A page query about
``<…/link/buying-digital-services…>``, ``"…with…"``, ``pk:from`` or ``?from`` is as harmless as any
other: before, one entity page in twenty and every facet query of /commitments paid a full parse
for such words (40–90 ms each, enough under load to push page queries past the 0.25 s after which a
worker is replaced). A prefix name (``from:``) still counts. Every other query is parsed in full;
the verdicts are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

from store import QueryRefused, QuerySyntaxError, UnknownGraph
from store.querytext import canonical_query

# Substrings, case-insensitive and deliberately without word boundaries: a false alarm only costs
# a full parse. ``\u`` because SPARQL allows codepoint escapes anywhere in the query text.
_RISKY = re.compile(r"service|from|insert|delete|load|clear|drop|create|add|move|copy|with", re.IGNORECASE)
#: The same words for text already in lower case: ten times faster than the case-insensitive search,
#: which runs on every query (only ASCII text is lowered: ``re.IGNORECASE`` also matches "ſ" for "s")
_RISKY_LOWER = re.compile(_RISKY.pattern)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_NO_SERVICE = (
    "SERVICE is not allowed: this endpoint never makes outbound requests "
    "(federated queries must be run by the client)"
)


@dataclass(frozen=True)
class Verdict:
    """What the check learnt: the text to run, and the graphs the query's own dataset clause names."""

    text: str
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    parsed: bool = False

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def check_query(
    query: str,
    store_graphs: frozenset[str] | set[str] | list[str],
    default_graphs: list[str] | tuple[str, ...] | None = None,
    named_graphs: list[str] | tuple[str, ...] | None = None,
    base_iri: str | None = None,
) -> Verdict:
    """Raise :class:`QueryRefused`, :class:`QuerySyntaxError` or :class:`UnknownGraph`, or return a verdict.

    ``base_iri`` is what relative IRIs in ``FROM``/``FROM NAMED`` resolve against: pass the same
    base the engine gets, so the graphs checked are the graphs the engine would read.
    """
    if not query or not query.strip():
        raise QuerySyntaxError("empty query")
    verdict = _check_cached(query, base_iri)
    known = frozenset(store_graphs)
    for iri in (*verdict.from_graphs, *verdict.from_named_graphs, *(default_graphs or ()),
                *(named_graphs or ())):
        if iri not in known:
            raise UnknownGraph(
                f"graph <{iri}> is not in this store (graphs here: "
                + (", ".join(f"<{g}>" for g in sorted(known)) or "none")
                + "); nothing is fetched from outside"
            )
    return verdict


@lru_cache(maxsize=512)
def _check_cached(query: str, base_iri: str | None = None) -> Verdict:
    canonical = canonical_query(query)
    if canonical.has_service:
        raise QueryRefused(_NO_SERVICE)
    code = canonical.code
    if not (_RISKY_LOWER.search(code.lower()) if code.isascii() else _RISKY.search(code)):
        return Verdict(canonical.text)
    return _full_check(canonical.text, base_iri)


def _full_check(query: str, base_iri: str | None = None) -> Verdict:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(query)
    except Exception as exc:  # noqa: BLE001 - pyparsing errors, RecursionError on deep nesting, bad escapes
        if _is_update(query, parseUpdate):
            raise QueryRefused(
                "updates are not allowed: this endpoint is read-only (INSERT, DELETE, LOAD, CLEAR, "
                "DROP, CREATE, ADD, MOVE and COPY are refused)"
            ) from None
        raise QuerySyntaxError(syntax_message(query, _message(exc))) from None
    try:
        return _inspect(query, parsed, base_iri)
    except (QueryRefused, QuerySyntaxError):
        raise
    except Exception as exc:  # noqa: BLE001 - an unresolvable prefix in FROM, …
        raise QuerySyntaxError(f"query error: {_message(exc)}") from None


def _is_update(query: str, parse_update) -> bool:
    try:
        parse_update(query)
    except Exception:  # noqa: BLE001 - any failure means: not an update
        return False
    return True


def _message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "the query is nested too deeply"
    text = str(exc).strip() or type(exc).__name__
    return text[:500]


def _inspect(query: str, parsed, base_iri: str | None = None) -> Verdict:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Prologue

    prologue_part, body = parsed[0], parsed[1]
    dataset_clauses = []
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise QueryRefused(_NO_SERVICE)
            if node.name == "DatasetClause":
                dataset_clauses.append(node)
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    if not dataset_clauses:
        return Verdict(query, parsed=True)
    prologue = Prologue()
    base = base_iri or ""
    for decl in prologue_part:  # rdflib's translatePrologue would not resolve a relative BASE
        if decl.name == "Base":
            base = _resolve(base, str(decl.iri))
        elif decl.name == "PrefixDecl":
            prologue.bind(decl.prefix, _resolve(base, str(decl.iri)))
    default, named = [], []
    for clause in dataset_clauses:
        for key, out in (("default", default), ("named", named)):
            if key in clause:
                out.append(_resolve(base, str(prologue.absolutize(clause[key]))))
    return Verdict(query, tuple(default), tuple(named), parsed=True)


def _resolve(base: str, iri: str) -> str:
    """``iri`` resolved against ``base`` (RFC 3986), as the engine resolves it; absolute IRIs stay."""
    if not base or _SCHEME.match(iri):
        return iri
    return urljoin(base, iri)


_NOT_NAMES = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_PREFIXED = re.compile(r"(?<![\w?$:])([A-Za-z][\w.-]*)?:(?=[\w%\\])")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_AT = re.compile(r"^(?:error at )?(\d+):(\d+): (.*)$", re.DOTALL)


def undeclared_prefixes(query: str) -> list[str]:
    """Prefixes the query uses in prefixed names without a PREFIX declaration, in order of use."""
    text = _NOT_NAMES.sub(" ", query)
    declared = set(_DECLARED.findall(text))
    used = [p or "" for p in _PREFIXED.findall(_DECLARED.sub(" ", text))]
    return list(dict.fromkeys(p for p in used if p not in declared))


def syntax_message(query: str, detail: str) -> str:
    """A parser's complaint as one readable line with a suggestion (a missing PREFIX named in full).

    Oxigraph lists every character it expected (700 characters for a missing prefix); a reader needs
    the place and what to do.
    """
    missing = undeclared_prefixes(query)
    if missing:
        name = missing[0]
        from graph.vocab import (
            prefixes,  # on an error only: the worker does not load the vocabulary otherwise
        )

        iri = {"dcat": "http://www.w3.org/ns/dcat#", "foaf": "http://xmlns.com/foaf/0.1/",
               **prefixes()}.get(name, "…")
        return (f"syntax error: the prefix “{name}:” is used but not declared; add "
                f"PREFIX {name}: <{iri}> at the top of the query")
    first = " ".join(detail.split())
    m = _AT.match(first)
    if m:
        line, column, rest = m.groups()
        first = f"at line {line}, column {column}: {rest}"
    if len(first) > 200:
        first = first[:200].rsplit(" ", 1)[0] + " …"
    return f"syntax error {first}" if m else f"syntax error: {first}"
