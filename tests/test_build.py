"""The build end to end: outputs, atomic writes, the SHACL gate and bad input at the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from build_support import fails_cleanly, run_cli
from linked_data_support import BASE
from rdflib import RDF, BNode

from graph.curated import DEFAULT_BASE, PK
from graph.errors import BuildError
from graph.export import staging
from graph.pipeline import Built

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dist(built: Built, built_dist: Path) -> tuple[Built, Path]:
    """The session's build (conftest.py): the graph and the dist/ written from it."""
    return built, built_dist


def test_outputs_are_written(dist: tuple[Built, Path]) -> None:
    _, out = dist
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "build-report.json"):
        assert (out / name).stat().st_size > 0, name
    assert not list(out.parent.glob(".dist-*")), "staging folders left behind"


def test_every_serialisation_holds_the_same_triples(dist: tuple[Built, Path]) -> None:
    """Read with pyoxigraph, a parser other than the rdflib that wrote them (and 20 times faster on
    17 000 triples); it compares literals by their exact lexical form, as rdflib's normalising
    ``Literal`` does not, so "the same" here is at least as strict."""
    built, out = dist
    ttl, nt, jsonld, rdfxml = (set(ox.parse(path=str(out / name)))
                               for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.rdf"))
    assert len(ttl) == len(built.graph)
    assert ttl == nt == jsonld == rdfxml  # the very same terms: no blank nodes, canonical literals


def test_no_blank_nodes_so_every_node_can_be_linked_to(dist: tuple[Built, Path]) -> None:
    built, _ = dist
    assert not [t for t in built.graph if any(isinstance(x, BNode) for x in t)]


def test_report_counts_match_the_graph(dist: tuple[Built, Path]) -> None:
    built, out = dist
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["classes"]["Commitment"] == 285
    assert report["classes"]["PolicyArea"] == 7
    assert sum(report["commitments_per_area"].values()) == 285
    assert sum(report["commitments_per_topic"].values()) == 285
    assert report["triples"] == len(built.graph)
    assert "seconds" not in report  # wall-clock time would make every rebuild differ
    assert isinstance(report["unmatched_names"], list)


def test_every_commitment_traces_back_to_its_source_lines(dist: tuple[Built, Path]) -> None:
    built, _ = dist
    g = built.graph
    source = (ROOT / "sources" / "leangen-erklaeringen-2024-2027.txt").read_text(encoding="utf-8").split("\n")
    for c in g.subjects(RDF.type, PK.Commitment):
        first, last = int(g.value(c, PK.firstLine)), int(g.value(c, PK.lastLine))
        first_words = str(g.value(c, PK.text)).split()[:3]
        assert " ".join(first_words) in " ".join(source[first - 1].split()), c
        assert first <= last


def test_base_iri_is_configurable(linked_dist: Path) -> None:
    """``build.py --base`` (conftest.py's ``linked_dist``, the build the linked-data tests serve); its
    graph.nt read with pyoxigraph (rdflib's parse would cost this module's worker a second)."""
    triples = [(t.subject, t.predicate, t.object) for t in ox.parse(path=str(linked_dist / "graph.nt"))]
    a, commitment = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(PK.Commitment))
    subjects = {s.value for s, p, o in triples if p == a and o == commitment}
    assert len(subjects) == 285 and all(s.startswith(BASE + "commitment/") for s in subjects)
    assert not [t for t in triples for x in t if x.value.startswith(DEFAULT_BASE)]


# --- reproducible: the same sources give the same bytes ------------------------------------------

def test_rebuilding_unchanged_sources_gives_byte_identical_dist(dist: tuple[Built, Path], tmp_path: Path) -> None:
    """``build.py`` in a fresh interpreter with another PYTHONHASHSEED than this one (set order differs
    per seed) writes the bytes of the session's build (conftest.py: the same stages and products, run
    in this process after other tests, at another time and into another folder)."""
    _, first = dist
    second = tmp_path / "second"
    seed = os.environ.get("PYTHONHASHSEED", "random")
    env = {**os.environ, "PYTHONHASHSEED": "2" if seed == "1" else "1"}
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--dist", str(second)], env=env, cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert {"graph.jsonld", "graph.rdf", "network.gexf", "network.graphml", "network.html", "network.json",
            "build-report.json", "interactions.json", "analysis-influence.csv",
            "analysis-interaction-matrix.csv"} <= set(names)
    differing = [name for name in names if (first / name).read_bytes() != (second / name).read_bytes()]
    assert differing == [], f"these files differ between two builds of the same sources: {differing}"


