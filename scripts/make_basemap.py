"""Make the site's base map (coastlines only) from Natural Earth's land polygons.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py package/land-50m.json xslt/basemap/land.svg 0.1

world-atlas (ISC licence, Mike Bostock) redistributes Natural Earth's vector data (public
domain) as TopoJSON, quantized in longitude/latitude degrees. This script decodes the `land`
object's arcs, rounds every vertex to STEP degrees, drops repeated vertices and rings that
collapse, and writes one SVG path in plain longitude/-latitude coordinates (x = lon,
y = -lat), so a page projects it with a transform. Land outlines only: modern borders are
wrong for the period of most archival corpora. The build reads the written file; this
script is needed only to remake it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat): undo the delta encoding and quantization."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    return pts


def polygons(topo: dict, name: str = "land"):
    arcs = decode_arcs(topo)
    for geom in topo["objects"][name]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            yield [ring(arcs, r) for r in poly]


def unwrap(pts: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """Longitudes made continuous across the antimeridian (Chukotka at 190, not -170), so a
    ring is drawn without a line across the map; None for a ring around a pole (Antarctica),
    which cannot be drawn in this projection."""
    out = [pts[0]]
    for lon, lat in pts[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    if abs(out[-1][0] - out[0][0]) > 1e-6:
        return None
    mean = sum(lon for lon, _ in out) / len(out)
    shift = 360 * round(mean / 360)  # back to the side of the map where most of it lies
    return [(lon - shift, lat) for lon, lat in out]


def path_data(topo: dict, step: float) -> str:
    def q(v: float) -> str:
        r = round(round(v / step) * step, 6)
        return f"{r:g}"

    parts = []
    for poly in polygons(topo):
        for r in poly:
            r = unwrap(r)
            if r is None:
                continue
            pts = []
            for lon, lat in r:
                p = (q(lon), q(-lat))
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) < 4:
                continue
            parts.append("M" + " ".join(f"{x} {y}" for x, y in pts) + "Z")
    return "".join(parts)


def main(argv: list[str]) -> int:
    src, dest = Path(argv[1]), Path(argv[2])
    step = float(argv[3]) if len(argv) > 3 else 0.1
    topo = json.loads(src.read_text(encoding="utf-8"))
    d = path_data(topo, step)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180">\n'
           f'<!-- Land outlines from Natural Earth ({src.name}, public domain), via the world-atlas npm package '
           f'(ISC); vertices rounded to {step} degrees; x = longitude, y = -latitude. Made by scripts/make_basemap.py. -->\n'
           f'<path id="land" d="{d}"/>\n</svg>\n')
    dest.write_text(svg, encoding="utf-8")
    print(f"{dest}: {len(svg)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
