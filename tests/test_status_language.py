"""The promise tracker in both languages: /status, /status/at-risk, a commitment's status history and
the Atom feed in bokmål by default and in English with ``?lang=en``, statuses named by the ontology's
pk:StatusScheme labels."""

from __future__ import annotations

import datetime
import html
import re
from xml.etree import ElementTree

import pytest
from status_support import assessment_rows, latest_statuses, ontology_label

from graph import status
from graph.pipeline import Built
from viewer import i18n

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The interface strings each page shows whatever the data (keys of viewer/i18n.py's UI table).
PAGE_STRINGS = {
    "/status": ("tracker_title", "status_as_of", "show", "status_intro", "of", "assessed", "at_risk",
                "status_template", "overall", "status_by_area", "status_by_strength", "status_by_borough",
                "over_time"),
    "/status/at-risk": ("at_risk_title", "as_of", "show", "at_risk_intro", "all_statuses", "found"),
}


def visible(page: str) -> str:
    """The text a reader sees: no markup, and no query text (the SPARQL behind a page has English comments)."""
    page = re.sub(r"<(pre|textarea|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def feed(client, query: str = "") -> ElementTree.Element:
    r = client.get("/status.atom" + query)
    assert r.mimetype == "application/atom+xml"
    return ElementTree.fromstring(r.data)


def changes() -> dict[str, tuple[str, str, str]]:
    """Every status change in assessments.csv: assessment IRI → (status before, status after, note)."""
    before: dict[str, str] = {}
    found = {}
    for row in assessment_rows():
        previous = before.get(row["commitment"], "not-assessed")
        if row["status"] != previous:
            iri = str(status.assessment_iri(row["commitment"], datetime.date.fromisoformat(row["date"])))
            found[iri] = (previous, row["status"], row["note"])
        before[row["commitment"]] = row["status"]
    return found


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_feed_names_status_changes_in_the_requested_language(real_client, built: Built, language: str):
    root = feed(real_client, "" if language == "nb" else "?lang=en")  # bokmål is the default
    assert root.get(XML_LANG) == language
    expected = changes()
    entries = root.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}id") for e in entries} == set(expected)
    for entry in entries:
        before, after, note = expected[entry.findtext(f"{ATOM}id")]
        words = ontology_label(built.graph, before, language), ontology_label(built.graph, after, language)
        assert entry.findtext(f"{ATOM}title").endswith(f": {words[0]} → {words[1]}")
        summary = entry.findtext(f"{ATOM}summary")
        assert summary.index(words[0]) < summary.index(words[1])
        content = entry.find(f"{ATOM}content")  # our note, written in bokmål, says so in either feed
        assert content.text == note and content.get(XML_LANG) == "nb"
        alternate = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert alternate.endswith("?lang=en") == (language == "en")


def test_the_feed_title_and_summaries_differ_between_the_languages(real_client):
    nb, en = feed(real_client), feed(real_client, "?lang=en")
    assert nb.findtext(f"{ATOM}title") != en.findtext(f"{ATOM}title")
    nb_summaries = [e.findtext(f"{ATOM}summary") for e in nb.findall(f"{ATOM}entry")]
    en_summaries = [e.findtext(f"{ATOM}summary") for e in en.findall(f"{ATOM}entry")]
    assert nb_summaries and all(a != b for a, b in zip(nb_summaries, en_summaries, strict=True))


@pytest.mark.parametrize("path", list(PAGE_STRINGS))
def test_tracker_pages_speak_the_requested_language(real_client, path: str):
    pages = {"nb": visible(real_client.get(path).get_data(as_text=True)),
             "en": visible(real_client.get(path + "?lang=en").get_data(as_text=True))}
    for language, other in (("nb", "en"), ("en", "nb")):
        for key in PAGE_STRINGS[path]:
            shown, foreign = i18n._ui(key, language), i18n._ui(key, other)
            assert shown in pages[language], (language, key)
            if len(foreign) > 3 and foreign not in shown:  # short words ("av", "per") occur in any text
                assert foreign not in pages[language], (language, key)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_statuses_are_named_by_the_ontology(real_client, built: Built, language: str):
    page = real_client.get(f"/status?lang={language}").get_data(as_text=True)
    header = re.search(r'<table id="overall"><thead><tr>(.*?)</tr>', page).group(1)
    names = re.findall(r"<th[^>]*>([^<]*)</th>", header)
    assert names and all(name == ontology_label(built.graph, notation, language)
                         for name, notation in zip(names, re.findall(r'data-status="([^"]+)"', page), strict=False))
    commitment, current = next(iter(latest_statuses().items()))
    history = real_client.get(commitment.replace("https://leangen-kg.org/id", "") + f"?lang={language}")
    section = re.search(r'<section id="status-history">.*?</section>', history.get_data(as_text=True), re.DOTALL)
    assert f'class="status st-{current}">{ontology_label(built.graph, current, language)}<' in section.group(0)
