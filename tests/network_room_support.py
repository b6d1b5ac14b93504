"""Measuring the network as a room sees it: the legibility rules of issue 11, shared by the network's
browser tests (test_network_room.py, test_network_decorate.py)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from browser_support import ARTIFACTS, READY

MIN_PX = 14
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


def _overlap(a: dict, b: dict, slack: float = 0.3) -> bool:
    """Boxes share more than a rounding error (view() rounds to 0.1 px)."""
    return (a["x"] + slack < b["x"] + b["w"] and b["x"] + slack < a["x"] + a["w"] and
            a["y"] + slack < b["y"] + b["h"] and b["y"] + slack < a["y"] + a["h"])


def _clip(box: dict, to: dict) -> dict | None:
    """The part of box inside to (a node at the canvas edge is cut by the canvas, not covered)."""
    x0, y0 = max(box["x"], to["x"]), max(box["y"], to["y"])
    x1, y1 = min(box["x"] + box["w"], to["x"] + to["w"]), min(box["y"] + box["h"], to["y"] + to["h"])
    return {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0} if x1 > x0 and y1 > y0 else None


def _inside(box: dict, to: dict, slack: float = 0.2) -> bool:
    """Box lies whole inside to (view() rounds to 0.1 px)."""
    return (box["x"] >= to["x"] - slack and box["y"] >= to["y"] - slack and
            box["x"] + box["w"] <= to["x"] + to["w"] + slack and box["y"] + box["h"] <= to["y"] + to["h"] + slack)


def legibility_problems(view: dict) -> list[str]:
    """Every broken rule in a view, named, so a failure says which label and where."""
    problems: list[str] = []
    canvas, overlays = view["canvas"], {k: v for k, v in view["overlays"].items() if v}
    for label in view["labels"]:
        box = label["box"]
        if label["fontSize"] < MIN_PX or box["h"] < MIN_PX:
            problems.append(f"too small: {label['text']!r} at {label['fontSize']} px")
        if str(label.get("colour", "")).startswith("rgba"):
            problems.append(f"faded: {label['text']!r} drawn in {label['colour']}")
        if label.get("inside") and label.get("halo", 0):
            problems.append(f"halo on a filled shape: {label['text']!r} is drawn in a {label['halo']} px outline")
        elif not label.get("inside") and label.get("halo", 0) < 3:
            problems.append(f"no halo: an edge through {label['text']!r} would cut its letters")
        if not _inside(box, canvas):
            problems.append(f"cut by the canvas edge: {label['text']!r} {box}")
        problems += [f"label {label['text']!r} under the {name}" for name, o in overlays.items() if _overlap(box, o)]
    for a, b in combinations(view["labels"], 2):
        if _overlap(a["box"], b["box"]):
            problems.append(f"labels overlap: {a['text']!r} and {b['text']!r}")
    for node in view["nodes"]:
        seen = _clip(node["box"], canvas)
        problems += [f"node {node['id']} under the {name}" for name, o in overlays.items() if seen and _overlap(seen, o)]
    return problems


def goto(page, url: str) -> None:
    """Load ``url`` afresh and wait until the page has set up. The page is shared by the module's
    tests, and a URL that differs from the current one only in its hash would not load the page again."""
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function(READY)


def settle(page) -> None:
    """Two animation frames: what vis-network draws after the last change (a resize, a redraw)."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


#: settle() and then the view and the URL's hash, in one call to the page.
SETTLED_VIEW_AND_HASH = """new Promise(r => requestAnimationFrame(() => requestAnimationFrame(
    () => r([window.leangen.view(), location.hash]))))"""


def legend_groups(page) -> dict[str, list[str]]:
    """The legend as drawn: group → entry texts (titles left out)."""
    return page.evaluate("""Object.fromEntries(Array.from(document.querySelectorAll('#legend-items ul'))
        .map(ul => [ul.dataset.group, Array.from(ul.querySelectorAll('li:not(.legend-title)'))
        .map(li => li.textContent.trim())]))""")


def network_url(where: str, server: str, dist, fragment: str) -> str:
    base = f"{server}/network" if where == "served" else (dist / "network.html").as_uri()
    return base + ("#" + fragment if fragment else "")


def download(page, button: str, name: str) -> Path:
    """Click ``button`` and keep what it downloads as ``test-artifacts/<name>``."""
    with page.expect_download() as started:
        page.click(button)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    started.value.save_as(str(path))
    return path
