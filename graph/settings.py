"""Every setting of ``build.py`` in one table: it makes the options, reads the environment, feeds
the app, the HTTP server and the store, and writes docs/settings.md.

Before, options were defined by hand in four modules, environment variables were read in seven
and the docs tables were written by hand three times, so they drifted. Now a setting is one
:class:`Setting` row in :data:`SETTINGS`; :func:`add_arguments` is the only place a value is read
from the environment (besides ``SOURCE_DATE_EPOCH``, a standard the build honours in
graph/analyse.py); :func:`feeds` gives the ``app.config`` entries, waitress's limits and the
store's keywords the rows name. ``python -m graph.settings > docs/settings.md`` regenerates the
docs page; a test fails when the page differs.

graph/ is the bottom layer: this module imports nothing from viewer/ or store/ (they import it).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from graph.validators import Validator, at_least, base_iri, http_url, path, port, public_url, text

ROOT = Path(__file__).resolve().parent.parent
DOCS_PAGE = ROOT / "docs" / "settings.md"
REGENERATE = "python -m graph.settings > docs/settings.md"

#: The commands, with the help ``build.py --help`` shows. ``build`` stands for build.py's own
#: options, given before any subcommand (``build.py --dist /tmp/kg serve``).
COMMANDS = {
    "build": "build dist/ from sources/ (the default); its options go before any subcommand",
    "serve": "serve the viewer and the SPARQL endpoint on 127.0.0.1",
    "publish": "load dist/graph.nt into a SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB …)",
    "analyse": "network analysis tables and GEXF/GraphML/CSV exports in dist/",
}

#: What a row's value feeds, besides ``args``: an ``app.config`` key, a keyword of
#: :func:`viewer.serve.waitress_options`, or a keyword of the embedded or the remote store.
CONFIG, WAITRESS, EMBEDDED, REMOTE = "config", "waitress", "embedded", "remote"


class Feed(NamedTuple):
    target: str  # CONFIG, WAITRESS, EMBEDDED or REMOTE
    key: str
    convert: Callable[[Any], Any] | None = None  # the option's unit to the keyword's


@dataclass(frozen=True, eq=False)
class Setting:
    """One setting: an option of one command, its environment variable, default, check and use."""

    command: str  # a key of COMMANDS
    group: str  # the argparse group and the docs group
    option: str
    help: str
    default: str | Callable[[], str] | None = None  # text, checked like a user's value; callable: looked up late
    parse: Validator = text
    env: str | None = None
    feeds: Feed | None = None
    shown_default: str | None = None  # the docs' words for a default worked out at run time
    fallback: Callable[[argparse.Namespace], Any] | None = None  # the value when none is given
    argparse: dict[str, Any] = field(default_factory=dict)  # nargs, const, metavar, choices, action, required

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")

    def default_text(self) -> str | None:
        return self.default() if callable(self.default) else self.default


def _build_path(name: str) -> Callable[[], str]:
    """A default from :class:`graph.pipeline.Paths`, the build's own authority on where things are."""
    def lookup() -> str:
        from graph.pipeline import Paths

        return str(getattr(Paths(), name))
    return lookup


def _default_base() -> str:
    from graph.vocab import DEFAULT_BASE  # looked up late: the table is read before rdflib is needed

    return DEFAULT_BASE


def _default_graph() -> str:
    from graph.vocab import DEFAULT_GRAPH_IRI

    return DEFAULT_GRAPH_IRI


def default_public_url(host: str, port_number: int) -> str:
    """``http://HOST:PORT/`` from the listening address (IPv6 literals in brackets)."""
    return f"http://[{host}]:{port_number}/" if ":" in host else f"http://{host}:{port_number}/"


def _mib(value: int) -> int:
    return value << 20


_PATHS = "paths and identity"
_SERVER = "server and store"
_SPARQL = "SPARQL endpoint limits"
_HTTP = "HTTP server limits and public address"
_PUBLISH = "target store"
_ANALYSE = "analysis"

