"""Stories are data the build checks (graph/stories.py): a typo is a build error naming file, line and step."""

from __future__ import annotations

import json

import pytest

from graph.errors import BuildError
from graph.pipeline import ROOT, write_network_model
from graph.stories import load_stories

NODES = [{"id": "place/heimdal", "type": "Place"}, {"id": "place/tiller", "type": "Place"},
         {"id": "area/byutvikling", "type": "PolicyArea"}, {"id": "project/ishall-tiller", "type": "Project"}]
CAPTION = {"nb": "Tiller ligger i Heimdal.", "en": "Tiller lies in Heimdal."}


def _write(folder, steps, **story) -> None:
    data = {"id": "test", "title": {"nb": "Prøve", "en": "Test"}, "steps": steps, **story}
    (folder / "test.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _error(folder) -> str:
    with pytest.raises(BuildError) as err:
        load_stories(folder, NODES)
    return str(err.value)


def test_a_good_story_loads_as_written(tmp_path):
    _write(tmp_path, [{"caption": CAPTION, "filters": {"place": "place/heimdal", "strength": "decisive"},
                       "focus": "place/tiller", "depth": 2, "highlight": ["project/ishall-tiller"], "showcase": True,
                       "size": "betweenness", "colour": "status"}])
    [story] = load_stories(tmp_path, NODES)
    assert story["steps"][0] == {"caption": CAPTION, "filters": {"place": "place/heimdal", "strength": "decisive"},
                                 "focus": "place/tiller", "depth": 2, "highlight": ["project/ishall-tiller"],
                                 "showcase": True, "size": "betweenness", "colour": "status"}


@pytest.mark.parametrize(("step", "says"), [
    ({"caption": CAPTION, "focus": "place/tilller"}, "focus 'place/tilller' is no node of the graph"),
    ({"caption": CAPTION, "highlight": ["project/nope"]}, "highlight 'project/nope' is no node"),
    ({"caption": CAPTION, "filters": {"place": "area/byutvikling"}}, "is a PolicyArea, not a Place"),
    ({"caption": CAPTION, "filters": {"bydel": "place/heimdal"}}, "unknown filter 'bydel'"),
    ({"caption": CAPTION, "filters": {"strength": "binding"}}, "strength 'binding' is none of"),
    ({"caption": {"nb": "Tiller", "en": " "}}, "the caption needs a non-empty text in each of nb, en"),
    ({"caption": CAPTION, "focus": "place/tiller", "depth": 3}, "depth 3 is none of"),
    ({"caption": CAPTION, "zoom": 2}, "unknown key 'zoom'"),
    ({"caption": CAPTION, "size": "pagerank"}, "size 'pagerank' is none of"),
    ({"caption": CAPTION, "colour": "type"}, "colour 'type' is none of"),
])
def test_a_bad_step_is_a_build_error_with_file_line_and_step(tmp_path, step, says):
    _write(tmp_path, [{"caption": CAPTION}, step])
    message = _error(tmp_path)
    assert "test.json" in message and "step 2: " in message and says in message
    if "caption" not in says:  # the value's own line in the file
        assert ", line " in message


def test_broken_json_and_an_empty_story_are_build_errors(tmp_path):
    (tmp_path / "test.json").write_text('{"id": "test",\n "steps": [}\n', encoding="utf-8")
    assert "test.json, line 2: not valid JSON" in _error(tmp_path)
    _write(tmp_path, [])
    assert "steps must be a non-empty list" in _error(tmp_path)


def test_the_shipped_stories_name_only_what_the_graph_has(built, tmp_path):
    """The three stories of sources/stories/ pass the build's check against the real graph."""
    built.graph.serialize(tmp_path / "graph.nt", format="nt", encoding="utf-8")
    write_network_model(built, tmp_path)
    stories = load_stories(ROOT / "sources" / "stories", built.network["nodes"])
    assert {s["id"] for s in stories} >= {"heimdal", "personbiltrafikk", "spenninger"}
    assert all(len(s["steps"]) >= 5 for s in stories)
