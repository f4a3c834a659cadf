#!/usr/bin/env python3
"""AequilibraE beside `corridor assign`: the same TNTP network, method (bi-conjugate Frank-Wolfe)
and relative gap, timed on the same machine, printed side by side with the ratio.

    python3 benches/peers/aequilibrae_assign.py                      # Chicago Sketch, gap 1e-4
    python3 benches/peers/aequilibrae_assign.py --network SiouxFalls --gap 1e-5
    python3 benches/peers/aequilibrae_assign.py --threads 1 --repeat 5

On first run it creates its own virtual environment (`<target>/peers/aequilibrae-venv`, where
<target> is $CARGO_TARGET_DIR or ./target), installs AequilibraE from PyPI into it, and re-runs
itself there. It builds `corridor` with `cargo build --release` if the binary is missing.

Timed: AequilibraE's `TrafficAssignment.execute()` against corridor's own assignment time (both
without reading files or building the graph), and each whole process for reference. Chicago
Sketch's published costs include 0.04 x length, which both tools get (AequilibraE as a fixed cost).
"""

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
VENV = TARGET / "peers" / "aequilibrae-venv"
AEQ_VERSION = os.environ.get("AEQUILIBRAE_VERSION", "1.7.2")
# Distance factors behind the published best-known costs (see tests/assign.rs).
DISTANCE_FACTOR = {"ChicagoSketch": 0.04}


def ensure_venv():
    """Re-executes this script inside a venv that has AequilibraE."""
    try:
        import aequilibrae  # noqa: F401

        return
    except ImportError:
        pass
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        sys.exit(f"error: aequilibrae is not importable inside {VENV}; delete it and rerun")
    if not python.exists():
        print(f"creating {VENV} and installing aequilibrae=={AEQ_VERSION} (once)", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"aequilibrae=={AEQ_VERSION}"], check=True
        )
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def shared_tntp():
    for d in ROOT.parents:
        if (d / "shared" / "data" / "tntp").is_dir():
            return d / "shared" / "data" / "tntp"
    sys.exit(f"error: shared/data/tntp not found beside {ROOT} or above it")


def metadata(lines):
    meta, body = {}, []
    it = iter(lines)
    for line in it:
        m = re.match(r"\s*<([^>]+)>(.*)", line)
        if m:
            if m.group(1).strip().upper() == "END OF METADATA":
                break
            meta[m.group(1).strip().upper()] = m.group(2).strip()
    body = [l for l in it if l.strip() and not l.lstrip().startswith("~")]
    return meta, body


def read_net(path):
    meta, body = metadata(path.read_text().splitlines())
    rows = [l.split(";")[0].split() for l in body]
    rows = [r for r in rows if r]
    return meta, rows


def read_trips(path, zones):
    import numpy as np

    _, body = metadata(path.read_text().splitlines())
    mat = np.zeros((zones, zones))
    origin = None
    for line in body:
        line = line.strip()
        if line.startswith("Origin"):
            origin = int(line.split()[1])
            continue
        for pair in line.split(";"):
            if ":" in pair:
                d, f = pair.split(":")
                mat[origin - 1, int(d) - 1] = float(f)
    np.fill_diagonal(mat, 0.0)  # intrazonal trips are ignored, as corridor does
    return mat


def run_aequilibrae(net_path, trips_path, gap, threads, distance_factor):
    import numpy as np
    import pandas as pd
    from aequilibrae.matrix import AequilibraeMatrix
    from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

    meta, rows = read_net(net_path)
    zones = int(meta["NUMBER OF ZONES"])
    first_thru = int(meta.get("FIRST THRU NODE", "1"))
    a = np.array(rows, dtype=float)
    n = a.shape[0]
    network = pd.DataFrame(
        {
            "link_id": np.arange(1, n + 1),
            "a_node": a[:, 0].astype(np.int64),
            "b_node": a[:, 1].astype(np.int64),
            "direction": np.ones(n, dtype=np.int8),
            "id": np.arange(1, n + 1),
            "capacity": a[:, 2],
            "distance": a[:, 3],
            # AequilibraE rejects zero free-flow times (Chicago Sketch's zone connectors have
            # them); 1e-6 min changes no cost visibly.
            "free_flow_time": np.maximum(a[:, 4], 1e-6),
            "b": a[:, 5],
            "power": a[:, 6],
        }
    )
    graph = Graph()
    graph.network = network
    graph.prepare_graph(np.arange(1, zones + 1, dtype=np.int64), remove_dead_ends=False)
    graph.set_graph("free_flow_time")
    graph.set_skimming([])
    # Zones below FIRST THRU NODE are not passed through; with FIRST THRU NODE 1 every node may be.
    graph.set_blocked_centroid_flows(first_thru > 1)

    demand = AequilibraeMatrix()
    demand.create_empty(zones=zones, matrix_names=["matrix"], memory_only=True)
    demand.index[:] = np.arange(1, zones + 1)
    demand.matrices[:, :, 0] = read_trips(trips_path, zones)
    demand.computational_view(["matrix"])

    cls = TrafficClass("car", graph, demand)
    if distance_factor:
        cls.set_fixed_cost("distance", distance_factor)
        cls.set_vot(1.0)
    assig = TrafficAssignment()
    assig.set_classes([cls])
    assig.set_vdf("BPR")
    assig.set_vdf_parameters({"alpha": "b", "beta": "power"})
    assig.set_capacity_field("capacity")
    assig.set_time_field("free_flow_time")
    assig.set_cores(threads)
    assig.set_algorithm("bfw")
    assig.max_iter = 10000
    assig.rgap_target = gap
    # AequilibraE draws progress bars on stderr for every zone of every iteration: hide them.
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        start = time.perf_counter()
        assig.execute()
        seconds = time.perf_counter() - start
    report = assig.report()
    loads = assig.results()
    column = "PCE_AB" if "PCE_AB" in loads.columns else loads.columns[0]
    flows = [float(loads[column].loc[i + 1]) for i in range(n)]
    pairs = [(int(a[i, 0]), int(a[i, 1])) for i in range(n)]
    return seconds, int(report["iteration"].max()), float(report["rgap"].iloc[-1]), (pairs, flows)


