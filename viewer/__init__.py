"""The read-only web viewer: SPARQL endpoint, entity pages, place explorer, network."""

from viewer.app import create_app

__all__ = ["create_app"]
