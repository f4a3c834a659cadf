#!/usr/bin/env python3
"""Writes a tiny, valid OSM PBF extract (tests/fixtures/osm/tiny.osm.pbf, the OSM fuzz seed):
eight nodes, two rail ways sharing a node, a primary road, and a closed country boundary (IM)
as an admin_level=2 relation. One data blob is zlib-compressed and one raw, so that a seed reaches
both decoders. Hand-encoded protobuf; no dependency beyond the standard library. Invented
geometry (no OpenStreetMap data)."""
import sys
import zlib


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def key(field, wire):
    return varint(field << 3 | wire)


def ld(field, payload):
    return key(field, 2) + varint(len(payload)) + payload


def vi(field, n):
    return key(field, 0) + varint(n)


def packed(field, values, signed=False, delta=False):
    prev, out = 0, bytearray()
    for v in values:
        x = v - prev if delta else v
        prev = v if delta else prev
        out += varint(zigzag(x) if signed else x)
    return ld(field, bytes(out))


def blob(kind, payload, compress):
    if compress:
        body = vi(2, len(payload)) + ld(3, zlib.compress(payload))
    else:
        body = ld(1, payload) + vi(2, len(payload))
    header = ld(1, kind.encode()) + vi(3, len(body))
    return len(header).to_bytes(4, "big") + header + body


strings = ["", "railway", "rail", "highway", "primary", "name", "Tiny line", "type",
           "boundary", "administrative", "admin_level", "2", "ISO3166-1", "IM", "outer",
           "gauge", "1435"]
S = {s: i for i, s in enumerate(strings)}
table = ld(1, b"".join(ld(1, s.encode()) for s in strings))

# Nodes: (id, lon, lat). 1-4 a line, 5 a spur, 6-9 the boundary square around them.
nodes = [(1, -4.60, 54.20), (2, -4.55, 54.21), (3, -4.50, 54.22), (4, -4.45, 54.23),
         (5, -4.55, 54.25), (6, -4.70, 54.10), (7, -4.30, 54.10), (8, -4.30, 54.40),
         (9, -4.70, 54.40)]
dense = (packed(1, [n[0] for n in nodes], signed=True, delta=True)
         + packed(8, [round(n[2] * 1e7) for n in nodes], signed=True, delta=True)
         + packed(9, [round(n[1] * 1e7) for n in nodes], signed=True, delta=True))
nodes_block = table + ld(2, ld(2, dense))


def way(wid, tags, refs):
    return (vi(1, wid) + packed(2, [S[k] for k, _ in tags]) + packed(3, [S[v] for _, v in tags])
            + packed(8, refs, signed=True, delta=True))


ways = [
    way(10, [("railway", "rail"), ("name", "Tiny line"), ("gauge", "1435")], [1, 2, 3]),
    way(11, [("railway", "rail"), ("name", "Tiny line")], [3, 4]),
    way(12, [("highway", "primary")], [2, 5]),
    way(13, [], [6, 7, 8, 9, 6]),
]
relation = (vi(1, 20)
            + packed(2, [S["type"], S["boundary"], S["admin_level"], S["ISO3166-1"]])
            + packed(3, [S["boundary"], S["administrative"], S["2"], S["IM"]])
            + packed(8, [S["outer"]]) + packed(9, [13], signed=True, delta=True)
            + packed(10, [1]))
ways_block = table + ld(2, b"".join(ld(3, w) for w in ways)) + ld(2, ld(4, relation))

header = ld(4, b"OsmSchema-V0.6") + ld(4, b"DenseNodes")
data = (blob("OSMHeader", header, False) + blob("OSMData", nodes_block, True)
        + blob("OSMData", ways_block, False))
with open(sys.argv[1], "wb") as f:
    f.write(data)
