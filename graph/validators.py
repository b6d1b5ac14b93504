"""The argparse types of the settings table (:mod:`graph.settings`): pure checks of one value.

A validator is bound to the option and environment variable of its setting, ``validator(option,
env)``, and gives the argparse ``type``. argparse runs it on a default given as text too, which is
how a value from the environment is checked: a bad ``LEANGEN_…`` stops the command with a usage
error that names the variable, never a traceback later. They live in graph/ (the bottom layer) so
the table can use them without importing viewer/ or store/.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ArgType = Callable[[str], Any]
Validator = Callable[[str, "str | None"], ArgType]

URL_EXAMPLE = "e.g. https://kg.example.org/"


def _origin(option: str, env: str | None) -> str:
    """Where a bad value came from, as the messages name it: ``(from --port or PORT)``."""
    return f"(from {option} or {env})" if env else f"(from {option})"


def text(option: str, env: str | None) -> ArgType:
    """Any text, as given (host names, graph IRIs, user names)."""
    return str


def path(option: str, env: str | None) -> ArgType:
    """A file or folder; whether it exists is the build's to say, with the file's name."""
    return Path


def at_least(minimum: float, kind: type = int, what: str = "a whole number") -> Validator:
    """A number no smaller than ``minimum``, with a message that says which rule it broke."""
    def bind(option: str, env: str | None) -> ArgType:
        where = f" (from the option or the environment variable {env})" if env else ""

        def parse(value: str) -> Any:
            try:
                number = kind(value)
            except ValueError:
                raise argparse.ArgumentTypeError(f"{value!r} is not {what}{where}") from None
            if not number >= minimum:  # also refuses NaN
                raise argparse.ArgumentTypeError(f"{value!r} is too small{where}: give at least {minimum:g}")
            return number
        parse.__name__ = what  # argparse names the type in some messages
        return parse
    return bind


def port(option: str, env: str | None) -> ArgType:
    """A TCP port number."""
    def parse(value: str) -> int:
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            raise argparse.ArgumentTypeError(f"{value!r} is not a port number, 1–65535 {_origin(option, env)}")
        return int(value)
    return parse


def public_url(option: str, env: str | None) -> ArgType:
    """The site root as clients see it, which the service description and VoID name.

    They must not take the address from the request's Host header (anyone can send one), so it is
    configured; the viewer's links are absolute paths, so only a site root works (a path prefix
    would break them).
    """
    def parse(value: str) -> str:
        bad = argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL of a site root "
                                         f"{_origin(option, env)}, {URL_EXAMPLE}")
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        except ValueError:
            raise bad from None
        if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
                or parts.query or parts.fragment or "#" in value or parts.path not in ("", "/")
                or any(c.isspace() or c in "<>\"\\{}|^`" for c in value)):
            raise bad
        return f"{parts.scheme}://{parts.netloc}/"
    return parse


def http_url(option: str, env: str | None) -> ArgType:
    """An http(s) URL with a host (urllib would fail later with a traceback)."""
    def parse(value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL {_origin(option, env)}, "
                                             "e.g. http://127.0.0.1:8890/sparql")
        return value
    return parse


def base_iri(option: str, env: str | None) -> ArgType:
    """Every data IRI is the base plus ``place/heimdal`` and the like, so it must end in '/'."""
    def parse(value: str) -> str:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+/", value):
            raise argparse.ArgumentTypeError(
                f"{value!r} is not an absolute http(s) IRI ending in '/' {_origin(option, env)}, "
                "e.g. https://data.example.org/leangen/")
        return value
    return parse
