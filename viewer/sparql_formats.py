"""Result serialisers for the SPARQL endpoint: SPARQL JSON/XML/CSV/TSV results, and RDF for graphs.

Written here (not left to an engine) so that every store gives byte-for-byte the same formats and
the row limit is applied before anything is written.
"""

from __future__ import annotations

import io
import json
from xml.sax.saxutils import escape, quoteattr

from store import QueryResult, Term
from viewer.security import served_prefixes

# media type -> format name
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
# format name -> the media type we answer with
RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
#: The formats each kind of result can be written in, the first being the default. SPARQL 1.1
#: Query Results CSV and TSV define no form for a boolean, so an ASK result has JSON and XML only
#: (a made-up one-cell table would be read as a one-row SELECT: rdflib's SPARQLStore took "false"
#: for true).
KIND_FORMATS = {
    "select": ("json", "xml", "csv", "tsv"),
    "ask": ("json", "xml"),
    "graph": ("turtle", "nt", "jsonld", "rdfxml"),
}
MEDIA = {**RESULT_MEDIA, **GRAPH_MEDIA}
# the `format=` (or `output=`) parameter: short names as SPARQLWrapper and browsers send them, or
# a media type. For graphs, "json" means JSON-LD and "xml" RDF/XML (what SPARQLWrapper asks for).
FORMAT_ALIASES = {
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "n3": (None, "turtle"),
    "nt": (None, "nt"), "ntriples": (None, "nt"), "n-triples": (None, "nt"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}


def media_types(kind: str) -> dict[str, str]:
    """Media type -> format name for the formats a kind of result can be written in (for ``Accept``)."""
    table = GRAPH_TYPES if kind == "graph" else RESULT_TYPES
    return {media: fmt for media, fmt in table.items() if fmt in KIND_FORMATS[kind]}


def resolve_format(value: str, kind: str) -> str | None:
    """The format name for a `format=` value and a result kind, or None if it does not apply."""
    v = value.strip().lower()
    if "/" in v:
        return media_types(kind).get(v.split(";")[0].strip())
    pair = FORMAT_ALIASES.get(v)
    fmt = (pair[1] if kind == "graph" else pair[0]) if pair else None
    return fmt if fmt in KIND_FORMATS[kind] else None


def serialize(result: QueryResult, fmt: str) -> bytes:
    if fmt not in KIND_FORMATS[result.kind]:
        raise ValueError(f"a {result.kind} result cannot be written as {fmt}")  # negotiation prevents it
    if result.kind == "graph":
        return _graph(result, fmt)
    return {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt](result)


def _json_term(t: Term) -> dict:
    if t.kind == "literal":
        d = {"type": "literal", "value": t.value}
        if t.lang:
            d["xml:lang"] = t.lang
        elif t.datatype:
            d["datatype"] = t.datatype
        return d
    return {"type": t.kind, "value": t.value}


def _json(r: QueryResult) -> bytes:
    if r.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(r.boolean)}).encode()
    bindings = [
        {v: _json_term(t) for v, t in zip(r.vars, row) if t is not None}
        for row in r.rows
    ]
    return json.dumps({"head": {"vars": r.vars}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def _xml(r: QueryResult) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
    if r.kind == "ask":
        out.write(f"</head>\n<boolean>{'true' if r.boolean else 'false'}</boolean>\n</sparql>\n")
        return out.getvalue().encode()
    for v in r.vars:
        out.write(f"<variable name={quoteattr(v)}/>")
    out.write("</head>\n<results>\n")
    for row in r.rows:
        out.write("<result>")
        for v, t in zip(r.vars, row):
            if t is None:
                continue
            out.write(f"<binding name={quoteattr(v)}>")
            if t.kind == "uri":
                out.write(f"<uri>{escape(t.value)}</uri>")
            elif t.kind == "bnode":
                out.write(f"<bnode>{escape(t.value)}</bnode>")
            else:
                attr = f" xml:lang={quoteattr(t.lang)}" if t.lang else (
                    f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
                out.write(f"<literal{attr}>{escape(_xml_safe(t.value))}</literal>")
            out.write("</binding>")
        out.write("</result>\n")
    out.write("</results>\n</sparql>\n")
    return out.getvalue().encode()


def _xml_safe(s: str) -> str:
    # characters XML 1.0 cannot carry at all are replaced rather than producing a broken document
    return "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c > "\uffff" else "\ufffd" for c in s)


def _csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    v = f"_:{t.value}" if t.kind == "bnode" else t.value
    if any(c in v for c in ',"\r\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def _csv(r: QueryResult) -> bytes:
    lines = [",".join(_csv_value(Term("literal", v)) for v in r.vars)]
    lines += [",".join(_csv_value(t) for t in row) for row in r.rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _tsv_term(t: Term | None) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return f"<{t.value}>"
    if t.kind == "bnode":
        return f"_:{t.value}"
    s = (t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
         .replace("\r", "\\r").replace("\t", "\\t"))
    if t.lang:
        return f'"{s}"@{t.lang}'
    if t.datatype:
        return f'"{s}"^^<{t.datatype}>'
    return f'"{s}"'


def _tsv(r: QueryResult) -> bytes:
    lines = ["\t".join(f"?{v}" for v in r.vars)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in r.rows]
    return ("\n".join(lines) + "\n").encode()


def to_oxigraph(t: Term):
    import pyoxigraph as ox

    if t.kind == "uri":
        return ox.NamedNode(t.value)
    if t.kind == "bnode":
        return ox.BlankNode(t.value)
    if t.lang:
        return ox.Literal(t.value, language=t.lang)
    if t.datatype:
        return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype))
    return ox.Literal(t.value)


def _graph(r: QueryResult, fmt: str) -> bytes:
    import pyoxigraph as ox

    triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in r.triples]
    oxfmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
             "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
    if fmt in ("turtle", "rdfxml"):
        used = {p: iri for p, iri in served_prefixes().items()
                if any(x.value.startswith(iri) for tr in r.triples for x in tr if x.kind == "uri")}
        return ox.serialize(triples, format=oxfmt, prefixes=used)
    return ox.serialize(triples, format=oxfmt)
