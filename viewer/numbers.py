"""Numbers for people: counts with the right plural ("285 punkter · 44 steder", "1 punkt") and
decimals rounded, with the decimal comma in bokmål."""

from __future__ import annotations

from viewer import i18n

#: Class → (nb singular, nb plural, en singular, en plural).
PLURALS: dict[str, tuple[str, str, str, str]] = {
    "Commitment": ("punkt", "punkter", "commitment", "commitments"),
    "PolicyArea": ("politikkområde", "politikkområder", "policy area", "policy areas"),
    "Topic": ("tema", "temaer", "topic", "topics"),
    "Place": ("sted", "steder", "place", "places"),
    "Project": ("prosjekt", "prosjekter", "project", "projects"),
    "Actor": ("aktør", "aktører", "actor", "actors"),
    "Instrument": ("virkemiddel", "virkemidler", "instrument", "instruments"),
    "Target": ("mål", "mål", "target", "targets"),
    "Mention": ("belegg", "belegg", "piece of link evidence", "pieces of link evidence"),
}


def plural(n: int, cls: str) -> str:
    """``n`` things of class ``cls`` in the page's language: the count and the right form of the noun."""
    forms = PLURALS.get(cls)
    if forms is None:
        return f"{n} {i18n.term_label(cls)}"
    offset = 2 if i18n.lang() == "en" else 0
    return f"{n} {forms[offset] if n == 1 else forms[offset + 1]}"


def num(value: float | None, digits: int = 2) -> str:
    """A decimal rounded for reading (``0.0391`` → ``0,04`` in bokmål, ``0.04`` in English)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if i18n.lang() == "nb" else text
