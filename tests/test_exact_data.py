"""The embedded endpoint serves exactly the published triples (issue 9).

A user who downloads dist/graph.nt and one who queries /sparql must see the same terms: the same
datatypes and lexical forms, or a federated query over both returns each row twice and a filter on the
documented datatype finds nothing. So the build publishes only datatypes and lexical forms the stores
keep (graph/literals.py), and this module checks the whole graph through pyoxigraph, the served graph
against the SHACL gate, and the canonical forms against pyoxigraph's own. The same round trip through
Virtuoso is in tests/test_remote_virtuoso.py.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from exact_support import CONSTRUCT_ALL, as_graph, difference, published_lines, served_lines
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import XSD

from graph.curated import read_curated
from graph.errors import BuildError
from graph.literals import STABLE_DATATYPES, OutOfRange, canonical_lexical
from graph.pipeline import Paths
from graph.validate import format_report, load_shapes, validate


@pytest.fixture(scope="module")
def graph_nt(built_dist) -> Path:
    """graph.nt exactly as the build writes it into dist/ (the session's build, conftest.py)."""
    return built_dist / "graph.nt"


@pytest.fixture(scope="module")
def served(built_store) -> set[str]:
    """Every triple the embedded store over graph.nt answers (conftest's ``built_store``)."""
    result = built_store.query(CONSTRUCT_ALL, timeout=120, max_rows=1_000_000, max_bytes=1 << 30)
    assert not result.truncated
    return served_lines(result)


def test_embedded_store_serves_exactly_graph_nt(graph_nt: Path, served: set[str]) -> None:
    published = published_lines(graph_nt)
    assert len(published) > 15_000
    assert served == published, difference(published, served)


def test_served_graph_conforms_to_the_shapes(served: set[str]) -> None:
    outcome = validate(as_graph(served), load_shapes(Paths().shapes))
    assert outcome.conforms, format_report(outcome)


def test_published_literals_use_only_datatypes_the_stores_keep(built) -> None:
    used = {o.datatype or XSD.string for o in built.graph.objects() if isinstance(o, Literal) and not o.language}
    assert used <= STABLE_DATATYPES
    assert {XSD.integer, XSD.decimal, XSD.gYear} <= used  # the check sees the numbers and years


NUMBERS = st.one_of(
    st.integers(-10**30, 10**30).map(lambda n: (str(n), XSD.integer)),
    st.integers(-2**64, 2**64).map(lambda n: (f"00{n}" if n >= 0 else str(n), XSD.integer)),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(lambda d: (f"{d:f}", XSD.decimal)),
    st.from_regex(r"[+-]?0{0,3}[0-9]{1,4}(\.[0-9]{0,3}0{0,3})?", fullmatch=True).map(lambda s: (s, XSD.decimal)),
    st.from_regex(r"[+-]?0{0,3}[0-9]{1,6}", fullmatch=True).map(lambda s: (s, XSD.integer)),
)


@given(NUMBERS)
@example(("334349763653155414406.594560", XSD.decimal))  # beyond Oxigraph's decimals: kept as written
@example(("00012.50", XSD.decimal))
def test_canonical_form_is_what_oxigraph_returns(number: tuple[str, object]) -> None:
    lexical, datatype = number
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                      ox.Literal(lexical, datatype=ox.NamedNode(str(datatype)))))
    (quad,) = list(store)
    try:
        expected = canonical_lexical(lexical, datatype)
    except OutOfRange:  # the build refuses it (the test below); Oxigraph keeps such text as written
        return
    assert expected == quad.object.value


@pytest.mark.parametrize(("value", "datatype"), [("9223372036854775808", "integer"),
                                                 ("334349763653155414406.59456", "decimal"),
                                                 ("0.0000000000000000001", "decimal")])
def test_a_curated_number_no_store_keeps_exactly_is_refused(tmp_path: Path, value: str, datatype: str) -> None:
    path = tmp_path / "targets.ttl"
    path.write_text('@prefix pk: <https://leangen-kg.org/ontology#> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    f'<https://leangen-kg.org/id/target/x> pk:value "{value}"^^xsd:{datatype} .\n', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        read_curated(path)
    text = str(err.value)
    assert "targets.ttl" in text and "line 3" in text and "outside what the stores keep" in text, text


def test_curated_literal_a_store_would_change_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "places.ttl"
    path.write_text('@prefix pk: <https://leangen-kg.org/ontology#> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<https://leangen-kg.org/id/place/x> a pk:Place ;\n'
                    '    pk:evidence [ pk:quote "x"@nb ;\n'
                    '                  pk:line "12"^^xsd:positiveInteger ] .\n', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        read_curated(path)
    text = str(err.value)
    assert "places.ttl" in text and "line 5" in text and "xsd:integer" in text, text