SETTINGS: tuple[Setting, ...] = (
    Setting("build", _PATHS, "--source", "the platform text", _build_path("source"), path),
    Setting("build", _PATHS, "--curated", "folder of curated Turtle", _build_path("curated"), path),
    Setting("build", _PATHS, "--status", "folder of status sheets (assessments.csv, assessments.xlsx)",
            _build_path("status"), path),
    Setting("build", _PATHS, "--ontology", "the ontology Turtle file", _build_path("ontology"), path),
    Setting("build", _PATHS, "--shapes", "SHACL shapes (file or folder)", _build_path("shapes"), path),
    Setting("build", _PATHS, "--dist", "output folder (replaced atomically); serve and publish read it",
            _build_path("dist"), path),
    Setting("build", _PATHS, "--base", "base IRI of the data: an http(s) IRI ending in '/' (the default "
            "domain is a placeholder)", _default_base, base_iri, "LEANGEN_BASE_IRI"),
    Setting("build", _PATHS, "--viewer-url", "where the viewer is served: the offline network page's "
            "'open the page' links lead there (the address serve's --public-url names)",
            "http://127.0.0.1:8000/", public_url, "LEANGEN_PUBLIC_URL"),

    Setting("serve", _SERVER, "--host", "interface to listen on; keep loopback unless a proxy is in front",
            "127.0.0.1"),
    Setting("serve", _SERVER, "--port", "port on the host, 1–65535", "8000", port, "PORT"),
    Setting("serve", _SERVER, "--threads", "request threads", "8", at_least(1)),
    Setting("serve", _SERVER, "--store", "a dist folder or graph file (embedded store), or a SPARQL "
            "endpoint URL (remote store)", env="LEANGEN_STORE", shown_default="`--dist`",
            fallback=lambda args: args.dist),
    Setting("serve", _SERVER, "--store-user", "remote store: user, for an endpoint that asks for one",
            env="LEANGEN_STORE_USER", feeds=Feed(REMOTE, "user")),
    Setting("serve", _SERVER, "--store-password", "remote store: password (prefer the environment to the "
            "command line)", env="LEANGEN_STORE_PASSWORD", feeds=Feed(REMOTE, "password")),

    Setting("serve", _SPARQL, "--timeout", "time limit per query in seconds", "5",
            at_least(0.01, float, "a number of seconds"), "LEANGEN_SPARQL_TIMEOUT", Feed(CONFIG, "SPARQL_TIMEOUT")),
    Setting("serve", _SPARQL, "--max-rows", "rows (or triples) per result; more are cut and flagged", "10000",
            at_least(1), "LEANGEN_SPARQL_MAX_ROWS", Feed(CONFIG, "SPARQL_MAX_ROWS")),
    Setting("serve", _SPARQL, "--max-query-bytes", "size limit of a query or request body", "65536",
            at_least(256), "LEANGEN_SPARQL_MAX_QUERY", Feed(CONFIG, "SPARQL_MAX_QUERY_BYTES")),
    Setting("serve", _SPARQL, "--max-result-bytes", "size limit of one result, counted on its terms' text "
            "(+ 40 bytes each); a bigger result is cut and says so", str(16 * 1024 * 1024),
            at_least(1024), "LEANGEN_SPARQL_MAX_BYTES", Feed(CONFIG, "SPARQL_MAX_BYTES")),
    Setting("serve", _SPARQL, "--worker-memory", "embedded store: address-space limit per query worker in "
            "MiB; a query that needs more ends its worker, which is replaced", "1024", at_least(256),
            "LEANGEN_SPARQL_WORKER_MEMORY", Feed(EMBEDDED, "worker_memory", _mib)),
    Setting("serve", _SPARQL, "--workers", "embedded store: query worker processes", None, at_least(1),
            "LEANGEN_SPARQL_WORKERS", Feed(EMBEDDED, "workers"), shown_default="2 per core, 2–8"),

    Setting("serve", _HTTP, "--connection-limit", "open connections at once (waitress's default is 100); "
            "more wait in the listen queue", "1000", at_least(1), "LEANGEN_CONNECTION_LIMIT",
            Feed(WAITRESS, "connection_limit")),
    Setting("serve", _HTTP, "--channel-timeout", "seconds before a connection that sends nothing (idle, or "
            "stalled in the middle of a request) is closed (waitress: 120)", "30", at_least(1),
            "LEANGEN_CHANNEL_TIMEOUT", Feed(WAITRESS, "channel_timeout")),
    Setting("serve", _HTTP, "--max-header-bytes", "size limit of the request line and headers, a GET query "
            "included; more is a 431", str(256 * 1024), at_least(1024), "LEANGEN_MAX_HEADER_BYTES",
            Feed(WAITRESS, "max_header_bytes")),
    Setting("serve", _HTTP, "--max-body-bytes", "size limit of a request body, refused before the app reads "
            "it (waitress: 1 GiB); keep it above --max-query-bytes", str(1024 * 1024), at_least(1024),
            "LEANGEN_MAX_BODY_BYTES", Feed(WAITRESS, "max_body_bytes")),
    Setting("serve", _HTTP, "--public-url", "the site root clients reach (http or https, no path); the "
            "endpoint's address in the service description and VoID, never the request's Host header",
            None, public_url, "LEANGEN_PUBLIC_URL", Feed(CONFIG, "PUBLIC_URL"), shown_default="`http://HOST:PORT/`",
            fallback=lambda args: default_public_url(args.host, args.port)),
    Setting("serve", _HTTP, "--trust-proxy", "honour X-Forwarded-For/-Proto/-Host/-Port/-Prefix from this "
            "many reverse proxies in front (1 if given alone); ignored otherwise", "0", at_least(0),
            "LEANGEN_TRUST_PROXY", Feed(CONFIG, "TRUST_PROXY"), argparse={"nargs": "?", "const": "1",
                                                                          "metavar": "HOPS"}),

    Setting("publish", _PUBLISH, "--endpoint", "the store's SPARQL query endpoint, e.g. "
            "http://127.0.0.1:8890/sparql", parse=http_url, argparse={"required": True}),
    Setting("publish", _PUBLISH, "--gsp", "its Graph Store Protocol endpoint", parse=http_url,
            env="LEANGEN_STORE_GSP", shown_default="Virtuoso's `/sparql-graph-crud-auth` next to `--endpoint`, "
            "else `/data`"),
    Setting("publish", _PUBLISH, "--graph", "the named graph to replace", _default_graph),
    Setting("publish", _PUBLISH, "--file", "the graph file", parse=path, shown_default="`graph.nt` in `--dist`"),
    Setting("publish", _PUBLISH, "--user", "user for the Graph Store endpoint", env="LEANGEN_STORE_USER"),
    Setting("publish", _PUBLISH, "--password", "password (prefer the environment to the command line)",
            env="LEANGEN_STORE_PASSWORD"),
    Setting("publish", _PUBLISH, "--dialect", "server quirks to handle", shown_default="guessed from the URL "
            "and the server header", argparse={"choices": ["virtuoso", "generic"]}),
    Setting("publish", _PUBLISH, "--allow-default-password", "publish even to a Virtuoso that still accepts "
            "dba/dba (not recommended)", argparse={"action": "store_true"}),

    Setting("analyse", _ANALYSE, "--top", "how many rows per ranking", "5", at_least(1)),
    Setting("analyse", _ANALYSE, "--impact", "only show what stalls if REF stalls (IRI, IRI tail or source "
            "line)", argparse={"metavar": "REF"}),
    Setting("analyse", _ANALYSE, "--no-export", "print the tables only; write nothing",
            argparse={"action": "store_true"}),
)

