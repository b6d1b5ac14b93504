"""What the pages' SPARQL shares: the label pattern, user text as a literal, local names, existence.

Each page module builds its queries from these; all of them run through :mod:`viewer.kg`.
"""

from __future__ import annotations

from graph import vocab
from viewer import kg

STRENGTHS = vocab.STRENGTHS
LABEL = '{ ?%s skos:prefLabel|rdfs:label ?%s FILTER(LANG(?%s) IN ("nb", "")) }'


def optional_label(var: str, out: str) -> str:
    """An OPTIONAL label pattern in bokmål (or untagged) for ``?var`` bound to ``?out``."""
    return "OPTIONAL " + LABEL % (var, out, out)


def classes(names: tuple[str, ...]) -> str:
    """pk: classes (local names from :mod:`graph.vocab`) as the terms of a SPARQL ``VALUES`` block."""
    return " ".join(f"pk:{n}" for n in names)


def sparql_string(text: str) -> str:
    """A SPARQL string literal for user text (search words): escapes what could end the literal."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def local(term: str | None) -> str:
    """The local name of an ontology term (``…#decisive`` → ``decisive``)."""
    return (term or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def exists(entity: str) -> bool:
    """Whether the graph has the IRI as a subject (a malformed IRI does not exist)."""
    try:
        q = kg.iri(entity)
    except ValueError:
        return False
    return bool(kg.select(f"SELECT ?p WHERE {{ {q} ?p ?o }} LIMIT 1"))
