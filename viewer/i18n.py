"""Interface language: Norwegian bokmål by default, English on request.

The language comes from ``?lang=`` (kept in every link so a shared link keeps its language), then a
``lang`` cookie, then ``nb``. Text from the graph stays in bokmål (the document is Norwegian).

Words for graph things (classes, properties, strengths, kinds) are the ontology's own nb/en labels,
read from :func:`graph.vocab.registry` (``rdfs:label``/``skos:prefLabel``, ``pk:pluralLabel``), so the
pages say "løfte" where the ontology does; :data:`UI` holds only interface strings, and
:data:`OTHER_VOCABULARIES` the few standard terms (``rdfs:label``, ``skos:prefLabel`` …) the pages show
and our ontology does not label.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from rdflib import SKOS, URIRef

from graph.vocab import PK_IRI, registry

LANGS = ("nb", "en")

UI: dict[str, tuple[str, str]] = {
    "site": ("Leangen KG", "Leangen KG"),
    "tagline": (
        ("Byrådsplattformen «Leangen-erklæringen 2024–2027» for Trondheim som kunnskapsgraf: hvert "
         "løfte byrådet gir, med steder, prosjekter, aktører, virkemidler og mål – og ordene i "
         "dokumentet som knytter dem sammen."),
        ("Trondheim's city-government platform “Leangen-erklæringen 2024–2027” as a knowledge graph: "
         "every commitment of the city government, with the places, projects, actors, instruments and "
         "targets it touches – and the words in the document that make each link."),
    ),
    "home": ("Forside", "Home"),
    "network": ("Nettverk", "Network"),
    "sparql": ("SPARQL", "SPARQL"),
    "downloads": ("Nedlastinger", "Downloads"),
    "search": ("Søk", "Search"),
    "search_placeholder": ("Søk i løfter, steder, aktører …", "Search commitments, places, actors …"),
    "search_results": ("Søkeresultater", "Search results"),
    "no_results": ("Ingen treff.", "No matches."),
    "counts": ("Innhold", "Contents"),
    "strength_mix": ("Hvor forpliktende", "How binding"),
    "most_connected_places": ("Steder som nevnes mest", "Most connected places"),
    "most_connected_actors": ("Aktører som nevnes mest", "Most connected actors"),
    "open_network": ("Åpne nettverket", "Open the network"),
    "open_places": ("Utforsk steder", "Explore places"),
    "open_sparql": ("Spør med SPARQL", "Query with SPARQL"),
    "kind": ("Type", "Kind"),
    "contains": ("Inneholder", "Contains"),
    "touching": ("Løfter og prosjekter", "Commitments and projects"),
    "touching_intro": (
        "Alt som berører stedet eller et sted inni det, direkte eller gjennom et prosjekt.",
        "Everything that touches the place or a place inside it, directly or through a project.",
    ),
    "wording": ("Ordlyd", "Wording"),
    "lines": ("Linjer", "Lines"),
    "line": ("linje", "line"),
    "matched_words": ("Ord som ga koblingen", "Words that made the link"),
    "via": ("Via", "Via"),
    "map": ("Kart", "Map"),
    "map_title": ("Kart over Trondheim", "Map of Trondheim"),
    "map_intro": (
        ("Hvert sted og prosjekt i Trondheim på kommunens og de fire bydelenes grenser, farget etter hvor mange "
        "løfter som berører det (et sted teller også løftene om steder inni det). Klikk et punkt for å åpne stedet. "
        "Tegnet lokalt, uten kartfliser. Som data:"),
        ("Every place and project in Trondheim on the outlines of the municipality and its four boroughs, coloured "
        "by how many commitments touch it (a place also counts those touching places inside it). Click a point to "
        "open the place. Drawn locally, with no map tiles. As data:"),
    ),
    "map_whole_city": ("Hele kartet", "The whole map"),
    "borough_check": ("Bydelskontroll", "Borough check"),
    "borough_check_intro": (
        ("Stedenes bydel i de kuraterte dataene sammenlignet med bydelspolygonet punktet faller i "
        "(Kartverket/SSB 2025). Stemmer:"),
        ("Each place's borough in the curated data compared with the borough polygon its point falls in "
        "(Kartverket/SSB 2025). Agree:"),
    ),
    "curated_borough": ("Kuratert bydel", "Curated borough"),
    "polygon_borough": ("Punktet ligger i", "Point lies in"),
    "point": ("Punkt", "Point"),
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
        ("Alle steder i grafen, med hva de er del av, hva som ligger i dem, og hvor mange løfter og "
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
    "tracker": ("Løftesporeren", "Promise tracker"),
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
    "commitment_one": ("løfte", "commitment"),
    "commitments_intro": (
        "Alle løftene i plattformen. Snevre inn med filtrene; tallene viser hvor mange som blir igjen.",
        "Every commitment of the platform. Narrow them down with the filters; the numbers say how many remain.",
    ),
    "borough": ("Bydel", "Borough"),
    "project": ("Prosjekt", "Project"),
    "has_target": ("Har tallfestet mål", "Has a quantified target"),
    "link_kind": ("Kobling til andre løfter", "Link to other commitments"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "clear_filters": ("Fjern alle filtre", "Clear all filters"),
    "remove_filter": ("Fjern filteret", "Remove the filter"),
    "filter_values": ("Finn verdi", "Find a value"),
    "sparql_behind_view": ("SPARQL bak denne visningen", "The SPARQL behind this view"),
    "bad_parameter": ("Ugyldig parameter", "Bad parameter"),
    "as_of_not_a_date": ("as_of: {value} er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2025-06-30.",
                         "as_of: {value} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-30."),
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
    # the promise tracker (viewer/status.py, templates/status*.html); statuses are pk:StatusScheme's labels
    "tracker_title": ("Løftesporeren", "Promise tracker"),
    "tracker_link": ("løftesporeren", "promise tracker"),
    "status_as_of": ("Status per", "Status as of"),
    "as_of": ("per", "as of"),
    "show": ("Vis", "Show"),
    "status_intro": (
        ("Et løftes status på en dato er den siste kildebelagte vurderingen fram til den datoen; uten vurdering "
         "er det ikke vurdert. Hvert tall åpner lista bak det."),
        ("A commitment's status on a date is its latest sourced assessment up to that date; with none, it is "
         "not assessed. Every number opens the list behind it."),
    ),
    "of": ("av", "of"),
    "assessed": ("vurdert", "assessed"),
    "assessed_on": ("Vurdert", "Assessed"),
    "at_risk": ("I faresonen", "At risk"),
    "status_template": ("Mal med alle løftene", "Template with every commitment"),
    "all_counts": ("alle tall", "all counts"),
    "overall": ("Totalt", "Overall"),
    "status_by_area": ("Etter område", "By area"),
    "status_by_strength": ("Etter hvor forpliktende ordlyden er", "By strength of wording"),
    "status_by_borough": ("Etter bydel (stedene løftet berører)", "By borough (the places a commitment touches)"),
    "over_time": ("Over tid (ved utgangen av hver måned)", "Over time (end of each month)"),
    "at_risk_title": ("Løfter i faresonen", "Commitments at risk"),
    "at_risk_intro": (
        ("Et løfte er i faresonen når en forutsetning (avhenger av) eller en sterk støtte (skår +2 eller +3) er "
         "stanset eller brutt, også gjennom en kjede av dem; eller når et løfte som trekker imot det (negativ "
         "skår, fra det løftet til dette) er underveis eller holdt."),
        ("A commitment is at risk when a prerequisite (depends on) or a strong support (score +2 or +3) is "
         "stalled or broken, also through a chain of them; or when a commitment that pulls against it (a negative "
         "score from that commitment to this one) is in progress or kept."),
    ),
    "all_statuses": ("Alle statuser", "All statuses"),
    "found": ("funnet", "found"),
    "risk_prerequisite": ("en forutsetning har stoppet opp", "a prerequisite is halted"),
    "risk_support": ("en sterk støtte har stoppet opp", "a strong support is halted"),
    "risk_pressure": ("presset av et løfte som går framover", "pressed by a commitment that moves ahead"),
    "none_as_of": ("Ingen per denne datoen.", "None as of this date."),
    "feed_title": ("Leangen KG: statusendringer for løftene", "Leangen KG: status changes of the commitments"),
    "feed_summary": (
        "Status endret fra «{before}» til «{after}» {date}, etter vurderingen med kilder på løftets side.",
        "Status changed from “{before}” to “{after}” on {date}, by the sourced assessment on the commitment's page.",
    ),
}

#: Interface keys that name a graph thing: (pk: term, plural, capitalised). Their words are the
#: ontology's labels (a heading capitalises the first letter).
GRAPH_UI: dict[str, tuple[str, bool, bool]] = {
    "places": ("Place", True, True),
    "areas": ("PolicyArea", True, True),
    "commitments": ("Commitment", True, True),
    "commitment": ("Commitment", False, True),
    "commitment_count": ("Commitment", True, False),
    "projects": ("Project", True, True),
    "area": ("PolicyArea", False, True),
    "topic": ("Topic", False, True),
    "place": ("Place", False, True),
    "actor": ("Actor", False, True),
    "instrument": ("Instrument", False, True),
    "strength": ("strength", False, True),
    "commitment_heading": ("Commitment", False, True),
    "status": ("status", False, True),
    "part_of": ("partOf", False, True),
    "located_at": ("locatedAt", False, True),
}

#: Terms of the standard vocabularies the pages show: (nb, en). Our ontology labels only its own
#: terms (``pk:``), so these few are named here.
OTHER_VOCABULARIES: dict[str, tuple[str, str]] = {
    "type": ("type", "type"), "label": ("etikett", "label"), "comment": ("kommentar", "comment"),
    "prefLabel": ("navn", "name"), "altLabel": ("navnevariant", "name variant"),
    "isPartOf": ("del av", "part of"), "wasDerivedFrom": ("hentet fra", "derived from"),
    "source": ("kilde", "source"), "title": ("tittel", "title"), "alternative": ("undertittel", "subtitle"),
    "description": ("beskrivelse", "description"), "language": ("språk", "language"),
    "inScheme": ("i skjema", "in scheme"), "topConceptOf": ("toppbegrep i", "top concept of"),
    "hasTopConcept": ("har toppbegrep", "has top concept"), "hasGeometry": ("geometri", "geometry"),
    "asWKT": ("koordinater (WKT)", "coordinates (WKT)"), "broader": ("hører til", "broader"),
}


class _Terms(Mapping[str, tuple[str, str]]):
    """Every term's (nb, en) label by local name: the ontology's, then :data:`OTHER_VOCABULARIES`.
    Read from the registry on first use, so importing this module parses nothing."""

    def _table(self) -> dict[str, tuple[str, str]]:
        return _term_table()

    def __getitem__(self, key: str) -> tuple[str, str]:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


@cache
def _term_table() -> dict[str, tuple[str, str]]:
    ours = {name: (term.labels.get("nb", name), term.labels.get("en", name)) for name, term in registry().terms.items()}
    return {**OTHER_VOCABULARIES, **ours}


TERMS: Mapping[str, tuple[str, str]] = _Terms()


def lang() -> str:
    """The interface language of this request (read once per request: a page asks some 60 times,
    and each missing ``?lang=`` or cookie costs werkzeug a raised and caught exception)."""
    request = _request()
    environ = request.environ
    found = environ.get("leangen.lang")
    if found is None:
        value = request.args.get("lang") or request.cookies.get("lang") or "nb"
        found = environ["leangen.lang"] = value if value in LANGS else "nb"
    return found


@cache
def _request() -> Any:
    """Flask's request, imported on first use: the build renders the offline page without Flask. Once,
    not on each of a page's ~70 calls of :func:`lang` (an import statement costs a lookup each time)."""
    from flask import request

    return request