@pytest.mark.parametrize(("epoch", "expected"), [(None, None), ("1700000000", "2023-11-14")])
def test_gexf_carries_a_date_only_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str | None, expected: str | None,
) -> None:
    import networkx as nx

    from graph.analysis_exports import write_gexf

    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="supports")
    write_gexf(G, tmp_path / "n.gexf")
    meta = ElementTree.parse(tmp_path / "n.gexf").getroot().find("{http://www.gexf.net/1.2draft}meta")
    assert meta is not None and meta.get("lastmodifieddate") == expected
    assert set(nx.read_gexf(tmp_path / "n.gexf").edges()) == {("a", "b")}


# --- failures leave dist/ as it was ------------------------------------------------------------

SOURCE = ROOT / "sources" / "leangen-erklaeringen-2024-2027.txt"


def _curated_copy(tmp_path: Path, name: str, edit: Callable[[str], str], encoding: str = "utf-8") -> Path:
    """A copy of sources/curated/ with ``name`` edited (and saved in ``encoding``), for a build on broken input."""
    folder = tmp_path / "curated"
    shutil.copytree(ROOT / "sources" / "curated", folder)
    path = folder / name
    path.write_bytes(edit(path.read_text(encoding="utf-8")).encode(encoding, errors="replace"))
    return folder


def _broken_curated(tmp_path: Path, old: str, new: str, name: str = "places.ttl") -> Path:
    def replace(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return _curated_copy(tmp_path, name, replace)


def _source_copy(tmp_path: Path, edit: Callable[[list[str]], list[str]]) -> Path:
    """A copy of the platform text with its lines (index 0 is line 1) edited."""
    path = tmp_path / SOURCE.name
    path.write_text("\n".join(edit(SOURCE.read_text(encoding="utf-8").split("\n"))), encoding="utf-8")
    return path


def test_failed_build_leaves_previous_dist_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails_cleanly(tmp_path, capsys, ["--curated", str(_broken_curated(tmp_path, "@prefix", "@prefx"))])
    assert "places.ttl, line" in err and "malformed Turtle" in err


def test_shacl_gate_stops_a_place_without_coordinates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    curated = _broken_curated(tmp_path, "    geo:hasGeometry [", "    rdfs:seeAlso [")
    err = fails_cleanly(tmp_path, capsys, ["--curated", str(curated)])
    assert "does not conform" in err and "place/" in err and "geo:hasGeometry" in err


def _line_of(text: str, fragment: str) -> int:
    """The line on which ``fragment`` first stands in ``text``."""
    return text[: text.index(fragment)].count("\n") + 1


PLACES = (ROOT / "sources" / "curated" / "places.ttl").read_text(encoding="utf-8")
HEIMDAL = PLACES[PLACES.index("place:heimdal a pk:Place"):PLACES.index("place:heimdal-sentrum a pk:Place")]


def _first_latin1_byte(text: str) -> str:
    """Where ``text`` saved as Latin-1 stops being UTF-8: the first letter such as 'æ' (other
    non-ASCII characters become '?'), as line, byte, column and byte offset."""
    at = next(i for i, c in enumerate(text) if 127 < ord(c) < 256)
    column = at - text.rfind("\n", 0, at)
    offset = len(text[:at].encode("latin-1", errors="replace"))
    return (f"line {text[:at].count(chr(10)) + 1}: the Turtle file is not valid UTF-8: byte "
            f"0x{ord(text[at]):02x} at column {column} (byte offset {offset})")


def _undash(lines: list[str], first: int, last: int) -> list[str]:
    """Lines ``first``..``last`` with their bullet dashes removed."""
    return [line.removeprefix("- ") if first <= n <= last else line for n, line in enumerate(lines, start=1)]


# (what is broken, how: tmp_path -> build arguments, what the message must say)
BAD_INPUT: list[tuple[str, Callable[[Path], list[str]], list[str]]] = [
    ("text cut off after 'Byrådet vil:'",
     lambda t: ["--source", str(_source_copy(t, lambda lines: lines[:175]))],
     [f"{SOURCE.name}, line 175: the source text looks truncated", "('Byrådet vil:') before that list's bullets",
      "after 2 policy area(s)", "'Fastlegeordningen'", "Restore the complete platform text"]),
    ("text cut off mid-list",
     lambda t: ["--source", str(_source_copy(t, lambda lines: lines[:400]))],
     [f"{SOURCE.name}, line 400: the source text looks truncated", "after 4 policy area(s)",
      "6 more section(s) that never start: 'Kultur, idrett og friluftsliv'"]),
    ("text cut off in the last section",
     lambda t: ["--source", str(_source_copy(t, lambda lines: lines[:705]))],
     ["instruments.ttl, line", "the evidence names line 706, but the text of the source document ends at line 705",
      "If the document was cut off, restore it"]),
    ("bullets without their dashes",
     lambda t: ["--source", str(_source_copy(t, lambda lines: _undash(lines, 177, 187)))],
     [f"{SOURCE.name}, line 177: the list under 'Byrådet vil:' at line 175 has no bullets",
      "this line has no dash: 'intensivere", "a line starting with '- '"]),
    ("bullets deleted",
     lambda t: ["--source", str(_source_copy(t, lambda lines: lines[:176] + lines[187:]))],
     ["the list under 'Byrådet vil:' at line 175 has no bullets", "put the dashes back"]),
    ("empty source text",
     lambda t: ["--source", str(_source_copy(t, lambda lines: []))],
     [f"{SOURCE.name}: the file is empty (0 bytes), but the source document should be here"]),
    ("empty curated file",
     lambda t: ["--curated", str(_curated_copy(t, "places.ttl", lambda text: ""))],
     ["places.ttl: the file is empty (0 bytes), but the Turtle file should be here"]),
    ("a place defined twice in one file",
     lambda t: ["--curated", str(_curated_copy(t, "places.ttl", lambda text: text + HEIMDAL))],
     [f"places.ttl, line {PLACES.count(chr(10)) + 1}: place:heimdal is defined twice",
      f"(first at line {_line_of(PLACES, 'place:heimdal a pk:Place')}). Merge the two blocks"]),
    ("a curated file saved as Latin-1",
     lambda t: ["--curated", str(_curated_copy(t, "places.ttl", lambda text: text, encoding="latin-1"))],
     [f"places.ttl, {_first_latin1_byte(PLACES)}", "Save it as UTF-8"]),
    ("a reference to a place nobody defines",
     lambda t: ["--curated", str(_broken_curated(t, "pk:partOf place:trondheim ;", "pk:partOf place:trondhjem ;"))],
     [f"places.ttl, line {_line_of(PLACES, 'pk:partOf place:trondheim ;')}: ",
      "refers with pk:partOf to <https://leangen-kg.org/id/place/trondhjem>, which no curated file defines"]),
    ("a review row whose line is in no commitment",
     lambda t: ["--curated", str(_broken_curated(t, "\n675,533,existing link", "\n1,533,existing link",
                                                 name="link-review.csv"))],
     ["link-review.csv, line 3: row 2, column from_line: line 1 is not inside any commitment"]),
]


@pytest.mark.parametrize(("broken", "make", "expected"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT])
def test_bad_source_is_named_by_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    broken: str, make: Callable[[Path], list[str]], expected: list[str],
) -> None:
    err = fails_cleanly(tmp_path, capsys, make(tmp_path))
    for fragment in expected:
        assert fragment in err, f"{broken}: {fragment!r} not in {err!r}"


