"""``python build.py serve``: the viewer and the SPARQL endpoint on 127.0.0.1.

waitress (a production WSGI server with threads) rather than Flask's development server, because
a workshop room may open the network on many laptops at once. The store is opened once here and
shared by every page; the network layout is computed in the background right away, so the first
visitor of /network does not wait for it.

The HTTP server's own limits are set here, explicitly, because waitress's defaults let a hundred
stalled connections lock everyone else out for two minutes (slowloris). Every option, its
environment variable and its default come from the settings table (:mod:`graph.settings`, listed
in docs/settings.md); this module only says what the parsed values feed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from graph import settings

RESERVED_FILES = 64  # descriptors besides connections: store workers' pipes, dist files, logs


def register(sub: Any) -> None:
    """Add the ``serve`` subcommand to build.py, its options from the settings table."""
    settings.add_command(sub, "serve", run)


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """The app.config entries the options feed: the endpoint's limits, public URL, proxy trust."""
    return settings.feeds(args, settings.CONFIG)


def store_options(args: argparse.Namespace, spec: Any) -> dict[str, Any]:
    """Keyword options for :func:`store.open_store`: the embedded or the remote store's rows."""
    remote = str(spec).startswith(("http://", "https://"))
    return settings.feeds(args, settings.REMOTE if remote else settings.EMBEDDED)


def waitress_options(**limits: int) -> dict[str, Any]:
    """waitress's limits, all explicit; a limit not given is the option's default.

    Stalled connections are looked for every half channel timeout (at most every 5 s), so one is
    closed between 1 and 1.5 channel timeouts after its last byte. ``poll()`` rather than
    ``select()``, which cannot watch more than 1024 sockets.
    """
    lim = {**settings.defaults(settings.WAITRESS), **limits}
    return {"connection_limit": lim["connection_limit"], "channel_timeout": lim["channel_timeout"],
            "cleanup_interval": max(1, min(5, lim["channel_timeout"] // 2)),
            "max_request_header_size": lim["max_header_bytes"], "max_request_body_size": lim["max_body_bytes"],
            "asyncore_use_poll": True}


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """:func:`waitress_options` from the parsed options."""
    return waitress_options(**settings.feeds(args, settings.WAITRESS))


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


def make_server(app: Any, host: str, port: int, *, threads: int | None = None, ident: str | None = "leangen-kg",
                options: dict[str, Any] | None = None) -> Any:
    """A waitress server with our limits (``build.py serve``, the tests' live server, the benchmarks).

    Limits and threads not given are the options' defaults.
    """
    import waitress

    opts = options or waitress_options()
    allowed = raise_open_files(opts["connection_limit"] + RESERVED_FILES)
    if allowed < opts["connection_limit"] + RESERVED_FILES:
        print(f"warning: this system allows {allowed} open files, fewer than --connection-limit "
              f"{opts['connection_limit']} needs; lower it or raise `ulimit -Hn`", file=sys.stderr)
    threads = threads or settings.default_value("serve", "--threads")
    return waitress.create_server(app, host=host, port=port, threads=threads, ident=ident, **opts)


def run(args: argparse.Namespace) -> int:
    """Open the store, make the app, warm the network, serve until interrupted."""
    from store import StoreError, open_store
    from viewer import network
    from viewer.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    taken = _cannot_listen(args.host, args.port)  # said at once, before the store's workers start
    if taken:
        return _port_error(args, taken)
    spec = settings.value(args, settings.setting("serve", "--store"))
    try:
        store = open_store(spec, **store_options(args, spec))
    except StoreError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    isolation = getattr(store, "health", dict)().get("network_isolation")
    if isolation:
        print(f"query workers: network isolation {isolation}", file=sys.stderr)
    config: dict[str, Any] = {"STORE": store, "DIST_DIR": args.dist, **app_config(args)}
    base = getattr(args, "base", None)
    if base:
        config["BASE_IRI"] = base
    app = create_app(config)
    try:
        try:
            server = make_server(app, args.host, args.port, threads=args.threads, options=server_options(args))
        except OSError as err:  # taken since the check above
            return _port_error(args, err)
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


def _cannot_listen(host: str, port: int) -> OSError | None:
    """Why ``host:port`` cannot be listened on (taken, not ours), or None. Bound as waitress binds
    (``SO_REUSEADDR``), so a port in TIME_WAIT is free and one with a listener is not."""
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        return err
    return None


def _port_error(args: argparse.Namespace, err: OSError) -> int:
    print(f"error: cannot listen on {args.host}:{args.port}: {err.strerror or err}. Is another "
          "`build.py serve` running there? Stop it or pick another --port.", file=sys.stderr)
    return 2
