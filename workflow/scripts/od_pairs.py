#!/usr/bin/env python3
"""Give an imported data folder (`corridor import osm ... --out DIR`) the two files criticality
needs to run on it: a `scenarios.toml` with one scenario (`open`: the network as imported) and a
`routes.toml` with N origin-destination pairs drawn from its places with a fixed seed.

    workflow/scripts/od_pairs.py DIR N [--seed S] [--country CC] [--mode road|rail]

The draw is deterministic (Python's `random.Random(seed)` over the places sorted by id), so the
same folder, N and seed always give the same pairs. Existing files are replaced.
"""

import argparse
import json
import random
import sys
from pathlib import Path


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir", type=Path)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--country", default=None, help="cargo origin [default: the places' country]")
    p.add_argument("--mode", default="road", choices=["road", "rail"])
    a = p.parse_args()
    nodes = json.loads((a.dir / "nodes.geojson").read_text())
    places = sorted(
        (f["properties"]["id"], f["properties"].get("country"))
        for f in nodes["features"]
        if f["properties"].get("kind") != "border"
    )
    if len(places) < 2:
        print(f"{a.dir}: fewer than two places", file=sys.stderr)
        return 1
    rng = random.Random(a.seed)
    routes = []
    seen = set()
    while len(routes) < a.n and len(seen) < len(places) * (len(places) - 1):
        i, j = rng.randrange(len(places)), rng.randrange(len(places))
        if i == j or (i, j) in seen:
            continue
        seen.add((i, j))
        routes.append((places[i], places[j]))
    lines = [f"# {len(routes)} pairs drawn with seed {a.seed} by workflow/scripts/od_pairs.py\n"]
    for k, ((frm, country), (to, _)) in enumerate(routes):
        lines.append(
            f'[[route]]\nid = "od-{k}"\nfrom = "{frm}"\nto = "{to}"\n'
            f'cargo = "{a.country or country}"\nmodes = ["{a.mode}"]\n'
        )
    (a.dir / "routes.toml").write_text("\n".join(lines))
    (a.dir / "scenarios.toml").write_text(
        '# One scenario: the network as imported (workflow/scripts/od_pairs.py).\n'
        '[[scenario]]\nid = "open"\nname = "The network as imported"\n'
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