#: Variables a standard defines rather than this table; listed in the docs, read where they apply.
STANDARD_ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": "build: the `lastmodifieddate` of `network.gexf` (reproducible builds; "
                         "without it the file carries no date)",
}


def rows(command: str) -> list[Setting]:
    """The settings of one command, in table order."""
    if command not in COMMANDS:
        raise KeyError(f"no command {command!r} in the settings table: one of {', '.join(COMMANDS)}")
    return [s for s in SETTINGS if s.command == command]


def setting(command: str, option: str) -> Setting:
    """The row of ``option`` in ``command``."""
    for s in rows(command):
        if s.option == option:
            return s
    raise KeyError(f"{command} has no setting {option} in the settings table")


# --- the command line: the only place the environment is read -----------------------------------

def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """Add ``command``'s options to ``parser``, one argparse group per docs group.

    A variable that is set (and not empty) replaces the default as text, so argparse checks it with
    the option's own validator: a bad value is a usage error naming the variable.
    """
    groups: dict[str, Any] = {}
    for s in rows(command):
        group = groups.get(s.group) or groups.setdefault(s.group, parser.add_argument_group(s.group))
        kwargs = dict(s.argparse)
        if kwargs.get("action") != "store_true":
            kwargs.update(type=s.parse(s.option, s.env), default=(s.env and os.environ.get(s.env)) or s.default_text())
        group.add_argument(s.option, help=_help(s).replace("%", "%%"), **kwargs)


def _help(s: Setting) -> str:
    """The ``--help`` line: the row's help, its variable and its default."""
    notes = [f"env {s.env}"] if s.env else []
    shown = _shown_default(s)
    if s.argparse.get("required"):
        notes.append("required")
    elif shown:
        notes.append(f"default {shown.replace('`', '')}")
    return f"{s.help} ({'; '.join(notes)})" if notes else s.help


