"""Pages people can find and read: a navigation bar everywhere, nb and en, numbers rounded, names not
slugs, plurals right, notes in another language marked, the language switch keeping the query."""

from __future__ import annotations

import re

import pytest

PAGES = ["/", "/commitments", "/places", "/analysis", "/sparql", "/queries", "/place/heimdal", "/search?q=nav"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_navigation_bar_in_its_language(real_app, path):
    for lang, word in (("nb", "Steder"), ("en", "Places")):
        html = real_app.test_client().get(path + ("&" if "?" in path else "?") + "lang=" + lang,
                                          headers={"Accept": "text/html"}).get_data(as_text=True)
        nav = re.search(r"<nav>(.*?)</nav>", html, re.DOTALL)
        assert nav, f"{path} has no navigation bar"
        for target in ("/commitments", "/places", "/map", "/status", "/analysis", "/sparql", "/queries"):
            assert f'href="{target}' in nav.group(1), f"{path} does not link {target}"
        assert word in nav.group(1) and f'<html lang="{lang}">' in html


def test_counts_use_plural_forms(real_app):
    html = real_app.test_client().get("/?lang=nb").get_data(as_text=True)
    assert re.search(r"<strong>\d+</strong> løfter</li>", html)
    assert re.search(r"<strong>\d+</strong> steder</li>", html)
    assert not re.search(r"<strong>\d+</strong> (løfte|sted|punkt)</li>", html)


def test_analysis_rounds_numbers_and_names_areas(real_app):
    html = real_app.test_client().get("/analysis?lang=nb").get_data(as_text=True)
    assert not re.search(r"\d\.\d{4}", html), "raw 4-decimal centralities"
    assert re.search(r'<td class="num">0,\d\d</td>', html)
    assert "(miljo-naering-samferdsel," not in html and "(Miljø, næring og samferdsel," in html


def test_notes_in_another_language_are_marked_and_labels_follow_the_page(real_app):
    nb = real_app.test_client().get("/actor/nav?lang=nb").get_data(as_text=True)
    assert re.search(r'<span lang="en">named in the document[^<]*</span> <small>\(på engelsk\)', nb)
    en = real_app.test_client().get("/actor/nav?lang=en").get_data(as_text=True)
    assert "<td>Norwegian Labour and Welfare Administration (NAV)</td>" in en
