"""``python build.py serve``: the viewer and the SPARQL endpoint on 127.0.0.1.

waitress (a production WSGI server with threads) rather than Flask's development server, because
a workshop room may open the network on many laptops at once. The store is opened once here and
shared by every page; the network layout is computed in the background right away, so the first
visitor of /network does not wait for it.

The HTTP server's own limits are set here, explicitly, because waitress's defaults let a hundred
stalled connections lock everyone else out for two minutes (slowloris). Every option has an
environment variable, like the endpoint's limits in :mod:`viewer.sparql_serve`:

======================  ============================  ============================================
option                  environment                   default
======================  ============================  ============================================
``--connection-limit``  ``LEANGEN_CONNECTION_LIMIT``  ``1000`` open connections at once
``--channel-timeout``   ``LEANGEN_CHANNEL_TIMEOUT``   ``30`` s before an idle or stalled connection is closed
``--max-header-bytes``  ``LEANGEN_MAX_HEADER_BYTES``  ``262144`` bytes of request line and headers
``--max-body-bytes``    ``LEANGEN_MAX_BODY_BYTES``    ``1048576`` bytes of request body
``--public-url``        ``LEANGEN_PUBLIC_URL``        ``http://HOST:PORT/`` from ``--host``/``--port``
``--trust-proxy``       ``LEANGEN_TRUST_PROXY``       ``0`` proxies (``X-Forwarded-*`` ignored)
======================  ============================  ============================================
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any
from urllib.parse import urlsplit

CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 30
MAX_HEADER_BYTES = 256 * 1024
MAX_BODY_BYTES = 1024 * 1024
RESERVED_FILES = 64  # descriptors besides connections: store workers' pipes, dist files, logs
URL_EXAMPLE = "e.g. https://kg.example.org/"


def register(sub: Any) -> None:
    """Add the ``serve`` subcommand to build.py."""
    p = sub.add_parser("serve", help="serve the viewer and the SPARQL endpoint on 127.0.0.1")
    from viewer.sparql_serve import add_sparql_arguments, at_least  # --timeout, … (and their env vars)

    p.add_argument("--port", type=_port, default=os.environ.get("PORT", "8000"),
                   help="port on the host, 1–65535 (env PORT; default %(default)s)")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    p.add_argument("--store", default=None,
                   help="a dist folder, a graph file or a SPARQL endpoint URL (env LEANGEN_STORE; default: --dist)")
    p.add_argument("--threads", type=at_least(1), default=8, help="request threads (default %(default)s)")
    add_sparql_arguments(p)
    add_server_arguments(p)
    p.set_defaults(handler=run)


def add_server_arguments(p: argparse.ArgumentParser) -> None:
    """The HTTP server's limits and the public address, each also an environment variable."""
    from viewer.sparql_serve import _env, at_least

    g = p.add_argument_group("HTTP server limits and public address")
    g.add_argument("--connection-limit", type=at_least(1, env="LEANGEN_CONNECTION_LIMIT"),
                   default=_env("LEANGEN_CONNECTION_LIMIT", str(CONNECTION_LIMIT)),
                   help="open connections at once; more wait in the listen queue "
                        "(env LEANGEN_CONNECTION_LIMIT; default %(default)s)")
    g.add_argument("--channel-timeout", type=at_least(1, env="LEANGEN_CHANNEL_TIMEOUT"),
                   default=_env("LEANGEN_CHANNEL_TIMEOUT", str(CHANNEL_TIMEOUT)),
                   help="seconds before a connection that sends nothing (idle or a stalled request) is closed "
                        "(env LEANGEN_CHANNEL_TIMEOUT; default %(default)s)")
    g.add_argument("--max-header-bytes", type=at_least(1024, env="LEANGEN_MAX_HEADER_BYTES"),
                   default=_env("LEANGEN_MAX_HEADER_BYTES", str(MAX_HEADER_BYTES)),
                   help="size limit of the request line and headers, a GET query included "
                        "(env LEANGEN_MAX_HEADER_BYTES; default %(default)s)")
    g.add_argument("--max-body-bytes", type=at_least(1024, env="LEANGEN_MAX_BODY_BYTES"),
                   default=_env("LEANGEN_MAX_BODY_BYTES", str(MAX_BODY_BYTES)),
                   help="size limit of a request body, refused before the app reads it "
                        "(env LEANGEN_MAX_BODY_BYTES; default %(default)s)")
    g.add_argument("--public-url", type=public_url, default=os.environ.get("LEANGEN_PUBLIC_URL") or None,
                   help="the URL clients reach this server at, used in the service description and VoID "
                        "(env LEANGEN_PUBLIC_URL; default http://HOST:PORT/)")
    g.add_argument("--trust-proxy", type=at_least(0, env="LEANGEN_TRUST_PROXY"), nargs="?", const="1",
                   metavar="HOPS", default=_env("LEANGEN_TRUST_PROXY", "0"),
                   help="honour X-Forwarded-For/-Proto/-Host/-Port/-Prefix from this many reverse proxies "
                        "in front (1 if given alone; env LEANGEN_TRUST_PROXY; default 0: ignored)")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number, 1–65535 (from --port or PORT)")
    return int(text)


