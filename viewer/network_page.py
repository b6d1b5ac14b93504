"""The network page as HTML, for ``/network`` and for the offline ``dist/network.html``.

Why no Flask here: the build renders ``dist/network.html`` with the same template the web serves
(``viewer/templates/network.html``), through a plain :class:`jinja2.Environment` over the templates
folder. Everything the template needs comes in as arguments — the model (``dist/network.json``),
the language — so the two pages cannot drift apart, and the offline page's ids and links follow
the base IRI the build was given (``--base``), not a request or the environment.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup

from graph.export import atomic_write
from graph.interactions import SCALE_NAMES
from graph.network_model import COLOUR_BY, TYPE_STYLE, TYPES, score_style
from viewer.assets import STATIC, static_url
from viewer.i18n import TERMS, ui_table

DEFAULT_VIEWER_URL = "http://127.0.0.1:8000/"
HERE = Path(__file__).resolve().parent
VIS_JS = STATIC / "vendor" / "vis-network" / "vis-network.min.js"
STRENGTHS = ("decisive", "advocacy", "exploratory")
FACETS = {"topic": "Topic", "place": "Place", "actor": "Actor", "instrument": "Instrument"}
#: The page's own scripts, in load order (served by URL, inlined offline).
APP_SCRIPTS = ("network-labels.js", "network-stories.js", "network-export.js", "network-svg.js",
               "network-legend.js", "network.js")
#: Longest label drawn on the canvas: at the 15 px minimum it is about 300 px wide, which still fits
#: beside its neighbours at 1280×720 (the panel and the page show the whole text).
SHORT = 40
#: Words a cut label must not end on: "sikre at …" reads as a phrase, "sikre at" does not.
DANGLING = {"og", "eller", "for", "å", "til", "av", "i", "på", "med", "som", "at", "en", "et", "de", "den",
            "det", "der", "om", "fra", "ved", "mot", "-", "–"}
#: Strings of this page only (kept here, not in viewer/i18n.py, so the page can grow on its own).
PAGE_UI = {
    "no_match": ("Ingen løfter passer alle filtrene: fjern ett, eller trykk Nullstill.",
                 "No commitment meets all the filters: remove one, or press Reset."),
    "overview": ("Oversikt", "Overview"),
    "all_details": ("Alle detaljer", "All details"),
    "story": ("Historie", "Story"),
    "no_story": ("– ingen –", "– none –"),
    "previous": ("Forrige", "Previous"),
    "next": ("Neste", "Next"),
    "close_story": ("Avslutt historien", "Leave the story"),
    "legend_overview": ("Politikkområder og deres temaer; tallet er antall løfter. Klikk for detaljene.",
                        "Policy areas and their topics; the number counts commitments. Click for the detail."),
    "legend_toggle": ("Tegnforklaring av/på («l»)", "Legend on/off (“l”)"),
    "edge_dashed": ("stiplet: tema, område, del av, ligger på", "dashed: topic, area, part of, located at"),
    "edge_solid": ("hel: løfte til sted, prosjekt, aktør, virkemiddel, mål, og mellom løfter",
                   "solid: commitment to place, project, actor, instrument, target, and between commitments"),
    "edge_grey": ("grå: kobling uten samspillsskår", "grey: a link with no interaction score"),
    "size_by": ("Størrelse", "Size"),
    "colour_by": ("Farge", "Colour"),
    "size_none": ("– lik –", "– equal –"),
    "degree": ("grad (antall naboer)", "degree (number of neighbours)"),
    "betweenness": ("mellomliggende sentralitet", "betweenness centrality"),
    "influence": ("netto påvirkning (samspillsskår)", "net influence (interaction scores)"),
    "degree_short": ("grad", "degree"),
    "betweenness_short": ("mellomliggenhet", "betweenness"),
    "influence_short": ("påvirkning", "influence"),
    "by_area": ("område", "area"),
    "by_strength": ("styrke", "strength"),
    "by_status": ("status nå", "current status"),
    "legend_colour": ("Løfter farget etter", "Commitments coloured by"),
    "legend_size": ("Størrelse etter", "Size by"),
    "legend_size_abs": ("absoluttverdi; negativ: hemmer", "absolute value; negative: constrains"),
    "export_svg": ("Lagre SVG", "Save SVG"),
}

VIS_OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False, "stabilization": False,
                "barnesHut": {"gravitationalConstant": -4000, "springLength": 120}},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
              "color": {"color": "#b0b0b0", "highlight": "#333333", "inherit": False},
              "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
              "smooth": False, "width": 0.8},
    # labels are placed by static/network-labels.js, which never asks for one under 14 px; the
    # threshold is a safety net, and maxVisible must not shrink a label behind the placement's back
    # the colour is given, not left to vis-network's default: vis merges a node's new options into its
    # old ones, so a label once faded (a dimmed node) stayed faded in the next view that named it;
    # the white halo (stroke) keeps an edge that runs through a label from hiding its letters
    "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "color": "#343434",
                       "strokeWidth": 4, "strokeColor": "#ffffff"}, "borderWidth": 1.5,
              "labelHighlightBold": False,
              "scaling": {"label": {"drawThreshold": 13, "maxVisible": 200}}},
}


def short_label(text: str, *, phrase: bool = False, limit: int = SHORT) -> str:
    """A label that fits the canvas: cut at a word, never on a dangling small word, marked with "…".

    ``phrase`` (commitments) keeps the lead verb phrase, up to the first comma, colon or bracket:
    "sikre utbygging av sosial infrastruktur" says what the commitment does; the rest is in the panel.
    """
    text = " ".join(text.split()).rstrip("…").strip()
    if phrase:
        text = re.split(r"\s*[,;:(]\s*", text, maxsplit=1)[0].strip() or text
    if len(text) <= limit:
        return text
    words: list[str] = []
    for word in text.split():
        if len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in DANGLING:
        words.pop()
    return " ".join(words or [text[: limit - 1]]).rstrip(",.;:") + "…"


#: Topics stand side by side in the overview, seven columns of them at 1280 px: shorter still.
TOPIC_SHORT = 32


def _with_short(node: dict[str, Any]) -> dict[str, Any]:
    """The node with ``short``: the label network-labels.js may draw (the model's label is cut blind)."""
    commitment = node["type"] == "Commitment"
    text = node.get("text") or node["full"] if commitment else node["full"]
    return {**node, "short": short_label(text, phrase=commitment,
                                         limit=TOPIC_SHORT if node["type"] == "Topic" else SHORT)}


def term_label(model: dict[str, Any], local: str, language: str) -> str:
    """An ontology term as the graph labels it (``term_labels`` of the model), else our table."""
    label = model.get("term_labels", {}).get(local, {}).get(language)
    if label:
        return label
    pair = TERMS.get(local)
    if pair:
        return pair[1] if language == "en" else pair[0]
    return local


def page_context(model: dict[str, Any], language: str, *, offline: bool) -> dict[str, Any]:
    """Everything the template needs besides the model: labels, filter options, style legend."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for n in model["nodes"]:
        by_type.setdefault(n["type"], []).append(n)

    def options(typ: str) -> list[dict[str, str]]:
        return sorted(({"id": n["id"], "label": n["full"], "area": n.get("area") or ""}
                       for n in by_type.get(typ, [])), key=lambda o: o["label"].lower())

    used = {n["strength"] for n in by_type.get("Commitment", []) if n.get("strength")}
    kinds = [n["kind"] for n in model["nodes"] if n.get("kind")]
    terms = {k: term_label(model, k, language)
             for k in [*TYPES, *STRENGTHS, *kinds, *(e["predicate"] for e in model["edges"])]}
    # a status notation (not-assessed) is named by its concept (pk:notAssessed), as on /status
    terms.update({s["id"]: term_label(model, _camel(s["id"]), language)
                  for s in model.get("palettes", {}).get("status", [])})
    scores = score_legend(model, language)
    return {
        "lang": language, "ui": {**ui_table(language), **{k: v[language == "en"] for k, v in PAGE_UI.items()}},
        "terms": terms, "offline": offline,
        "filters": {
            "area": model["areas"],
            "strength": [{"id": s, "label": terms[s]} for s in STRENGTHS if s in used],
            **{key: options(typ) for key, typ in FACETS.items()},
        },
        "vis_options": VIS_OPTIONS,
        "model": {"nodes": [_with_short(n) for n in model["nodes"]], "edges": model["edges"],
                  "areas": [a["id"] for a in model["areas"]], "stories": model.get("stories", [])},
        # what the legend is generated from (network.js draws only the entries of what is drawn)
        "decorate": {"palettes": model.get("palettes", {}), "measures": model.get("measures", []),
                     "colour_by": [c for c in COLOUR_BY if c == "area" or model.get("palettes", {}).get(c)],
                     "types": [{"type": t, "shape": TYPE_STYLE[t]["shape"], "color": TYPE_STYLE[t]["color"]}
                               for t in TYPES if t in by_type],
                     "scores": scores["scores"], "score_title": scores["title"]},
        "stories": [{"id": s["id"], "title": s["title"]["en" if language == "en" else "nb"]}
                    for s in model.get("stories", [])],
    }


def score_legend(model: dict[str, Any], language: str) -> dict[str, Any]:
    """The edge legend: each interaction score the edges carry, its colour, width and ontology label."""
    used = sorted({e["score"] for e in model["edges"] if e.get("score") is not None}, reverse=True)
    return {"title": term_label(model, "interactionScore", language),
            "scores": [{**score_style(s), "score": f"{s:+d}", "label": term_label(model, SCALE_NAMES[s], language)}
                       for s in used]}


def _camel(notation: str) -> str:
    """``not-assessed`` → ``notAssessed``: a status notation as its concept's local name."""
    head, *rest = notation.split("-")
    return head + "".join(w.capitalize() for w in rest)


def _inline(path: Path, tag: str) -> Markup:
    """A vendored or own asset to inline in the offline page (trusted; its end tag escaped)."""
    return Markup(path.read_text(encoding="utf-8").replace(f"</{tag}", f"<\\/{tag}"))


def render_network(model: dict[str, Any], language: str, *, offline: bool) -> str:
    """The network page: served (assets by URL) or offline (assets inlined)."""
    ctx = page_context(model, language, offline=offline)
    if offline:
        ctx.update(inline_js=_inline(VIS_JS, "script"),
                   inline_app_js=[_inline(STATIC / name, "script") for name in APP_SCRIPTS],
                   inline_css=_inline(STATIC / "network.css", "style"))
    ctx["app_scripts"] = APP_SCRIPTS
    return _template().render(static=static_url, **ctx)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    """The page's template, compiled once per process (the build and the app render it outside Flask)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    return env.get_template("network.html")


def write_offline_page(built: Any, out: Path, *, viewer_url: str = DEFAULT_VIEWER_URL,
                       language: str = "nb") -> Path:
    """``dist/network.html`` from the build's network model: a build product (graph.pipeline.Product).

    Its "open the page" links go to the viewer at ``viewer_url``: a file opened from disk has no
    server of its own for a relative link to lead to. Written to a temporary file and renamed, so a
    reader never sees half a file.
    """
    path = Path(out) / "network.html"
    nodes = [{**n, "href": urljoin(viewer_url, n["href"])} if n.get("href") else n for n in built.network["nodes"]]
    html = render_network({**built.network, "nodes": nodes}, language, offline=True)
    atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    return path