def add_command(subparsers: Any, command: str, handler: Callable[[argparse.Namespace], int]
                ) -> argparse.ArgumentParser:
    """A subcommand of build.py with its options from the table; ``handler(args)`` runs it."""
    p = subparsers.add_parser(command, help=COMMANDS[command], description=COMMANDS[command])
    add_arguments(p, command)
    p.set_defaults(handler=handler)
    return p


# --- what the parsed values feed ------------------------------------------------------------------

def value(args: argparse.Namespace, s: Setting) -> Any:
    """The parsed value of a row, or its fallback (worked out from other options) when none was given."""
    got = getattr(args, s.dest, None)
    return s.fallback(args) if got is None and s.fallback else got


def feeds(args: argparse.Namespace, target: str, command: str = "serve") -> dict[str, Any]:
    """The keywords the rows of ``command`` that feed ``target`` give, from parsed options.

    Unset values (None) are left out, so the receiver's own default applies (the embedded store
    sizes its pool from the cores).
    """
    out = {}
    for s in rows(command):
        if s.feeds and s.feeds.target == target:
            v = value(args, s)
            if v is not None:
                out[s.feeds.key] = s.feeds.convert(v) if s.feeds.convert else v
    return out


def default_value(command: str, option: str) -> Any:
    """A row's default as its validator parses it (what the option holds when not given)."""
    s = setting(command, option)
    raw = s.default_text()
    return None if raw is None else s.parse(s.option, s.env)(raw)


def defaults(target: str, command: str = "serve") -> dict[str, Any]:
    """The keywords ``target`` gets when no option or variable is set (e.g. waitress in the tests)."""
    out = {}
    for s in rows(command):
        if s.feeds and s.feeds.target == target and s.default_text() is not None:
            v = default_value(command, s.option)
            out[s.feeds.key] = s.feeds.convert(v) if s.feeds.convert else v
    return out


# --- the docs page --------------------------------------------------------------------------------

def _shown_default(s: Setting) -> str:
    """A default as the docs show it: literal values in code, paths relative to the project."""
    if s.shown_default:
        return s.shown_default
    if s.argparse.get("action") == "store_true":
        return "off"
    raw = s.default_text()
    if raw is None:
        return ""
    if raw.startswith(str(ROOT) + os.sep):
        raw = Path(raw).relative_to(ROOT).as_posix()
    return f"`{raw}`"


def _option_cell(s: Setting) -> str:
    metavar = s.argparse.get("metavar")
    if s.argparse.get("nargs") == "?":
        return f"`{s.option} [{metavar}]`"
    if metavar:
        return f"`{s.option} {metavar}`"
    if "choices" in s.argparse:
        return f"`{s.option} {{{','.join(s.argparse['choices'])}}}`"
    return f"`{s.option}`"


def _table(command: str) -> list[str]:
    lines = ["| option | environment | default | what |", "| --- | --- | --- | --- |"]
    group = None
    for s in rows(command):
        if s.group != group:
            group = s.group
            lines.append(f"| *{group}* | | | |")
        env = f"`{s.env}`" if s.env else ""
        default = "required" if s.argparse.get("required") else _shown_default(s)
        what = s.help.replace("|", r"\|")
        lines.append(f"| {_option_cell(s)} | {env} | {default} | {what} |")
    return lines


_INTRO = f"""\
# Settings

Every option of `build.py`, the environment variable that sets it and its default. An option given
on the command line wins over its variable; an empty variable counts as unset. A bad value, given
either way, stops the command with a usage error that names the option or the variable.

This page is generated from the settings table in `graph/settings.py` (regenerate it with
`{REGENERATE}`); a test fails when it differs. Add a setting there, never by hand
in a module or here.
"""

_TITLES = {"build": "`build.py` (before any subcommand)"}


def render_markdown() -> str:
    """docs/settings.md: the intro, one table per command, then the standard variables."""
    out = [_INTRO]
    for command, about in COMMANDS.items():
        title = _TITLES.get(command, f"`build.py {command}`")
        out += [f"## {title}", "", f"{about[0].upper()}{about[1:]}.", "", *_table(command), ""]
    out += ["## Standard environment variables", "", "| variable | what |", "| --- | --- |"]
    out += [f"| `{name}` | {what} |" for name, what in STANDARD_ENVIRONMENT.items()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")

