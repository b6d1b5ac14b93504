"""The facets of ``/commitments``: what each one filters on, its values and counts, all by SPARQL.

Each facet is a graph pattern in ``viewer/facets/<name>.rq`` that binds ``?value`` for a
commitment ``?c``. A selection becomes a subquery ``{ SELECT DISTINCT ?c WHERE { <pattern> VALUES ?value { … } } }``: the
values in it are never the user's text but terms looked up from the keys the graph itself offers
(:func:`known`), so nothing typed into the URL reaches the query. Values of one facet are
alternatives (OR), facets combine (AND); a facet's counts apply every *other* facet's selection
(disjunctive faceting, as Datasette and the Sampo portals do), so its own alternatives stay visible.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from viewer import i18n, kg
from viewer.page_queries import local, sparql_string

HERE = Path(__file__).resolve().parent / "facets"


@dataclass(frozen=True)
class Facet:
    """One facet: its URL parameter (the name), what its values are, and its UI label key."""

    name: str
    kind: str  # "entity" (IRIs under base + prefix), "term" (pk: terms), "flag" (yes/no),
    #            "notation" (the skos:notation of a concept of the pk: scheme ``prefix``)
    prefix: str = ""
    label_key: str = ""


FACETS: tuple[Facet, ...] = (
    Facet("area", "entity", "area/", "area"),
    Facet("topic", "entity", "topic/", "topic"),
    Facet("strength", "term", "", "strength"),
    Facet("status", "notation", "StatusScheme", "status"),
    Facet("borough", "entity", "place/", "borough"),
    Facet("place", "entity", "place/", "place"),
    Facet("project", "entity", "project/", "project"),
    Facet("actor", "entity", "actor/", "actor"),
    Facet("instrument", "entity", "instrument/", "instrument"),
    Facet("target", "flag", "", "has_target"),
    Facet("link", "term", "", "link_kind"),
)
BY_NAME = {f.name: f for f in FACETS}


class FacetError(ValueError):
    """A facet parameter names a value the graph does not have (shown to the reader, 400)."""


@cache
def query_text(name: str) -> str:
    """The text of ``viewer/facets/<name>.rq`` (read once)."""
    return (HERE / f"{name}.rq").read_text(encoding="utf-8")


@cache
def actor_groups() -> dict[str, dict[str, Any]]:
    """Generic categories of actors grouped (``actor-groups.csv``): "the state" is Staten, statlige
    and nasjonale myndigheter, which the document names apart but a reader looks for together."""
    with (HERE / "actor-groups.csv").open(encoding="utf-8", newline="") as f:
        return {r["key"]: {"nb": r["label_nb"], "en": r["label_en"], "members": r["members"].split()}
                for r in csv.DictReader(f)}


def key_of(facet: Facet, value: Any) -> str:
    """The URL key of a facet value: the slug after ``<base><prefix>``, a term's local name, the flag."""
    text = str(value)
    if facet.kind == "entity" and not (facet.name == "actor" and text in actor_groups()):
        return text[len(kg.base_iri() + facet.prefix):]
    return local(text) if facet.kind == "term" else text


def term_of(facet: Facet, key: str) -> str:
    """The SPARQL term for a key already checked by :func:`known` (IRIs refused by ``kg.iri`` if odd);
    a flag's or a notation's key is the string the pattern binds."""
    if facet.kind == "entity":
        return kg.iri(kg.base_iri() + facet.prefix + key)
    if facet.kind == "term":
        return kg.iri(kg.PK + key)
    return sparql_string(key)


def value_terms(facet: Facet, keys: list[str]) -> list[str]:
    """The terms a selection stands for; an actor group stands for its members."""
    groups = actor_groups() if facet.name == "actor" else {}
    terms: list[str] = []
    for key in keys:
        for member in groups[key]["members"] if key in groups else [key]:
            term = term_of(facet, member)
            if term not in terms:
                terms.append(term)
    return terms


def fill(template: str, **parts: str) -> str:
    """A query template with each placeholder line (``  #FILTERS`` alone on its line) replaced."""
    for name, text in parts.items():
        template = re.sub(rf"^[ \t]*#{name.upper()}[ \t]*$", text.replace("\\", "\\\\"), template,
                          flags=re.MULTILINE)
    return template


