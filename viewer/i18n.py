"""Interface language: Norwegian bokmål by default, English on request.

The language comes from ``?lang=`` (kept in every link so a shared link keeps its language), then a
``lang`` cookie, then ``nb``. Text from the graph stays in bokmål (the document is Norwegian);
ontology terms are shown in the chosen language, from the graph's own labels when it has them and
from the table below otherwise (so the pages read well before the ontology is loaded).
"""

from __future__ import annotations

from typing import Any

from flask import has_app_context, request

from store import StoreError
from viewer import kg

LANGS = ("nb", "en")

UI: dict[str, tuple[str, str]] = {
    "site": ("Leangen KG", "Leangen KG"),
    "tagline": (
        ("Byrådsplattformen «Leangen-erklæringen 2024–2027» for Trondheim som kunnskapsgraf: hvert "
         "punkt byrådet vil gjøre, med steder, prosjekter, aktører, virkemidler og mål – og ordene i "
         "dokumentet som knytter dem sammen."),
        ("Trondheim's city-government platform “Leangen-erklæringen 2024–2027” as a knowledge graph: "
         "every commitment of the city government, with the places, projects, actors, instruments and "
         "targets it touches – and the words in the document that make each link."),
    ),
    "home": ("Forside", "Home"),
    "network": ("Nettverk", "Network"),
    "places": ("Steder", "Places"),
    "sparql": ("SPARQL", "SPARQL"),
    "downloads": ("Nedlastinger", "Downloads"),
    "search": ("Søk", "Search"),
    "search_placeholder": ("Søk i punkter, steder, aktører …", "Search commitments, places, actors …"),
    "search_results": ("Søkeresultater", "Search results"),
    "no_results": ("Ingen treff.", "No matches."),
    "counts": ("Innhold", "Contents"),
    "areas": ("Politikkområder", "Policy areas"),
    "commitments": ("Punkter", "Commitments"),
    "commitment_count": ("punkter", "commitments"),
    "strength_mix": ("Hvor forpliktende", "How binding"),
    "most_connected_places": ("Steder som nevnes mest", "Most connected places"),
    "most_connected_actors": ("Aktører som nevnes mest", "Most connected actors"),
    "open_network": ("Åpne nettverket", "Open the network"),
    "open_places": ("Utforsk steder", "Explore places"),
    "open_sparql": ("Spør med SPARQL", "Query with SPARQL"),
    "kind": ("Type", "Kind"),
    "part_of": ("Del av", "Part of"),
    "contains": ("Inneholder", "Contains"),
    "touching": ("Punkter og prosjekter", "Commitments and projects"),
    "touching_intro": (
        "Alt som berører stedet eller et sted inni det, direkte eller gjennom et prosjekt.",
        "Everything that touches the place or a place inside it, directly or through a project.",
    ),
    "area": ("Område", "Area"),
    "topic": ("Tema", "Topic"),
    "strength": ("Styrke", "Strength"),
    "wording": ("Ordlyd", "Wording"),
    "lines": ("Linjer", "Lines"),
    "line": ("linje", "line"),
    "matched_words": ("Ord som ga koblingen", "Words that made the link"),
    "via": ("Via", "Via"),
    "projects": ("Prosjekter", "Projects"),
    "located_at": ("Ligger på", "Located at"),
    "map": ("Kart", "Map"),
    "map_note": (
        "Punkter tegnet lokalt fra koordinatene i grafen (ingen kartfliser).",
        "Points drawn locally from the graph's coordinates (no map tiles).",
    ),
    "download_csv": ("Last ned CSV", "Download CSV"),
    "download_json": ("Last ned JSON", "Download JSON"),
    "properties": ("Egenskaper", "Properties"),
    "referenced_by": ("Pekes på av", "Referenced by"),
    "sparql_behind": ("SPARQL bak denne siden", "The SPARQL behind this page"),
    "open_in_editor": ("Åpne i editoren", "Open in the editor"),
    "as_data": ("Som data", "As data"),
    "not_found": ("Fant ikke siden", "Page not found"),
    "not_found_text": (
        "Det finnes ingenting i grafen med denne adressen. Prøv søket eller forsiden.",
        "Nothing in the graph has this address. Try the search or the home page.",
    ),
    "store_failed": ("Grafen svarte ikke", "The graph did not answer"),
    "no_store": ("Grafen er ikke lastet", "The graph is not loaded"),
    "no_store_text": (
        "Bygg grafen med «python build.py» og start visningen på nytt.",
        "Build the graph with “python build.py” and start the viewer again.",
    ),
    "server_error": ("Noe gikk galt", "Something went wrong"),
    "server_error_text": (
        "Siden kunne ikke vises på grunn av en feil hos oss. Feilen er logget; prøv forsiden.",
        "The page could not be shown because of an error on our side. It has been logged; try the home page.",
    ),
    "previous": ("Forrige", "Previous"),
    "next": ("Neste", "Next"),
    "byradet_vil": ("Byrådet vil", "The city government will"),
    "in_document_order": ("i dokumentets rekkefølge", "in document order"),
    "prose": ("Tekst", "Prose"),
    "none": ("Ingen.", "None."),
    "places_intro": (
        ("Alle steder i grafen, med hva de er del av, hva som ligger i dem, og hvor mange punkter og "
         "prosjekter som berører dem (medregnet steder inni)."),
        ("Every place in the graph, with what it is part of, what lies inside it, and how many "
         "commitments and projects touch it (places inside included)."),
    ),
    "name": ("Navn", "Name"),
    "language": ("English", "Norsk"),
    "file": ("Fil", "File"),
    "size": ("Størrelse", "Size"),
    "no_downloads": ("Ingen filer ennå – kjør «python build.py».", "No files yet – run “python build.py”."),
    "period": ("Periode", "Period"),
    "type": ("Type", "Type"),
    "value": ("Verdi", "Value"),
    "mentions": ("Koblinger med belegg", "Links with evidence"),
    "entity_page": ("Åpne siden", "Open the page"),
    # network page
    "filters": ("Filtre", "Filters"),
    "all": ("alle", "all"),
    "place": ("Sted", "Place"),
    "actor": ("Aktør", "Actor"),
    "instrument": ("Virkemiddel", "Instrument"),
    "physics": ("Fysikk", "Physics"),
    "present": ("Presentasjon", "Present"),
    "export_png": ("Lagre PNG", "Save PNG"),
    "legend": ("Tegnforklaring", "Legend"),
    "focus": ("Fokus", "Focus"),
    "depth": ("dybde", "depth"),
    "unfocus": ("Vis alt", "Show all"),
    "impact": ("Hva avhenger av dette?", "What depends on this?"),
    "impact_hint": ("Alt som avhenger av eller støtter dette, i flere ledd: det som står i fare om det stopper opp",
                    "Everything that depends on or supports this, transitively: what is at risk if it stalls"),
    "reset": ("Nullstill", "Reset"),
    "close": ("Lukk", "Close"),
    "shown": ("vist", "shown"),
    "nodes": ("noder", "nodes"),
    "click_hint": (
        "Klikk en node for detaljer. «p» for presentasjon, Esc for å gå ut.",
        "Click a node for details. “p” to present, Esc to leave.",
    ),
    "in_faceted_browser": ("Punktene i tabellen med filtre", "The commitments in the table with filters"),
    "centrality_table": ("Sentralitet for alle noder", "Centrality of every node"),
    "impact_table": ("Hva stopper opp, for alle", "What stalls, for every node"),
    "analysis": ("Analyse", "Analysis"),
    "example_queries": ("Eksempelspørringer", "Example queries"),
    "sparql_editor": ("SPARQL-editor", "SPARQL editor"),
    "sparql_limits": ("Bare lesing · tidsgrense {timeout} s · høyst {rows} rader per svar",
                      "Read-only · time limit {timeout} s · at most {rows} rows per result"),
    "dataset_description": ("Datasettbeskrivelse (VoID/DCAT)", "Dataset description (VoID/DCAT)"),
    "queries_intro": (
        ("Hver spørring kjører mot nettstedets SPARQL-endepunkt, som bare kan leses. Åpne en i editoren, "
         "eller hent svaret direkte (JSON, CSV) med en hvilken som helst HTTP-klient."),
        ("Each query runs against this site's read-only SPARQL endpoint. Open one in the editor, or fetch "
         "its results directly (JSON, CSV) with any HTTP client."),
    ),
    "rq_file": (".rq-fil", ".rq file"),
    "query": ("Spørring", "Query"),
    "in_english": ("på engelsk", "in English"),
    "data_licence": (
        ("Dataene er lisensiert under CC BY 4.0: oppgi «Leangen KG» og kilden, «Leangen-erklæringen 2024–2027» "
         "(byrådsplattformen for Trondheim); kartomrissene er © Kartverket (CC BY 4.0). Koden er MIT-lisensiert."),
        ("The data is licensed under CC BY 4.0: credit “Leangen KG” and its source, “Leangen-erklæringen "
         "2024–2027” (Trondheim's city-government platform); the map outlines are © Kartverket (CC BY 4.0). "
         "The code is MIT-licensed."),
    ),
    "licence_note": (
        "Data: CC BY 4.0, fra «Leangen-erklæringen 2024–2027»; CSV med semikolon for norsk Excel.",
        "Data: CC BY 4.0, from “Leangen-erklæringen 2024–2027”; CSV with semicolons for Norwegian Excel.",
    ),
    # /commitments, the faceted browser (viewer/commitments.py)
    "commitment": ("Punkt", "Commitment"),
    "commitment_one": ("punkt", "commitment"),
    "commitments_intro": (
        "Alle punktene i plattformen. Snevre inn med filtrene; tallene viser hvor mange som blir igjen.",
        "Every commitment of the platform. Narrow them down with the filters; the numbers say how many remain.",
    ),
    "borough": ("Bydel", "Borough"),
    "project": ("Prosjekt", "Project"),
    "has_target": ("Har tallfestet mål", "Has a quantified target"),
    "link_kind": ("Kobling til andre punkter", "Link to other commitments"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "clear_filters": ("Fjern alle filtre", "Clear all filters"),
    "remove_filter": ("Fjern filteret", "Remove the filter"),
    "filter_values": ("Finn verdi", "Find a value"),
    "sparql_behind_view": ("SPARQL bak denne visningen", "The SPARQL behind this view"),
    "bad_parameter": ("Ugyldig parameter", "Bad parameter"),
    "facet_unknown": (
        ("Parameteren «{param}» har ingen verdi «{value}» i grafen. Velg en verdi fra listen på "
         "/commitments (for eksempel {examples})."),
        ("The parameter “{param}” has no value “{value}” in the graph. Pick a value from the list on "
         "/commitments (for example {examples})."),
    ),
    "sort_unknown": (
        "Kan ikke sortere etter «{value}». Bruk sort= med en av {columns} (med - foran for synkende).",
        "Cannot sort by “{value}”. Use sort= with one of {columns} (prefix - for descending).",
    ),
}

# Ontology terms: (nb, en). The graph's own labels win when present (see term_label).
TERMS: dict[str, tuple[str, str]] = {
    "PolicyDocument": ("Dokument", "Document"),
    "PolicyArea": ("Politikkområde", "Policy area"),
    "Topic": ("Tema", "Topic"),
    "Commitment": ("Punkt", "Commitment"),
    "Place": ("Sted", "Place"),
    "Project": ("Prosjekt", "Project"),
    "Actor": ("Aktør", "Actor"),
    "Instrument": ("Virkemiddel", "Instrument"),
    "Target": ("Mål", "Target"),
    "Mention": ("Belegg", "Mention"),
    "CommitmentLink": ("Kobling mellom punkter", "Commitment link"),
    "decisive": ("forpliktende", "decisive"),
    "advocacy": ("pådriver", "advocacy"),
    "exploratory": ("utredende", "exploratory"),
    "concernsPlace": ("gjelder sted", "concerns place"),
    "concernsProject": ("gjelder prosjekt", "concerns project"),
    "involvesActor": ("involverer aktør", "involves actor"),
    "usesInstrument": ("bruker virkemiddel", "uses instrument"),
    "hasTarget": ("har mål", "has target"),
    "policyArea": ("område", "policy area"),
    "topic": ("tema", "topic"),
    "partOf": ("del av", "part of"),
    "locatedAt": ("ligger på", "located at"),
    "dependsOn": ("avhenger av", "depends on"),
    "supports": ("støtter", "supports"),
    "conflictsWith": ("er i konflikt med", "conflicts with"),
    "broader": ("hører til", "broader"),
    "hasMention": ("belegg", "mention"),
    "strength": ("styrke", "strength"),
    "city": ("by", "city"), "region": ("region", "region"), "borough": ("bydel", "borough"),
    "district": ("strøk", "district"), "street": ("gate", "street"), "square": ("plass", "square"),
    "venue": ("bygning/anlegg", "venue"), "route": ("trasé", "route"), "water": ("vann", "water"),
    "forest": ("skog/mark", "forest"), "station": ("stasjon", "station"), "site": ("område", "site"),
    # terms of the standard vocabularies the pages show (the ontology labels only its own terms)
    "type": ("type", "type"), "label": ("etikett", "label"), "comment": ("kommentar", "comment"),
    "prefLabel": ("navn", "name"), "altLabel": ("navnevariant", "name variant"),
    "isPartOf": ("del av", "part of"), "wasDerivedFrom": ("hentet fra", "derived from"),
    "source": ("kilde", "source"), "title": ("tittel", "title"), "alternative": ("undertittel", "subtitle"),
    "description": ("beskrivelse", "description"), "language": ("språk", "language"),
    "inScheme": ("i skjema", "in scheme"), "topConceptOf": ("toppbegrep i", "top concept of"),
    "hasTopConcept": ("har toppbegrep", "has top concept"), "hasGeometry": ("geometri", "geometry"),
    "asWKT": ("koordinater (WKT)", "coordinates (WKT)"),
}


def lang() -> str:
    """The interface language of this request."""
    value = request.args.get("lang") or request.cookies.get("lang") or "nb"
    return value if value in LANGS else "nb"


def t(key: str) -> str:
    """An interface string in the request's language (the key itself if unknown, to stay visible)."""
    pair = UI.get(key)
    if pair is None:
        return key
    return pair[1] if lang() == "en" else pair[0]


def ui_table(language: str) -> dict[str, str]:
    """All interface strings in one language, for the network page's script."""
    i = 1 if language == "en" else 0
    return {k: v[i] for k, v in UI.items()}


def _graph_term_labels() -> dict[str, dict[str, str]]:
    """Labels the graph gives ontology terms, by term IRI and language (asked once per app)."""
    def build() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for row in kg.select_terms(
            "SELECT ?t ?l WHERE { ?t skos:prefLabel|rdfs:label ?l . "
            f'FILTER(STRSTARTS(STR(?t), "{kg.PK}") && LANG(?l) IN ("nb", "en")) }}'
        ):
            out.setdefault(str(row["t"]), {})[row["l"].language] = str(row["l"])
        return out

    try:
        return kg.cached("term-labels", build)
    except StoreError:  # the page says what the store said; labels fall back to local names
        return {}


def term_label(term: str | None, language: str | None = None) -> str:
    """A readable label for an ontology term (class, property, kind, strength)."""
    if not term:
        return ""
    language = language or lang()
    if ":" not in term:  # a bare local name ("Commitment", "decisive") means an ontology term
        term = kg.PK + term
    labels = _graph_term_labels().get(term, {}) if has_app_context() else {}
    if labels.get(language):
        return labels[language]
    local = term.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    pair = TERMS.get(local)
    if pair:
        return pair[1] if language == "en" else pair[0]
    return local


def with_lang(path: str, extra: dict[str, Any] | None = None) -> str:
    """A link that keeps the request's language when it is not the default."""
    from urllib.parse import urlencode

    params = dict(extra or {})
    if lang() != "nb":
        params["lang"] = lang()
    if not params:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(params)
