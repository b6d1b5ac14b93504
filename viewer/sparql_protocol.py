"""The SPARQL 1.1 Protocol's rules for a request and its answer's format, apart from the views.

Reading the parameters (GET query string, form body or ``application/sparql-query`` body, UTF-8
only, within the size limit) and choosing the result format (``format=`` or ``Accept``). Every
breach is a :class:`ProtocolError` with the status and message the client gets.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header

from viewer.sparql_formats import KIND_FORMATS, MEDIA, media_types, resolve_format


class ProtocolError(Exception):
    """A request the protocol does not allow: answered with ``status`` and ``message`` as plain text."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text answer (errors, refusals): one line a person or a script can read."""
    resp = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    resp.headers.update(headers or {})
    return resp


def read_params(limit: int) -> dict[str, list[str]]:
    """The protocol parameters, from the URL (GET) or the body (POST), with the protocol's rules."""
    if request.method in ("GET", "HEAD"):
        if len(request.query_string) > 3 * limit:
            raise ProtocolError(414, f"the query string is longer than the limit of {limit} bytes")
        _require_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" ")), "the URL's query string")
        return {k: request.args.getlist(k) for k in request.args}
    request.max_content_length = limit + 4096
    ctype_header = request.headers.get("Content-Type", "")
    ctype, opts = parse_options_header(ctype_header)
    try:
        if ctype == "application/x-www-form-urlencoded":
            _require_utf8(unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")), "the form body",
                          opts.get("charset"))
            form = request.form
            params = {k: form.getlist(k) for k in form}
            for k in request.args:  # the protocol puts everything in the body; a second query is an error
                if k in ("query", "update"):
                    params.setdefault(k, []).extend(request.args.getlist(k))
            return params
        if ctype in ("application/sparql-query", "application/sparql-update"):
            text = _require_utf8(request.get_data(cache=True), "the request body", opts.get("charset"))
            params = {k: request.args.getlist(k) for k in request.args}
            if ctype == "application/sparql-update":
                raise ProtocolError(403, "updates are not allowed: this endpoint is read-only")
            if "query" in params:
                raise ProtocolError(400, "a query in the body and a `query` parameter in the URL: send one")
            params["query"] = [text]
            return params
    except RequestEntityTooLarge:
        raise ProtocolError(413, f"the request body is longer than the limit of {limit} bytes") from None
    if not ctype:
        raise ProtocolError(415, "a POST needs a Content-Type: application/x-www-form-urlencoded or "
                            "application/sparql-query")
    raise ProtocolError(415, f"unsupported Content-Type {ctype!r}: use application/x-www-form-urlencoded "
                        "or application/sparql-query")


def _require_utf8(data: bytes, what: str, charset: str | None = None) -> str:
    """The text of a query as sent; the protocol allows UTF-8 only, so anything else is a 400.

    Refused rather than decoded (a UTF-16 body, say, would decode): a client that sends another
    charset is wrong, and should hear so instead of getting an answer to a query it did not mean.
    """
    if charset and charset.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"{what} is declared as charset={charset}; the SPARQL protocol "
                            "requires UTF-8: send the query encoded as UTF-8 (or leave out charset)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); the SPARQL protocol requires UTF-8: send the query encoded "
                            "as UTF-8") from None


def negotiate(kind: str, fmt_param: str | None) -> tuple[str, str]:
    """The format and media type to answer a ``kind`` of result in, by ``format=`` or ``Accept``.

    An explicit ``format=`` that cannot carry the result is a 406 naming the formats that can. An
    ``Accept`` that names none of them gets the kind's default format, labelled with its
    Content-Type, as HTTP allows: clients parse by Content-Type, and some ask for one format for
    every kind of query (rdflib's SPARQLStore asks for SPARQL JSON also for a CONSTRUCT, and for CSV
    also for an ASK, which CSV cannot carry).
    """
    allowed = KIND_FORMATS[kind]
    if fmt_param:
        fmt = resolve_format(fmt_param, kind)
        if fmt is None:
            article = "an" if kind == "ask" else "a"
            raise ProtocolError(406, f"format {fmt_param!r} does not apply to {article} {kind.upper()} result; "
                                f"use one of: {', '.join(allowed)}")
        return fmt, MEDIA[fmt]
    table = media_types(kind)
    accept = request.accept_mimetypes
    best = accept.best_match(list(table)) if accept and accept.values() else None
    if best is None:
        return allowed[0], MEDIA[allowed[0]]
    return table[best], best