def filters(selection: dict[str, list[str]], skip: str | None = None) -> str:
    """A subquery per selected facet but ``skip``: the commitments it keeps, joined (one evaluation
    per facet, not one per commitment as a FILTER EXISTS would be)."""
    blocks = []
    for name, keys in selection.items():
        if name == skip or not keys:
            continue
        values = " ".join(value_terms(BY_NAME[name], keys))
        blocks.append(f"{{ SELECT DISTINCT ?c WHERE {{\n    ?c a pk:Commitment .\n    {query_text(name)}"
                      f"    VALUES ?value {{ {values} }}\n  }} }}")
    return "\n  ".join(blocks)


def rows_query(selection: dict[str, list[str]]) -> str:
    """The SELECT behind the table: every commitment the selection keeps (also the editor's query)."""
    return fill(query_text("rows"), filters=filters(selection))


def counts_query(name: str, selection: dict[str, list[str]]) -> str:
    """How many commitments each value of facet ``name`` has, under the other facets' selection."""
    return fill(query_text("counts"), filters=filters(selection, skip=name), pattern=query_text(name))


def group_counts_query(selection: dict[str, list[str]]) -> str:
    """The actor groups' counts: the same count with ``?value`` the group key of each member."""
    pairs = " ".join(f"({sparql_string(k)} {term_of(BY_NAME['actor'], m)})"
                     for k, g in actor_groups().items() for m in g["members"])
    pattern = f"VALUES (?value ?member) {{ {pairs} }}\n      ?c pk:involvesActor ?member ."
    return fill(query_text("counts"), filters=filters(selection, skip="actor"), pattern=pattern)


def value_label(facet: Facet, key: str, graph_label: str | None) -> str:
    """A value's name in the page's language: a term's label, a notation's concept's, yes/no, a
    group's, else the graph's."""
    if facet.kind == "term":
        return i18n.term_label(key)
    if facet.kind == "notation":
        return i18n.notation_label(facet.prefix, key)
    if facet.kind == "flag":
        return i18n.t(key)
    group = actor_groups().get(key) if facet.name == "actor" else None
    if group:
        return group[i18n.lang()]
    return graph_label or key


def counts(name: str, selection: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Facet ``name``'s values (key, label, count), most first; groups of actors before actors."""
    facet = BY_NAME[name]
    rows = kg.select(counts_query(name, selection))
    if name == "actor":
        rows = kg.select(group_counts_query(selection)) + rows
    seen: dict[str, dict[str, Any]] = {}
    for r in rows:
        is_group = name == "actor" and str(r["value"]) in actor_groups()
        if facet.kind == "entity" and not is_group and not str(r["value"]).startswith(kg.base_iri() + facet.prefix):
            continue
        key = key_of(facet, r["value"])
        if key not in seen:
            seen[key] = {"key": key, "label": value_label(facet, key, r["label"]), "n": r["n"] or 0,
                         "group": name == "actor" and key in actor_groups()}
    return sorted(seen.values(), key=lambda v: (not v["group"], -v["n"], v["label"].lower()))


def keys_by_commitment(name: str) -> dict[str, list[str]]:
    """Each commitment's keys of facet ``name`` (its status for the downloads' column); cached."""
    def read() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        query = f"SELECT ?c ?value WHERE {{\n  ?c a pk:Commitment .\n  {query_text(name)}}}"
        for r in kg.select(query):
            found.setdefault(r["c"], []).append(key_of(BY_NAME[name], r["value"]))
        return found
    return kg.cached(f"facet-by-commitment-{name}", read)


def known(name: str) -> set[str]:
    """Every key facet ``name`` offers with nothing selected (cached: the graph is read-only)."""
    return kg.cached(f"facet-keys-{name}", lambda: {v["key"] for v in counts(name, {})})


def parse(args: Any) -> dict[str, list[str]]:
    """The selection in a request's arguments: ``?place=heimdal&strength=exploratory`` (repeatable).

    Raises :class:`FacetError` naming the parameter and the value when the graph has no such value.
    """
    selection: dict[str, list[str]] = {}
    for facet in FACETS:
        keys = [k.strip() for k in args.getlist(facet.name) if k.strip()]
        unknown = [k for k in keys if k not in known(facet.name)]
        if unknown:
            example = sorted(known(facet.name))[:3]
            raise FacetError(i18n.t("facet_unknown").format(param=facet.name, value=unknown[0],
                                                            examples=", ".join(example)))
        if keys:
            selection[facet.name] = list(dict.fromkeys(keys))
    return selection
