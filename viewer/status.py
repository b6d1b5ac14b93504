"""The promise tracker's pages: ``/status`` (counts as of a date, each number a link to its list),
``/status/at-risk`` (what a stalled or broken commitment holds up), ``/status.atom`` (status changes),
and the status history that the commitment page includes (``templates/status_history.html``).

The arithmetic is :mod:`graph.tracker`'s, over rows read from the app's store with its queries, so
the pages show what the store holds under any base IRI. Register with ``status.init_app(app)``.
"""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree

from flask import Blueprint, Response, abort, render_template, request

from graph import tracker
from viewer import i18n, kg

bp = Blueprint("status", __name__)
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GROUPINGS = ("area", "strength", "borough")


def data() -> tracker.Tracker:
    """The tracker's rows from the store, read once (the graph is read-only)."""
    return kg.cached("status", lambda: tracker.collect(kg.select))


def as_of() -> str:
    """The ``as_of`` parameter (ISO date), today by default; anything else is a 400 that says why."""
    text = request.args.get("as_of") or datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        abort(400, description=i18n.t("as_of_not_a_date").format(value=repr(text)))


def _filters(t: tracker.Tracker, statuses: dict[str, str]) -> tuple[dict[str, str], list[dict[str, Any]]] | None:
    """The list behind a number: the commitments matching ``status`` and one of ``area``/``strength``/``borough``."""
    chosen = {k: request.args[k] for k in ("status", *GROUPINGS) if request.args.get(k)}
    if not chosen:
        return None
    group_of = {by: tracker.groups(t, by) for by in GROUPINGS if by in chosen}
    latest = tracker.status_on(t.assessments, as_of())
    rows = [{**c, "status": statuses[c["commitment"]], "assessment": latest.get(c["commitment"])}
            for c in t.commitments
            if chosen.get("status", statuses[c["commitment"]]) == statuses[c["commitment"]]
            and all(any(iri == chosen[by] for iri, _ in group_of[by][c["commitment"]]) for by in group_of)]
    return chosen, rows


@bp.get("/status")
def status_page() -> str:
    t, day = data(), as_of()
    statuses = tracker.statuses_on(t, day)
    tables = {by: sorted(tracker.counts(statuses, tracker.groups(t, by)).items(), key=lambda kv: kv[0][1])
              for by in GROUPINGS}
    first = min((a.date for a in t.assessments), default=day)
    over_time = [(end, tracker.counts(tracker.statuses_on(t, end))[("", "")])
                 for end in tracker.month_ends(min(first, day), day)]
    return render_template(
        "status.html", as_of=day, statuses=tracker.STATUSES, overall=tracker.counts(statuses)[("", "")],
        tables=tables, over_time=over_time, listing=_filters(t, statuses),
        assessed=sum(s != tracker.NOT_ASSESSED for s in statuses.values()), total=len(statuses))


@bp.get("/status/at-risk")
def at_risk_page() -> str:
    t, day = data(), as_of()
    statuses = tracker.statuses_on(t, day)
    labels = {c["commitment"]: c["label"] for c in t.commitments}
    risks = tracker.at_risk(t.links, statuses)
    return render_template("status_at_risk.html", as_of=day, risks=risks, labels=labels, statuses=statuses)


def history(commitment: str) -> list[tracker.Assessment]:
    """A commitment's assessments, newest first (for the include on its page)."""
    return sorted((a for a in data().assessments if a.commitment == commitment), key=lambda a: a.date, reverse=True)


@bp.get("/status.atom")
def feed() -> Response:
    """Atom 1.0: one entry per status change, newest first, in the request's language (``?lang=en``;
    bokmål by default): titles and summaries name the statuses by pk:StatusScheme's labels, and the
    assessment's own note (written in bokmål) is the entry's content, marked ``xml:lang="nb"``."""
    t, language = data(), i18n.lang()
    labels = {c["commitment"]: c["label"] for c in t.commitments}
    changes = tracker.changes(t.assessments)
    root = ElementTree.Element("feed", {"xmlns": ATOM, XML_LANG: language})
    _text(root, "id", kg.base_iri() + "status")
    _text(root, "title", i18n.t("feed_title"))
    _text(root, "updated", _stamp(changes[0][0].date if changes else "2024-01-01"))
    ElementTree.SubElement(_text(root, "author", ""), "name").text = i18n.t("site")
    ElementTree.SubElement(root, "link", rel="self", href=_absolute("/status.atom"))
    for assessment, before in changes:
        entry = ElementTree.SubElement(root, "entry")
        commitment = labels.get(assessment.commitment, assessment.commitment)
        _text(entry, "id", assessment.iri)
        _text(entry, "title", f"{commitment}: {status_label(before)} → {status_label(assessment.status)}")
        _text(entry, "updated", _stamp(assessment.date))
        page = kg.local_path(assessment.commitment) or assessment.commitment
        ElementTree.SubElement(entry, "link", rel="alternate", href=_absolute(page) if page.startswith("/") else page)
        for source in assessment.sources:
            ElementTree.SubElement(entry, "link", rel="related", href=source["url"], title=source["title"])
        _text(entry, "summary", i18n.t("feed_summary").format(
            before=status_label(before), after=status_label(assessment.status), date=assessment.date))
        if assessment.note:
            _text(entry, "content", assessment.note).set(XML_LANG, "nb")
    body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _absolute(path: str) -> str:
    """An absolute URL of this site's ``path``, keeping the request's language."""
    return request.url_root.rstrip("/") + i18n.with_lang(path)


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = text or None
    return element


def _stamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def status_label(notation: str) -> str:
    """A status notation ('in-progress') in the reader's language: its concept's label in pk:StatusScheme."""
    return i18n.notation_label("StatusScheme", notation)


def reason_label(notation: str) -> str:
    """Why a commitment is broken ('priorities'): its concept's label in pk:BrokenReasonScheme."""
    return i18n.notation_label("BrokenReasonScheme", notation)


def init_app(app: Any) -> None:
    """Register the tracker's routes, and ``status_history(iri)``, ``status_label(notation)`` and
    ``reason_label(notation)`` for the templates (the commitment page's include among them)."""
    app.register_blueprint(bp)
    app.add_template_global(history, "status_history")
    app.add_template_global(status_label, "status_label")
    app.add_template_global(reason_label, "reason_label")
