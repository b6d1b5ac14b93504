"""The build end to end: outputs, atomic writes, the SHACL gate and bad input at the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import RDF, BNode, Graph

import build as cli
from graph.curated import PK
from graph.pipeline import Built, Paths, build, make_graph

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Path]:
    out = tmp_path_factory.mktemp("build") / "dist"
    return build(Paths(dist=out)), out


def test_outputs_are_written(dist: tuple[Built, Path]) -> None:
    _, out = dist
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "build-report.json"):
        assert (out / name).stat().st_size > 0, name
    assert not list(out.parent.glob(".dist-*")), "staging folders left behind"


def test_every_serialisation_holds_the_same_triples(dist: tuple[Built, Path]) -> None:
    built, out = dist
    ttl, nt, jsonld, rdfxml = (set(Graph().parse(out / name))
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


def test_base_iri_is_configurable() -> None:
    built = make_graph(Paths(), base="https://example.org/kg/")
    subjects = {str(s) for s in built.graph.subjects(RDF.type, PK.Commitment)}
    assert subjects and all(s.startswith("https://example.org/kg/commitment/") for s in subjects)


# --- reproducible: the same sources give the same bytes ------------------------------------------

def _build_in_subprocess(dist: Path, hash_seed: str) -> None:
    """``build.py`` in a fresh interpreter with its own PYTHONHASHSEED (set order differs per seed)."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--dist", str(dist)],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert run.returncode == 0, run.stderr


def test_rebuilding_unchanged_sources_gives_byte_identical_dist(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _build_in_subprocess(first, "1")
    _build_in_subprocess(second, "2")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert {"graph.jsonld", "graph.rdf", "network.gexf", "network.graphml", "network.html",
            "build-report.json"} <= set(names)
    differing = [name for name in names if (first / name).read_bytes() != (second / name).read_bytes()]
    assert differing == [], f"these files differ between two builds of the same sources: {differing}"


@pytest.mark.parametrize(("epoch", "expected"), [(None, None), ("1700000000", "2023-11-14")])
def test_gexf_carries_a_date_only_from_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str | None, expected: str | None,
) -> None:
    import networkx as nx

    from graph.analyse import write_gexf

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

def _broken_curated(tmp_path: Path, old: str, new: str, name: str = "places.ttl") -> Path:
    folder = tmp_path / "curated"
    shutil.copytree(ROOT / "sources" / "curated", folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _previous_dist(tmp_path: Path) -> Path:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "graph.ttl").write_text("# the previous build\n", encoding="utf-8")
    return out


def test_failed_build_leaves_previous_dist_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _previous_dist(tmp_path)
    curated = _broken_curated(tmp_path, "@prefix", "@prefx")
    assert cli.main(["--curated", str(curated), "--dist", str(out)]) == 2
    err = capsys.readouterr().err
    assert "places.ttl, line" in err and "malformed Turtle" in err
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# the previous build\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curated", "dist"]


def test_shacl_gate_stops_a_place_without_coordinates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _previous_dist(tmp_path)
    curated = _broken_curated(tmp_path, "    geo:hasGeometry [", "    rdfs:seeAlso [")
    assert cli.main(["--curated", str(curated), "--dist", str(out)]) == 2
    err = capsys.readouterr().err
    assert "does not conform" in err and "place/" in err and "geo:hasGeometry" in err
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "# the previous build\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "no/such/file.txt"], "file.txt: the source document does not exist"),
        (["--ontology", "no/such/ontology.ttl"], "ontology.ttl: the Turtle file does not exist"),
        (["--base", "leangen.example"], "'leangen.example' is not an absolute http(s) IRI ending in '/'"),
        (["--base", "https://data.example.org/leangen"], "ending in '/' (from --base or LEANGEN_BASE_IRI)"),
        (["publish", "--endpoint", "localhost:8890/sparql"], "'localhost:8890/sparql' is not an http(s) URL"),
    ],
)
def test_bad_input_at_the_command_line_is_one_paragraph(tmp_path: Path, args: list[str], message: str) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--dist", str(tmp_path / "dist"), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert run.returncode == 2
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "dist").exists()


def test_an_output_folder_that_cannot_be_written_is_one_paragraph(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--dist", str(blocker / "dist")],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert run.returncode == 2
    assert "cannot write the output folder here" in run.stderr and "pass --dist" in run.stderr
    assert "Traceback" not in run.stderr
