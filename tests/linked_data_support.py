"""The base IRI with a path that the linked-data tests build under, and where its IRIs are served
(the build and the app serving it are session fixtures in conftest.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

BASE = "http://example.org/kg/id/"
PK = "https://leangen-kg.org/ontology#"


def page_path(iri: str) -> str:
    """Where the server must answer for an IRI: its own path (the fragment stays with the client)."""
    return urlsplit(iri).path