def read_best_known(path):
    """`*_flow.tntp` as {(from, to): [volume, ...]} (parallel links in file order), or None."""
    if not path.exists():
        return None
    best = {}
    for line in path.read_text().splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 3:
            best.setdefault((int(cols[0]), int(cols[1])), []).append(float(cols[2]))
    return best


def flow_deviation(pairs, flows, best):
    """Flow-weighted mean absolute deviation from the best-known flows over the mean best-known
    flow, as corridor's `best_known.flow_weighted_mad_over_mean_flow` computes it."""
    seen, ref = {}, []
    for pair in pairs:
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        ref.append(best[pair][k])
    total = sum(ref)
    weighted = sum(r * abs(x - r) for r, x in zip(ref, flows)) / total
    return weighted / (total / len(ref))


def corridor_binary():
    exe = TARGET / "release" / "corridor"
    if not exe.exists():
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    return exe


def run_corridor(prefix, gap, threads, distance_factor, out):
    cmd = [str(corridor_binary()), "assign", "--tntp", str(prefix), "--method", "bfw",
           "--gap", str(gap), "--threads", str(threads), "--format", "json", "--out", str(out)]
    if distance_factor:
        cmd += ["--distance-factor", str(distance_factor)]
    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    summary = json.loads(done.stdout)
    deviation = (summary.get("best_known") or {}).get("flow_weighted_mad_over_mean_flow")
    return summary["seconds"], wall, summary["iterations"], summary["relative_gap"], deviation


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--network", default="ChicagoSketch")
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each tool; the fastest counts")
    args = ap.parse_args()
    ensure_venv()
    import aequilibrae

    data = shared_tntp()
    prefix = data / args.network
    net, trips = Path(f"{prefix}_net.tntp"), Path(f"{prefix}_trips.tntp")
    factor = DISTANCE_FACTOR.get(args.network, 0.0)
    out = TARGET / "peers" / "corridor-out"

    ours = [run_corridor(prefix, args.gap, args.threads, factor, out) for _ in range(args.repeat)]
    theirs = [run_aequilibrae(net, trips, args.gap, args.threads, factor) for _ in range(args.repeat)]
    c_assign, c_wall, c_iter, c_gap, c_dev = min(ours, key=lambda r: r[0])
    a_assign, a_iter, a_gap, a_loads = min(theirs, key=lambda r: r[0])
    best = read_best_known(Path(f"{prefix}_flow.tntp"))
    a_dev = flow_deviation(*a_loads, best) if best else None
    percent = lambda d: f"{100 * d:.2f} %" if d is not None else "-"
    version = getattr(aequilibrae, "__version__", None) or AEQ_VERSION
    print(f"{args.network}, bi-conjugate Frank-Wolfe to relative gap {args.gap:g}, "
          f"{args.threads} thread(s), best of {args.repeat}")
    print(f"{'tool':<22}{'iterations':>11}{'final gap':>12}{'assign s':>10}{'flow dev':>10}")
    print(f"{'corridor':<22}{c_iter:>11}{c_gap:>12.3e}{c_assign:>10.3f}{percent(c_dev):>10}"
          f"   (whole process incl. reading and writing: {c_wall:.3f} s)")
    print(f"{'aequilibrae ' + str(version):<22}{a_iter:>11}{a_gap:>12.3e}{a_assign:>10.3f}"
          f"{percent(a_dev):>10}")
    print("flow dev: flow-weighted mean absolute deviation from the best-known flows "
          "(*_flow.tntp) over the mean flow")
    print(f"ratio (aequilibrae / corridor, assignment time): {a_assign / c_assign:.1f}x")


if __name__ == "__main__":
    main()
