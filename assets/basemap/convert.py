#!/usr/bin/env python3
"""Converts Natural Earth 1:50m countries, as TopoJSON in npm's `world-atlas` package, into the
small basemap corridor embeds: country polygons clipped to the region, and the lines between
them, split into land borders (an arc two countries share) and coastline (an arc one country
has alone: sea shores and the Caspian's).

Usage: python3 convert.py path/to/world-atlas/countries-50m.json

Writes countries.geojson (Polygon/MultiPolygon, properties `name`, `iso_n3`) and
lines.geojson (MultiLineString, properties `kind` = border|coast) beside this script.
Plain Python 3, no third-party module; the output is deterministic (sorted, rounded to
0.001 degree, about 100 m, finer than the 1:50m source).
"""
import json
import os
import sys

# Region: Istanbul and Ankara in the west, Moscow in the north, the Kazakh and Turkmen Caspian
# shore in the east, Tehran in the south (data/caucasus/nodes.geojson spans 28.98..52.97 E,
# 35.69..55.76 N), with a margin.
WEST, SOUTH, EAST, NORTH = 26.0, 34.0, 62.0, 58.0
DIGITS = 3


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, indices):
    pts = []
    for i in indices:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def clip_ring(pts):
    """Sutherland-Hodgman against the region's four edges."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: cross_x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: cross_x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: cross_y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: cross_y(a, b, NORTH)),
    ]
    for inside, cut in edges:
        if not pts:
            return []
        out = []
        prev = pts[-1]
        for p in pts:
            if inside(p):
                if not inside(prev):
                    out.append(cut(prev, p))
                out.append(p)
            elif inside(prev):
                out.append(cut(prev, p))
            prev = p
        pts = out
    return pts


def cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def inside_box(p):
    return WEST <= p[0] <= EAST and SOUTH <= p[1] <= NORTH


def clip_line(pts):
    """Pieces of a polyline inside the region (Liang-Barsky per segment)."""
    pieces, cur = [], []
    for a, b in zip(pts, pts[1:]):
        dx, dy = b[0] - a[0], b[1] - a[1]
        t0, t1, ok = 0.0, 1.0, True
        for p, q in ((-dx, a[0] - WEST), (dx, EAST - a[0]), (-dy, a[1] - SOUTH), (dy, NORTH - a[1])):
            if p == 0:
                if q < 0:
                    ok = False
                    break
            else:
                r = q / p
                if p < 0:
                    t0 = max(t0, r)
                else:
                    t1 = min(t1, r)
        if not ok or t0 > t1:
            if cur:
                pieces.append(cur)
                cur = []
            continue
        s = (a[0] + t0 * dx, a[1] + t0 * dy)
        e = (a[0] + t1 * dx, a[1] + t1 * dy)
        if not cur:
            cur = [s]
        cur.append(e)
        if t1 < 1.0:
            pieces.append(cur)
            cur = []
    if cur:
        pieces.append(cur)
    return pieces


def rounded(pts):
    out = []
    for x, y in pts:
        p = [round(x, DIGITS), round(y, DIGITS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def area(pts):
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(pts, pts[1:] + pts[:1]))


def main():
    src = sys.argv[1]
    topo = json.load(open(src))
    arcs = decode_arcs(topo)
    geoms = topo["objects"]["countries"]["geometries"]
    users = [0] * len(arcs)
    countries = []
    for g in geoms:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for poly in polys:
            for r in poly:
                for i in r:
                    users[i if i >= 0 else ~i] += 1
        parts = []
        for poly in polys:
            rings = []
            for k, r in enumerate(poly):
                c = rounded(clip_ring(ring(arcs, r)))
                if len(c) >= 3 and abs(area(c)) > 1e-6:
                    c.append(c[0])
                    rings.append(c)
                elif k == 0:
                    break
            if rings:
                parts.append(rings)
        if parts:
            countries.append((g["properties"]["name"], g.get("id", ""), parts))
    countries.sort(key=lambda c: c[0])
    features = []
    for name, iso, parts in countries:
        geom = {"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1 else {"type": "MultiPolygon", "coordinates": parts}
        features.append({"type": "Feature", "properties": {"name": name, "iso_n3": iso}, "geometry": geom})
    here = os.path.dirname(os.path.abspath(__file__))
    write(os.path.join(here, "countries.geojson"), "basemap_countries", features)
    lines = {"border": [], "coast": []}
    for i, a in enumerate(arcs):
        if users[i] == 0:
            continue
        kind = "border" if users[i] >= 2 else "coast"
        for piece in clip_line(a):
            p = rounded(piece)
            if len(p) >= 2:
                lines[kind].append(p)
    features = [
        {"type": "Feature", "properties": {"kind": k}, "geometry": {"type": "MultiLineString", "coordinates": v}}
        for k, v in sorted(lines.items())
    ]
    write(os.path.join(here, "lines.geojson"), "basemap_lines", features)


def write(path, name, features):
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "name": name, "features": features}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(features)} features, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
