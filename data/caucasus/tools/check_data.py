#!/usr/bin/env python3
"""Checks data/caucasus against docs/DATA-SCHEMA.md, independently of the Rust loader.

    python3 data/caucasus/tools/check_data.py [--lengths]

Exit status 1 on any error. `--lengths` prints the links whose published length_km differs from
their geodesic geometry length by more than 25 % (the README's table is made from it).
"""

import json
import os
import re
import sys
import tomllib

from geographiclib.geodesic import Geodesic

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(DATA))
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
errors = []


def err(msg):
    errors.append(msg)


def geod_km(a, b):
    return Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] / 1000.0


NODE_ORDER = ["id", "name", "aliases", "country", "region", "kind", "population", "coord_confidence",
              "transfers", "source", "countries", "status_rail", "status_road", "dwell_h_rail",
              "dwell_h_road", "fee_usd_per_t", "note"]
LINK_ORDER = ["id", "from", "to", "mode", "status", "name", "line", "gauge_mm", "dual_gauge", "carries",
              "tracks", "electrified", "speed_kmh", "length_km", "length_note", "capacity", "headway_h",
              "oneway", "country", "source", "note"]


def check_order(kind, fid, props, order):
    keys = list(props)
    unknown = [k for k in keys if k not in order]
    if unknown:
        err(f"{kind} {fid}: unknown properties {unknown}")
    idx = [order.index(k) for k in keys if k in order]
    if idx != sorted(idx):
        err(f"{kind} {fid}: properties not in schema order")


