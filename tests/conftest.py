"""Shared fixtures: the parsed document and the built graph, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.features import StrengthLexicon
from graph.pipeline import Built, Paths, load_ontology, make_graph
from graph.segment import Document, parse

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def lexicon() -> StrengthLexicon:
    return StrengthLexicon.from_ontology(load_ontology(Paths().ontology))


@pytest.fixture(scope="session")
def lead_words(lexicon: StrengthLexicon) -> set[str]:
    return lexicon.first_words


@pytest.fixture(scope="session")
def doc(lead_words: set[str]) -> Document:
    return parse(Paths().source, lead_words)


@pytest.fixture(scope="session")
def built() -> Built:
    """The real graph, assembled from sources/ (not validated, nothing written)."""
    return make_graph(Paths())


@pytest.fixture()
def listener():
    """A TCP listener on loopback that counts the connections made to it: a query must make none."""
    from benchmarks.fuzz import Listener

    lst = Listener()
    yield lst
    lst.close()