BAD_ARGUMENTS = [
    (["--source", "no/such/file.txt"], "file.txt: the source document does not exist"),
    (["--ontology", "no/such/ontology.ttl"], "ontology.ttl: the Turtle file does not exist"),
    (["--base", "leangen.example"], "'leangen.example' is not an absolute http(s) IRI ending in '/'"),
    (["--base", "https://data.example.org/leangen"], "ending in '/' (from --base or LEANGEN_BASE_IRI)"),
    (["publish", "--endpoint", "localhost:8890/sparql"], "'localhost:8890/sparql' is not an http(s) URL"),
]


@pytest.mark.parametrize(("args", "message"), BAD_ARGUMENTS)
def test_bad_input_at_the_command_line_is_one_paragraph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str,
) -> None:
    code, err = run_cli(capsys, ["--dist", str(tmp_path / "dist"), *args])
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "dist").exists()


def test_build_py_in_a_fresh_interpreter_exits_2_with_the_paragraph(tmp_path: Path) -> None:
    """What the shell sees: ``python build.py`` passes main's status on and prints no traceback."""
    args, message = BAD_ARGUMENTS[0]
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--dist", str(tmp_path / "dist"), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and message in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "dist").exists()


def test_an_output_folder_that_cannot_be_written_is_one_paragraph(tmp_path: Path) -> None:
    """The build's writes all go through ``staging`` (graph/export.py); its BuildError is what
    build.py prints as one paragraph (the tests above)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(BuildError) as err, staging(blocker / "dist"):
        pytest.fail("nothing may be written")
    message = str(err.value)
    assert "cannot write the output folder here" in message and "pass --dist" in message
    assert "\n" not in message
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"