def public_url(text: str) -> str:
    """An argparse type: the site root as clients see it, which self-descriptions name.

    The service description and VoID must not take the address from the request's Host header
    (anyone can send one), so it is configured; the viewer's links are absolute paths, so only a
    site root works (a path prefix would break them).
    """
    bad = argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL of a site root (from --public-url or "
                                     f"LEANGEN_PUBLIC_URL), {URL_EXAMPLE}")
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise bad from None
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password
            or parts.query or parts.fragment or "#" in text or parts.path not in ("", "/")
            or any(c.isspace() or c in "<>\"\\{}|^`" for c in text)):
        raise bad
    return f"{parts.scheme}://{parts.netloc}/"


def default_public_url(host: str, port: int) -> str:
    """``http://HOST:PORT/`` from the listening address (IPv6 literals in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def public_config(args: argparse.Namespace) -> dict[str, Any]:
    """The app.config entries for ``--public-url`` and ``--trust-proxy`` (see :mod:`viewer.security`)."""
    return {"PUBLIC_URL": args.public_url or default_public_url(args.host, args.port),
            "TRUST_PROXY": args.trust_proxy}


def waitress_options(connection_limit: int = CONNECTION_LIMIT, channel_timeout: int = CHANNEL_TIMEOUT,
                     max_header_bytes: int = MAX_HEADER_BYTES, max_body_bytes: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """waitress's limits, all explicit; the keyword defaults are the options' defaults.

    Stalled connections are looked for every half channel timeout (at most every 5 s), so one is
    closed between 1 and 1.5 channel timeouts after its last byte. ``poll()`` rather than
    ``select()``, which cannot watch more than 1024 sockets.
    """
    return {"connection_limit": connection_limit, "channel_timeout": channel_timeout,
            "cleanup_interval": max(1, min(5, channel_timeout // 2)),
            "max_request_header_size": max_header_bytes, "max_request_body_size": max_body_bytes,
            "asyncore_use_poll": True}


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """:func:`waitress_options` from the parsed options."""
    return waitress_options(args.connection_limit, args.channel_timeout, args.max_header_bytes,
                            args.max_body_bytes)


def raise_open_files(needed: int) -> int:
    """Raise the soft limit of open files to the hard limit when ``needed`` is above it.

    Each connection is a file descriptor; a soft limit of 1024 (common) would make waitress fail
    to accept long before ``--connection-limit``. Returns the limit now in force.
    """
    try:
        import resource
    except ImportError:  # not on POSIX: nothing to raise
        return needed
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return needed
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return needed if hard == resource.RLIM_INFINITY else hard


def make_server(app: Any, host: str, port: int, *, threads: int = 8, ident: str | None = "leangen-kg",
                options: dict[str, Any] | None = None) -> Any:
    """A waitress server with our limits (``build.py serve``, the tests' live server, the benchmarks)."""
    import waitress

    opts = options or waitress_options()
    allowed = raise_open_files(opts["connection_limit"] + RESERVED_FILES)
    if allowed < opts["connection_limit"] + RESERVED_FILES:
        print(f"warning: this system allows {allowed} open files, fewer than --connection-limit "
              f"{opts['connection_limit']} needs; lower it or raise `ulimit -Hn`", file=sys.stderr)
    return waitress.create_server(app, host=host, port=port, threads=threads, ident=ident, **opts)


def run(args: argparse.Namespace) -> int:
    """Open the store, make the app, warm the network, serve until interrupted."""
    from store import StoreError, open_store
    from viewer import network
    from viewer.app import create_app
    from viewer.sparql_serve import sparql_config, store_options

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    spec = args.store or os.environ.get("LEANGEN_STORE") or args.dist
    try:
        store = open_store(spec, **store_options(args, spec))
    except StoreError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    isolation = getattr(store, "health", dict)().get("network_isolation")
    if isolation:
        print(f"query workers: network isolation {isolation}", file=sys.stderr)
    config: dict[str, Any] = {"STORE": store, "DIST_DIR": args.dist, **sparql_config(args), **public_config(args)}
    base = getattr(args, "base", None)
    if base:
        config["BASE_IRI"] = base
    app = create_app(config)
    try:
        try:
            server = make_server(app, args.host, args.port, threads=args.threads, options=server_options(args))
        except OSError as err:
            print(f"error: cannot listen on {args.host}:{args.port}: {err.strerror}. Is another "
                  "`build.py serve` running there? Stop it or pick another --port.", file=sys.stderr)
            return 2
        network.warm_up(app)
        print(f"Leangen KG viewer on http://{args.host}:{args.port}/  (Ctrl-C to stop)")
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        store.close()
    return 0
