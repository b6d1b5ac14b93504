"""Stories: the presenter's saved views of the network, checked by the build (``sources/stories/*.json``).

A story is an ordered list of steps; each step is a view of ``/network`` (filters, a focus node and
its depth, a highlighted set, showcase on or off) with a caption in bokmål and English. A presenter
edits the JSON and rebuilds; nothing in a story is code. Why JSON: the standard library reads it
(no new dependency), every editor checks its syntax, and its parse errors carry a line.

The build refuses a story that names a node the graph does not have, a filter the page does not
offer or a step without both captions, with the file, the line and the step, so a typo never reaches
a room as an empty view. The checked stories go to ``dist/stories.json`` and into the network model
(``network.json``), so ``/network`` and the offline ``dist/network.html`` both carry them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graph.errors import BuildError
from graph.network_model import COLOUR_BY, MEASURES

LANGS = ("nb", "en")
STRENGTHS = ("decisive", "advocacy", "exploratory")
#: The page's filters and the node type each one takes (strength takes a strength name).
FILTERS = {"area": "PolicyArea", "topic": "Topic", "place": "Place", "actor": "Actor",
           "instrument": "Instrument", "strength": None}
STEP_KEYS = {"caption", "filters", "focus", "depth", "highlight", "showcase", "overview", "size", "colour"}
#: A step's decoration: what its nodes are sized by ("" none) and its commitments coloured by.
DECORATION = {"size": ("", *MEASURES), "colour": COLOUR_BY}
STORY_KEYS = {"id", "title", "steps"}
DEPTHS = (1, 2, "impact")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Story:
    """One story file being checked: the errors name its path and the line a value stands on."""

    def __init__(self, path: Path, types: dict[str, str]) -> None:
        self.path, self.types = path, types
        self.text = path.read_text(encoding="utf-8")

    def fail(self, message: str, *, step: int | None = None, near: Any = None) -> BuildError:
        """A build error at the line where ``near`` (a value of the story) is written, if found."""
        line = None
        if near is not None:
            at = self.text.find(json.dumps(near, ensure_ascii=False))
            line = self.text.count("\n", 0, at) + 1 if at >= 0 else None
        where = f"step {step}: " if step is not None else ""
        return BuildError(where + message, path=self.path, line=line)

    def node(self, value: Any, step: int, what: str, typ: str | None = None) -> str:
        """A node id of the graph (of type ``typ``), as written in the step."""
        if not isinstance(value, str) or value not in self.types:
            raise self.fail(f"{what} {value!r} is no node of the graph; use an id as in the network's URL "
                            "(e.g. place/heimdal; see dist/network.json)", step=step, near=value)
        if typ and self.types[value] != typ:
            raise self.fail(f"{what} {value!r} is a {self.types[value]}, not a {typ}", step=step, near=value)
        return value

    def texts(self, value: Any, what: str, step: int | None = None) -> dict[str, str]:
        """A text in both languages, neither empty."""
        if not isinstance(value, dict) or any(not str(value.get(lang) or "").strip() for lang in LANGS):
            raise self.fail(f"{what} needs a non-empty text in each of {', '.join(LANGS)}: "
                            '{"nb": "…", "en": "…"}', step=step, near=value if isinstance(value, dict) else None)
        return {lang: " ".join(str(value[lang]).split()) for lang in LANGS}


def _filters(story: _Story, value: Any, step: int) -> dict[str, str]:
    """The step's filters: known names, values the page's lists offer."""
    if not isinstance(value, dict):
        raise story.fail("filters must be an object such as {\"place\": \"place/heimdal\"}", step=step)
    out: dict[str, str] = {}
    for key, val in value.items():
        if key not in FILTERS:
            raise story.fail(f"unknown filter {key!r}; the page filters by {', '.join(FILTERS)}", step=step, near=key)
        if FILTERS[key] is None:
            if val not in STRENGTHS:
                raise story.fail(f"strength {val!r} is none of {', '.join(STRENGTHS)}", step=step, near=val)
            out[key] = val
        else:
            out[key] = story.node(val, step, f"filter {key}", FILTERS[key])
    return out


def _step(story: _Story, raw: Any, number: int) -> dict[str, Any]:
    """One step, checked and normalised (absent parts left out)."""
    if not isinstance(raw, dict):
        raise story.fail("a step must be an object with at least a caption", step=number)
    unknown = sorted(set(raw) - STEP_KEYS)
    if unknown:
        raise story.fail(f"unknown key {unknown[0]!r}; a step has {', '.join(sorted(STEP_KEYS))}",
                         step=number, near=unknown[0])
    step: dict[str, Any] = {"caption": story.texts(raw.get("caption"), "the caption", number)}
    if "filters" in raw:
        step["filters"] = _filters(story, raw["filters"], number)
    if "focus" in raw:
        step["focus"] = story.node(raw["focus"], number, "focus")
        step["depth"] = raw.get("depth", 1)
        if step["depth"] not in DEPTHS:
            raise story.fail(f"depth {step['depth']!r} is none of 1, 2, \"impact\"", step=number, near=step["depth"])
    elif "depth" in raw:
        raise story.fail("depth without a focus: add \"focus\": \"<node id>\"", step=number)
    if "highlight" in raw:
        if not isinstance(raw["highlight"], list):
            raise story.fail("highlight must be a list of node ids", step=number)
        step["highlight"] = [story.node(v, number, "highlight") for v in raw["highlight"]]
    for key, allowed in DECORATION.items():
        if key in raw:
            if raw[key] not in allowed:
                raise story.fail(f"{key} {raw[key]!r} is none of {', '.join(repr(a) for a in allowed)}",
                                 step=number, near=raw[key])
            step[key] = raw[key]
    for flag in ("showcase", "overview"):
        if flag in raw:
            if not isinstance(raw[flag], bool):
                raise story.fail(f"{flag} must be true or false", step=number, near=flag)
            step[flag] = raw[flag]
    return step


def load_story(path: Path, types: dict[str, str]) -> dict[str, Any]:
    """One story file, checked against the network's node ids and types."""
    story = _Story(path, types)
    try:
        raw = json.loads(story.text)
    except json.JSONDecodeError as err:
        raise BuildError(f"not valid JSON: {err.msg} (column {err.colno})", path=path, line=err.lineno) from None
    if not isinstance(raw, dict):
        raise story.fail('a story is an object: {"id": …, "title": {…}, "steps": […]}')
    unknown = sorted(set(raw) - STORY_KEYS)
    if unknown:
        raise story.fail(f"unknown key {unknown[0]!r}; a story has {', '.join(sorted(STORY_KEYS))}", near=unknown[0])
    if not isinstance(raw.get("id"), str) or not SLUG.match(raw["id"]):
        raise story.fail("id must be a short name of lower-case letters, digits and '-' (it stands in the URL)")
    steps = raw.get("steps")
    if not isinstance(steps, list) or not steps:
        raise story.fail("steps must be a non-empty list")
    return {"id": raw["id"], "title": story.texts(raw.get("title"), "the title"),
            "steps": [_step(story, s, i) for i, s in enumerate(steps, start=1)]}


#: The presenters' stories as the project keeps them.
FOLDER = Path(__file__).resolve().parent.parent / "sources" / "stories"


def load_stories(folder: Path, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every ``*.json`` of ``folder`` in file-name order (none if there is no folder)."""
    types = {n["id"]: n["type"] for n in nodes}
    stories = [load_story(p, types) for p in sorted(Path(folder).glob("*.json"))] if Path(folder).is_dir() else []
    seen: dict[str, Path] = {}
    for story, path in zip(stories, sorted(Path(folder).glob("*.json")), strict=False):
        if story["id"] in seen:
            raise BuildError(f"story id {story['id']!r} is also used by {seen[story['id']].name}", path=path)
        seen[story["id"]] = path
    return stories


def attach(network: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    """Check the stories of ``folder`` against the network model and put them into it (the offline page
    and ``network.json`` carry them); returns them for ``stories.json``."""
    network["stories"] = load_stories(folder, network["nodes"])
    return network["stories"]
