"""Numbers for people: counts with the right plural ("285 løfter · 44 steder", "1 løfte") and
decimals rounded, with the decimal comma in bokmål."""

from __future__ import annotations

from graph.vocab import registry
from viewer import i18n


def plural(n: int, cls: str) -> str:
    """``n`` things of class ``cls`` in the page's language, the noun as the ontology names it
    (``rdfs:label`` for one, ``pk:pluralLabel`` for several), so the page says what the vocabulary says."""
    language = i18n.lang()
    word = registry().label(cls, language, plural=n != 1) or registry().label(cls, language)
    return f"{n} {word or i18n.term_label(cls)}"


def num(value: float | None, digits: int = 2) -> str:
    """A decimal rounded for reading (``0.0391`` → ``0,04`` in bokmål, ``0.04`` in English)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if i18n.lang() == "nb" else text