def t(key: str) -> str:
    """An interface string in the request's language (the key itself if unknown, to stay visible)."""
    return _ui(key, lang())


def _ui(key: str, language: str) -> str:
    """An interface string in ``language``: a graph thing's label from the ontology, else :data:`UI`."""
    if key in GRAPH_UI:
        term, plural, capital = GRAPH_UI[key]
        word = registry().label(term, language, plural=plural) or term
        return word[:1].upper() + word[1:] if capital else word
    pair = UI.get(key)
    if pair is None:
        return key
    return pair[1] if language == "en" else pair[0]


def ui_table(language: str) -> dict[str, str]:
    """All interface strings in one language, for the network page's script."""
    return {k: _ui(k, language) for k in [*UI, *GRAPH_UI]}


def term_label(term: str | None, language: str | None = None) -> str:
    """A readable label for a term (class, property, kind, strength): the ontology's for ``pk:`` terms."""
    if not term:
        return ""
    language = language or lang()
    if term.startswith(PK_IRI) or ":" not in term:  # a bare local name ("Commitment") is ours
        found = registry().label(term.removeprefix(PK_IRI), language)
        if found:
            return found
    local = term.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    pair = OTHER_VOCABULARIES.get(local)
    if pair:
        return pair[1] if language == "en" else pair[0]
    return local


def notation_label(scheme: str, notation: str, language: str | None = None) -> str:
    """The label of the concept of ``pk:<scheme>`` whose skos:notation is ``notation`` ('in-progress' in
    pk:StatusScheme is "underveis"/"in progress"); the notation itself if the scheme has no such concept."""
    graph = registry().graph
    for concept in graph.subjects(SKOS.inScheme, URIRef(PK_IRI + scheme)):
        if any(str(n) == notation for n in graph.objects(concept, SKOS.notation)):
            return term_label(str(concept), language) or notation
    return notation


def with_lang(path: str, extra: dict[str, Any] | None = None) -> str:
    """A link that keeps the request's language when it is not the default."""
    from urllib.parse import urlencode

    params = dict(extra or {})
    if lang() != "nb":
        params["lang"] = lang()
    if not params:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(params)
