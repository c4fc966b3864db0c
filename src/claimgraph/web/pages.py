"""Server-rendered pages: the article reader, actors, contested claims, timeline,
network and search. Each page is a template over the same ``Store`` calls the API
makes; charts fetch their data from the API.

All article text reaches the templates either as plain strings (Jinja2 escapes them)
or as markup built by :mod:`claimgraph.web.highlight`, which escapes every piece.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from claimgraph.filters import Filters, query_dependency
from claimgraph.web.app import NotFoundError, package_path, state_of
from claimgraph.web.highlight import article_blocks, marked_sentence

router = APIRouter(include_in_schema=False)

#: Rows per page in the HTML lists (the API allows larger pages).
PAGE_SIZE = 25
#: Timeline rows listed under the chart (the chart counts them all).
TIMELINE_ROWS = 500
Page = Annotated[int, Query(ge=1, le=100_000)]
Text = Annotated[str | None, Query(max_length=200)]


def actor_url(entity_id: str | None) -> str | None:
    """The actor page of an entity id (ids hold spaces and colons, so quote them)."""
    return None if not entity_id else "/actors/" + quote(entity_id, safe="")


def speaker_urls(store: Any, statements: list[Any]) -> dict[str, str]:
    """Statement id -> the actor page of its speaker, for statements whose speaker is
    resolved to an entity (the others are shown unlinked)."""
    found = store.speaker_entities([s.id for s in statements])
    return {sid: url for sid, eid in found.items() if (url := actor_url(eid))}


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask for it on every page; answering spares a 404 in every console."""
    return FileResponse(
        package_path("static") / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def _render(request: Request, template: str, **context: Any) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    context.setdefault("nav", "")
    return templates.TemplateResponse(request, template, context)


def _pager(request: Request, page: int, total: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Previous/next links that keep the other query parameters."""
    pages = max(1, -(-total // size))
    params = {k: v for k, v in request.query_params.items() if k != "page"}

    def link(n: int) -> str | None:
        if n < 1 or n > pages:
            return None
        return "?" + urlencode({**params, "page": n})

    return {
        "page": page,
        "pages": pages,
        "total": total,
        "first": (page - 1) * size + 1 if total else 0,
        "last": min(total, page * size),
        "prev": link(page - 1),
        "next": link(page + 1),
    }


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    state = state_of(request)
    store = state.store()
    return _render(
        request,
        "home.html",
        nav="home",
        overview=store.overview(),
        contested_total=store.count_contested(),
        contested_preview=[c.to_dict() for c in store.contested(limit=3)],
        latest=store.document_summaries(limit=6),
        speakers=store.entity_page(limit=8)[0],
    )


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, q: Text = None, outlet: Text = None, page: Page = 1) -> Response:
    store = state_of(request).store()
    rows = store.document_summaries(
        q=q, outlet=outlet, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    total = store.count_document_summaries(q=q, outlet=outlet)
    return _render(
        request,
        "documents.html",
        nav="documents",
        title="Articles",
        rows=rows,
        q=q or "",
        outlet=outlet or "",
        paging=_pager(request, page, total),
    )


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def reader(request: Request, doc_id: str) -> Response:
    store = state_of(request).store()
    view = store.document_view(doc_id)
    if view is None:
        raise NotFoundError("document", doc_id)
    blocks = article_blocks(view.text, view.sections, view.attributions, view.events)
    # What the popover shows, keyed by local id; embedded as JSON (tojson escapes
    # "<", ">" and "&", so no article text can end the script element).
    info = {
        "attributions": {a["id"]: _att_info(a) for a in view.attributions},
        "events": {e["id"]: _event_info(e, view.attributions) for e in view.events},
    }
    stances = Counter(a["stance"] for a in view.attributions)
    claims = [c.to_dict() for c in store.claims(document=doc_id, limit=200)]
    return _render(
        request,
        "reader.html",
        nav="documents",
        title=view.summary.headline or view.summary.name,
        doc=view.summary,
        blocks=blocks,
        attributions=view.attributions,
        events=view.events,
        info=info,
        stances=stances.most_common(),
        claims=claims,
        actor_url=actor_url,
    )


def _who(actor: dict[str, Any] | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {
        "name": actor["name"],
        "type": actor["type"],
        "country": actor["country"],
        "role": actor["role"],
        "url": actor_url(actor.get("entity")),
    }


def _att_info(att: dict[str, Any]) -> dict[str, Any]:
    source = att.get("source") or {}
    spans: list[dict[str, Any]] = [att[k] for k in ("source", "cue", "content") if att.get(k)]
    return {
        "id": att["id"],
        "start": min(int(sp["start"]) for sp in spans) if spans else 0,
        "end": max(int(sp["end"]) for sp in spans) if spans else 0,
        "speaker": _who(att.get("speaker")),
        "source": source.get("text"),
        "channel": _who(att.get("channel")),
        "cue": (att.get("cue") or {}).get("text"),
        "stance": att["stance"],
        "kind": att["kind"],
        "content": (att.get("content") or {}).get("said"),
    }


def _event_info(ev: dict[str, Any], atts: list[dict[str, Any]]) -> dict[str, Any]:
    voice = "the publisher"
    carrier = next((a for a in atts if a["id"] == ev.get("attribution")), None)
    if carrier is not None:
        speaker = carrier.get("speaker")
        voice = speaker["name"] if speaker else ((carrier.get("source") or {}).get("text") or "?")
    time = ev.get("time") or {}
    trigger = ev.get("trigger") or {}
    return {
        "id": ev["id"],
        "start": int(trigger.get("start") or 0),
        "type": ev["type"],
        "mode": ev.get("mode"),
        "trigger": (ev.get("trigger") or {}).get("text"),
        "actor": _who(ev.get("actor")),
        "target": _who(ev.get("target")),
        "object": (ev.get("object") or {}).get("text"),
        "polarity": ev["polarity"],
        "modality": ev["modality"],
        "time": time.get("value") or time.get("text"),
        "voice": voice,
    }


@router.get("/actors", response_class=HTMLResponse)
def actors(
    request: Request, name: Text = None, type: Text = None, country: Text = None, page: Page = 1
) -> Response:
    store = state_of(request).store()
    rows, total = store.entity_page(
        name=name,
        type=type or None,
        country=country or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    return _render(
        request,
        "actors.html",
        nav="actors",
        title="Actors",
        rows=rows,
        name=name or "",
        type=type or "",
        country=country or "",
        paging=_pager(request, page, total),
        actor_url=actor_url,
    )


@router.get("/actors/{entity_id:path}", response_class=HTMLResponse)
def actor(request: Request, entity_id: str) -> Response:
    store = state_of(request).store()
    if not store.entities(entity_id=entity_id):
        raise NotFoundError("actor", entity_id)
    profile = store.entity_profile(entity_id, limit=200)
    if profile is None:  # pragma: no cover - deleted between the two queries
        raise NotFoundError("actor", entity_id)
    claims = [c.to_dict() for c in store.claims(by=entity_id, limit=100)]
    # Activity per month, for the "over time" chart.
    months: dict[str, Counter[str]] = {}
    for label, rows in (("said", profile.said), ("said about", profile.said_about)):
        for s in rows:
            if s.published:
                months.setdefault(s.published[:7], Counter())[label] += 1
    for label, evs in (("acts", profile.acts), ("targeted", profile.targeted)):
        for e in evs:
            if e.date:
                months.setdefault(e.date[:7], Counter())[label] += 1
    series = ["said", "said about", "acts", "targeted"]
    chart = {
        "months": sorted(months),
        "series": [{"name": s, "data": [months[m][s] for m in sorted(months)]} for s in series],
    }
    return _render(
        request,
        "actor.html",
        nav="actors",
        title=profile.entity.name,
        profile=profile,
        claims=claims,
        chart=chart,
        actor_url=actor_url,
        speaker_url=speaker_urls(store, profile.said_about),
        network_api="/api/network?" + urlencode({"actor": entity_id}),
    )


@router.get("/statements", response_class=HTMLResponse)
def statements(
    request: Request,
    filters: Annotated[Filters, Depends(query_dependency("statements"))],
    about: Text = None,
    page: Page = 1,
) -> Response:
    """The statements the API's ``/api/statements`` lists for the same query string
    (one filter definition, the confidence threshold included), a page at a time."""
    store = state_of(request).store()
    rows, total = store.statement_page(
        about=about,
        filters=filters,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    return _render(
        request,
        "statements.html",
        nav="statements",
        title="Statements",
        rows=rows,
        speaker=filters.speaker or "",
        about=about or filters.text or "",
        stance=filters.stance or "",
        min_confidence=filters.min_confidence or 0,  # None: no threshold, i.e. 0
        paging=_pager(request, page, total),
        speaker_url=speaker_urls(store, rows),
    )


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, type: Text = None, page: Page = 1) -> Response:
    store = state_of(request).store()
    rows, total = store.event_page(
        type=type or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return _render(
        request,
        "events.html",
        nav="events",
        title="Events",
        rows=rows,
        type=type or "",
        paging=_pager(request, page, total),
    )


@router.get("/contested", response_class=HTMLResponse)
def contested(request: Request, about: Text = None, page: Page = 1) -> Response:
    store = state_of(request).store()
    offset = (page - 1) * PAGE_SIZE
    rows = [c.to_dict() for c in store.contested(limit=PAGE_SIZE, offset=offset, about=about)]
    for row in rows:
        row["columns"] = contest_columns(row)
    total = store.count_contested(about=about)
    return _render(
        request,
        "contested.html",
        nav="contested",
        title="Contested claims",
        rows=rows,
        about=about or "",
        paging=_pager(request, page, total),
        actor_url=actor_url,
        quote_html=quote_html,
    )


#: Each side of a contested item shows this many quotes; the rest fold away
CONTEST_QUOTES = 2

#: Column headings per kind of contest: side A, side B
CONTEST_LABELS = {
    "polarity": ("Affirming", "Denying"),
    "time": ("Says it happened earlier", "Says it happened later"),
    "quantity": ("Says fewer", "Says more"),
}


def contest_columns(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A contested item's two columns, each with its heading, its voices, the quotes
    shown (the ``CONTEST_QUOTES`` most confident, in reading order; the first ones where
    none is scored) and the rest, folded."""
    labels = CONTEST_LABELS.get(item["kind"], CONTEST_LABELS["polarity"])
    confidence = item.get("confidence") or {}
    copies = item.get("republications") or {}
    statements = [
        {
            **s,
            "confidence": confidence.get(s["claim"]),
            "republications": copies.get(s["claim"], {}).get("count", 0),
            "republished_in": copies.get(s["claim"], {}).get("documents", []),
        }
        for s in item["statements"]
    ]
    out = []
    for side, label in zip(("affirm", "deny"), labels, strict=True):
        said = [s for s in statements if s["side"] == side]
        ranked = sorted(
            range(len(said)),
            key=lambda n: (said[n].get("confidence") is None, -(said[n].get("confidence") or 0), n),
        )
        best = set(ranked[:CONTEST_QUOTES])
        out.append(
            {
                "side": side,
                "label": label,
                "voices": item[side],
                "shown": [s for n, s in enumerate(said) if n in best],
                "rest": [s for n, s in enumerate(said) if n not in best],
            }
        )
    return out


def quote_html(statement: dict[str, Any]) -> Any:
    """A statement's sentence, escaped, with its evidence marked."""
    text = str(statement.get("text") or "")
    start = int(statement.get("start") or 0)
    ev = statement.get("evidence") or {}
    ranges = []
    if ev.get("start") is not None and ev.get("end") is not None:
        ranges.append((int(ev["start"]) - start, int(ev["end"]) - start))
    return marked_sentence(text, ranges)


@router.get("/threads/{thread_id}", response_class=HTMLResponse)
def thread(request: Request, thread_id: str) -> Response:
    store = state_of(request).store()
    found = store.thread(thread_id)
    if found is None:
        raise NotFoundError("claim thread", thread_id)
    data = found.to_dict()
    return _render(
        request,
        "thread.html",
        nav="contested",
        title=data.get("proposition") or thread_id,
        thread=data,
        actor_url=actor_url,
        quote_html=quote_html,
    )


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, actor: Text = None, thread: Text = None) -> Response:
    """One actor's (or one thread's) events and claims in time order; without either,
    the most quoted actor's, with the others to choose from."""
    store = state_of(request).store()
    choices = store.entity_page(limit=15)[0]
    if not actor and not thread and choices:
        actor = choices[0].id
    items = []
    if actor or thread:
        items = [t.to_dict() for t in store.timeline(actor=actor, thread=thread)]
    per_day: dict[str, Counter[str]] = {}
    for item in items:
        if item.get("date"):
            per_day.setdefault(str(item["date"])[:10], Counter())[str(item["kind"])] += 1
    days = sorted(per_day)
    chart = {
        "days": days,
        "series": [{"name": k, "data": [per_day[d][k] for d in days]} for k in ("event", "claim")],
    }
    names = {e.id: e.name for e in choices}
    if actor and actor not in names:
        found = store.entities(entity_id=actor)
        names[actor] = found[0].name if found else actor
    return _render(
        request,
        "timeline.html",
        nav="timeline",
        title="Timeline",
        items=items[:TIMELINE_ROWS],
        shown=min(len(items), TIMELINE_ROWS),
        total=len(items),
        chart=chart,
        actor=actor or "",
        actor_name=names.get(actor or "", ""),
        thread=thread or "",
        choices=choices,
        actor_url=actor_url,
    )


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, actor: Text = None) -> Response:
    api = "/api/network" + ("?" + urlencode({"actor": actor}) if actor else "")
    return _render(
        request, "network.html", nav="network", title="Actor network", api=api, actor=actor or ""
    )


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str | None, Query(pattern="^(actor|document|statement)$")] = None,
    page: Page = 1,
) -> Response:
    store = state_of(request).store()
    size = PAGE_SIZE if kind else 10
    groups: list[dict[str, Any]] = []
    method = note = None
    speakers: dict[str, str] = {}
    if q.strip():
        kinds = [kind] if kind else ["actor", "document", "statement"]
        for k in kinds:
            result = store.search(q, kinds=[k], limit=size, offset=(page - 1) * size)
            method, note = result.method, result.note
            groups.append(
                {
                    "kind": k,
                    "total": result.total,
                    "hits": [
                        {"hit": h, "snippet": marked_sentence(h.snippet, h.highlights)}
                        for h in result.items
                    ],
                    "more": "/search?" + urlencode({"q": q, "kind": k}),
                }
            )
            if k == "statement":
                speakers = speaker_urls(store, result.items)
    total = groups[0]["total"] if kind and groups else 0
    return _render(
        request,
        "search.html",
        nav="search",
        title=f"Search: {q}" if q else "Search",
        q=q,
        kind=kind,
        groups=groups,
        method=method,
        note=note,
        paging=_pager(request, page, total) if kind else None,
        actor_url=actor_url,
        speaker_url=speakers,
    )