def main():
    nodes_doc = json.load(open(os.path.join(DATA, "nodes.geojson"), encoding="utf-8"))
    links_doc = json.load(open(os.path.join(DATA, "links.geojson"), encoding="utf-8"))
    if nodes_doc.get("name") != "nodes" or links_doc.get("name") != "links":
        err("FeatureCollection names must be 'nodes' and 'links'")
    nodes, lookup = {}, {}
    for f in nodes_doc["features"]:
        p = f["properties"]
        nid = p.get("id")
        check_order("node", nid, p, NODE_ORDER)
        if not nid or not ID.match(nid):
            err(f"bad node id {nid!r}")
        if nid in nodes:
            err(f"duplicate node id {nid}")
        if f["geometry"]["type"] != "Point":
            err(f"node {nid}: not a Point")
        for k in ("name", "country", "kind", "coord_confidence", "source"):
            if not p.get(k):
                err(f"node {nid}: missing {k}")
        if p.get("kind") not in ("city", "station", "junction", "border", "port"):
            err(f"node {nid}: bad kind")
        if p.get("coord_confidence") not in ("high", "medium", "low"):
            err(f"node {nid}: bad coord_confidence")
        for t in filter(None, p.get("transfers", "").split("|")):
            if t not in ("gauge", "transship"):
                err(f"node {nid}: bad transfer {t}")
        if p.get("kind") == "border":
            cs = p.get("countries", "").split("|")
            if len(cs) != 2 or cs[0] == cs[1] or p["country"] not in cs:
                err(f"border {nid}: bad countries")
            if "status_rail" not in p and "status_road" not in p:
                err(f"border {nid}: no mode status")
            for k in ("status_rail", "status_road"):
                if k in p and p[k] not in ("open", "closed"):
                    err(f"border {nid}: bad {k}")
        elif any(k in p for k in ("countries", "status_rail", "status_road")):
            err(f"node {nid}: border properties on a non-border node")
        lon, lat = f["geometry"]["coordinates"]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            err(f"node {nid}: coordinates out of range")
        nodes[nid] = p | {"_pos": (lon, lat)}
        for label in [nid, p["name"]] + [a for a in p.get("aliases", "").split("|") if a]:
            key = label.lower()
            if key in lookup and lookup[key] != nid:
                err(f"label {label!r} names both {lookup[key]} and {nid}")
            lookup[key] = nid

    def countries_of(n):
        p = nodes[n]
        return p["countries"].split("|") if p["kind"] == "border" else [p["country"]]

    links, long_off = {}, []
    for f in links_doc["features"]:
        p = f["properties"]
        lid = p.get("id")
        check_order("link", lid, p, LINK_ORDER)
        if not lid or not ID.match(lid):
            err(f"bad link id {lid!r}")
        if lid in links:
            err(f"duplicate link id {lid}")
        for k in ("from", "to", "mode", "status", "name", "source"):
            if not p.get(k):
                err(f"link {lid}: missing {k}")
        if p.get("mode") not in ("rail", "road", "ferry"):
            err(f"link {lid}: bad mode")
        if p.get("status") not in ("open", "closed", "destroyed", "planned", "under_construction"):
            err(f"link {lid}: bad status")
        if p["from"] not in nodes or p["to"] not in nodes:
            err(f"link {lid}: unknown end")
            continue
        if p["mode"] == "rail" and p.get("gauge_mm") not in (1520, 1435):
            err(f"link {lid}: rail needs gauge_mm")
        if p["mode"] == "ferry":
            if p.get("carries") not in ("rail", "road", "rail|road"):
                err(f"link {lid}: ferry needs carries")
            if "rail" in p.get("carries", "") and p.get("gauge_mm") not in (1520, 1435):
                err(f"link {lid}: rail ferry needs gauge_mm")
            if not p.get("headway_h"):
                err(f"link {lid}: ferry needs headway_h")
        elif "carries" in p:
            err(f"link {lid}: carries on a non-ferry")
        if p.get("length_km") is not None and not p.get("length_note"):
            err(f"link {lid}: length_km without length_note")
        coords = f["geometry"]["coordinates"]
        if f["geometry"]["type"] != "LineString" or len(coords) < 2:
            err(f"link {lid}: not a LineString")
        if tuple(coords[0]) != nodes[p["from"]]["_pos"] or tuple(coords[-1]) != nodes[p["to"]]["_pos"]:
            err(f"link {lid}: geometry ends do not coincide with its nodes")
        g = sum(geod_km(coords[i], coords[i + 1]) for i in range(len(coords) - 1))
        if g <= 0:
            err(f"link {lid}: zero length")
        shared = set(countries_of(p["from"])) & set(countries_of(p["to"]))
        if len(shared) != 1 and p["mode"] != "ferry" and "country" not in p:
            err(f"link {lid}: ends share {sorted(shared)} countries (needs a border node or `country`)")
        if p.get("length_km") and abs(p["length_km"] - g) / g > 0.25:
            long_off.append((lid, p["length_km"], g))
        links[lid] = p
    used = {p["from"] for p in links.values()} | {p["to"] for p in links.values()}
    for n in nodes:
        if n not in used:
            err(f"node {n} is on no link")

    # Border modes against the links that use them.
    for n, p in nodes.items():
        if p["kind"] != "border":
            continue
        modes = {l["mode"] for l in links.values() if n in (l["from"], l["to"])}
        if "rail" in modes and "status_rail" not in p:
            err(f"border {n}: rail links but no status_rail")
        if "road" in modes and "status_road" not in p:
            err(f"border {n}: road links but no status_road")

    scen = tomllib.load(open(os.path.join(DATA, "scenarios.toml"), "rb"))["scenario"]
    sids = {}
    for s in scen:
        if s["id"] in sids:
            err(f"duplicate scenario {s['id']}")
        sids[s["id"]] = s
    allowed_keys = {"id", "name", "description", "base", "project", "open", "close", "include", "policy", "as_of", "source"}
    for s in scen:
        if set(s) - allowed_keys:
            err(f"scenario {s['id']}: unknown keys {set(s) - allowed_keys}")
        for ref in ([s["base"]] if "base" in s else []) + s.get("include", []):
            if ref not in sids:
                err(f"scenario {s['id']}: unknown scenario {ref}")
        for t in s.get("open", []) + s.get("close", []):
            tid, _, m = t.partition(":")
            if tid in links:
                if m:
                    err(f"scenario {s['id']}: mode suffix on a link {t}")
            elif tid in nodes and nodes[tid]["kind"] == "border":
                if m and f"status_{m}" not in nodes[tid]:
                    err(f"scenario {s['id']}: crossing {tid} has no {m}")
            else:
                err(f"scenario {s['id']}: unknown target {t}")
        for r in s.get("policy", []):
            if set(r) - {"cargo", "transit", "mode", "action", "hours", "usd_per_t", "why"}:
                err(f"scenario {s['id']}: unknown policy keys")
            if r["cargo"] != "*" and not re.match(r"^[A-Z]{2}$", r["cargo"]):
                err(f"scenario {s['id']}: bad cargo {r['cargo']}")
            t = r["transit"]
            if t != "*" and not re.match(r"^[A-Z]{2}$", t) and not (t in nodes and nodes[t]["kind"] == "border"):
                err(f"scenario {s['id']}: bad transit {t}")
            if r.get("mode", "any") not in ("rail", "road", "ferry", "any"):
                err(f"scenario {s['id']}: bad policy mode")
            if r["action"] not in ("allow", "deny", "penalty"):
                err(f"scenario {s['id']}: bad action")
            if not r.get("why"):
                err(f"scenario {s['id']}: policy rule without why")
        if s.get("project") and not s.get("source"):
            err(f"scenario {s['id']}: project without source")

    def cycle(start):
        stack, seen = [start], set()
        while stack:
            cur = stack.pop()
            for nxt in ([sids[cur]["base"]] if "base" in sids[cur] else []) + sids[cur].get("include", []):
                if nxt == start:
                    return True
                if nxt in sids and nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False
    for sid in sids:
        if cycle(sid):
            err(f"scenario {sid}: circular base/include")

    routes = tomllib.load(open(os.path.join(DATA, "routes.toml"), "rb"))["route"]
    claims_path = os.path.join(ROOT, "seeds", "claims.toml")
    claims = {}
    if os.path.exists(claims_path):
        claims = {c["id"]: c for c in tomllib.load(open(claims_path, "rb"))["claim"]}
    rids = set()
    for r in routes:
        if r["id"] in rids:
            err(f"duplicate route {r['id']}")
        rids.add(r["id"])
        for end in ("from", "to"):
            if r[end].lower() not in lookup:
                err(f"route {r['id']}: unknown place {r[end]}")
        if not set(r["modes"]) <= {"rail", "road"} or not r["modes"]:
            err(f"route {r['id']}: bad modes")
        if "claim" in r and claims and r["claim"] not in claims:
            err(f"route {r['id']}: unknown claim {r['claim']}")
    for c in claims.values():
        for rid in c.get("routes", []):
            if rid not in rids:
                err(f"claim {c['id']}: unknown route {rid}")
        for sid in c.get("scenarios", []) + [c.get("baseline", "baseline-2021")]:
            if sid not in sids:
                err(f"claim {c['id']}: unknown scenario {sid}")
        for v in c.get("via", []):
            if v not in nodes and not re.match(r"^[A-Z]{2}$", v):
                err(f"claim {c['id']}: bad via {v}")

    if "--lengths" in sys.argv:
        for lid, pub, g in sorted(long_off):
            print(f"{lid}\t{pub:g}\t{g:.1f}\t{(pub - g) / g * 100:+.0f} %")
    for e in errors:
        print("error:", e)
    print(f"{len(nodes)} nodes, {len(links)} links, {len(scen)} scenarios, {len(routes)} routes, "
          f"{len(claims)} claims; {len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
