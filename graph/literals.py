"""Typed literals the way every SPARQL store gives them back: the published datatypes and lexical forms.

A store keeps a literal's *value*, not the text it was written with: Oxigraph returns
``"300.0"^^xsd:decimal`` as ``"300"`` and every ``xsd:positiveInteger`` as ``xsd:integer``; Virtuoso
writes decimals the same way. If the build published other forms, the endpoint would serve triples
that differ from ``dist/graph.nt``: a federated query would see each value twice and a filter on the
documented datatype would find nothing. So the build only uses datatypes both stores keep, and writes
each number in the canonical form they return (XSD 1.1: ``300``, ``2.5``, ``-0.25``; no ``+``, no
leading or trailing zeros). docs/vocabulary.md lists the contract.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

from rdflib import RDF, XSD, Graph, Literal, URIRef

GEO_WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")

#: Datatypes whose literals Oxigraph and Virtuoso both return exactly as published (tested in
#: tests/test_exact_data.py and tests/test_remote_virtuoso.py). Virtuoso alone turns geo:wktLiteral
#: into its own geometry type; docs/sparql.md says so.
STABLE_DATATYPES = frozenset({XSD.string, RDF.langString, XSD.integer, XSD.decimal, XSD.gYear, XSD.date,
                              GEO_WKT})


#: The numbers Oxigraph stores as values (a 64-bit integer; a decimal of 128 bits with 18 fractional
#: digits). Outside them it keeps the text as written, so "0012" would be served as "0012" and the
#: canonical form below would no longer be what a store returns: the build refuses such numbers.
INTEGER_RANGE = (-(2**63), 2**63 - 1)
DECIMAL_LIMIT = Decimal(2**127 - 1).scaleb(-18)
DECIMAL_PLACES = 18


class OutOfRange(ValueError):
    """A well-formed number a store would not keep as a value."""


@cache
def integer(n: int) -> Literal:
    """An ``xsd:integer`` (line numbers, ordinals, counts; their bounds are in the shapes); made once
    per value, because an rdflib Literal parses its own text and the build makes thousands."""
    return Literal(str(int(n)), datatype=XSD.integer)


def canonical_lexical(lexical: str, datatype: URIRef | None) -> str:
    """The lexical form a store returns for this value; raises ValueError if it is not a number, and
    :class:`OutOfRange` if it is one no store keeps exactly."""
    if datatype not in (XSD.integer, XSD.decimal):
        return lexical
    if "_" in lexical or "e" in lexical.lower():  # Python reads "1_000" and "1e3"; XSD does not
        raise ValueError(lexical)
    if datatype == XSD.integer:
        number = int(lexical.strip())
        if not INTEGER_RANGE[0] <= number <= INTEGER_RANGE[1]:
            raise OutOfRange(lexical)
        return str(number)
    value = Decimal(lexical.strip())
    if not value.is_finite():
        raise ValueError(lexical)
    whole, _, fraction = format(value, "f").partition(".")  # not normalize(): it rounds to 28 digits
    fraction = fraction.rstrip("0")
    if abs(value) > DECIMAL_LIMIT or len(fraction) > DECIMAL_PLACES:
        raise OutOfRange(lexical)
    return f"{whole}.{fraction}" if fraction else str(int(value))


def unsupported(literal: Literal) -> str | None:
    """Why ``literal`` cannot be published (a datatype a store changes, a number that is none), or None."""
    datatype = literal.datatype or (RDF.langString if literal.language else XSD.string)
    if datatype not in STABLE_DATATYPES:
        return (f"the datatype <{datatype}> is not one the stores keep (Oxigraph returns xsd:positiveInteger "
                "and the other integer subtypes as xsd:integer); use xsd:integer, xsd:decimal, xsd:gYear, "
                "xsd:date, geo:wktLiteral or a plain or @nb/@en string")
    try:
        canonical_lexical(str(literal), datatype)
    except OutOfRange:
        return (f"{str(literal)!r} is outside what the stores keep exactly (an integer between -2^63 and 2^63-1, "
                f"a decimal below {DECIMAL_LIMIT:.0f} with at most {DECIMAL_PLACES} decimals); write a smaller number "
                "or keep it as text")
    except (ValueError, InvalidOperation):
        return f"{str(literal)!r} is not a valid xsd:{datatype.removeprefix(str(XSD))}"
    return None


def canonicalise(graph: Graph) -> int:
    """Rewrite every integer and decimal of ``graph`` into its canonical form; returns how many changed.

    Curated Turtle may write ``pk:value 300.0``; what is published is what a store returns, ``"300"``.
    Literals must have passed :func:`unsupported`.
    """
    changed = []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype in (XSD.integer, XSD.decimal):
            canonical = canonical_lexical(str(o), o.datatype)
            if canonical != str(o):
                changed.append((s, p, o, Literal(canonical, datatype=o.datatype)))
    for s, p, old, new in changed:
        graph.remove((s, p, old))
        graph.add((s, p, new))
    return len(changed)
