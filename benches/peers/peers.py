"""Peers on the graph and queries exported by `corridor bench --export DIR` (see run.sh).

Reads DIR/graph.txt (`n m`, then `tail head weight`), DIR/queries.txt, DIR/coords.txt (optional),
DIR/order.txt (our nested-dissection order) and DIR/ours.json (our figures from the same run),
times networkx, igraph, scipy.sparse.csgraph and RoutingKit's CCH (routingkit-cch) on the same
queries, checks their answers against scipy's Dijkstra, and prints a table with ratios
(peer time / our time: above 1 means we are faster).
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def load(d):
    lines = (d / "graph.txt").read_text().split("\n")
    n, m = map(int, lines[0].split())
    arr = np.array([list(map(int, l.split())) for l in lines[1 : m + 1]], dtype=np.int64)
    queries = [tuple(map(int, l.split())) for l in (d / "queries.txt").read_text().split("\n") if l]
    coords = None
    if (d / "coords.txt").exists():
        coords = [tuple(map(float, l.split())) for l in (d / "coords.txt").read_text().split("\n") if l]
    order = [int(l) for l in (d / "order.txt").read_text().split("\n") if l]
    return n, arr, queries, coords, order


def timed(f, *a):
    t = time.perf_counter()
    r = f(*a)
    return r, time.perf_counter() - t


def main():
    d = Path(sys.argv[1])
    ours = json.loads((d / "ours.json").read_text())
    n, arr, queries, coords, our_order = load(d)
    tail, head, w = arr[:, 0], arr[:, 1], arr[:, 2]
    m = len(w)
    rows = []  # (what, peer, peer time, our time, unit)
    om = {x["method"]: x for x in ours["methods"]}
    ren = ours["renumbering"]
    print(f"graph: {ours['graph']['name']}: {n} nodes, {m} arcs; {len(queries)} queries", flush=True)

    # scipy: one-to-all Dijkstra (the same sources as ours) and the reference distances.
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra as sp_dijkstra

    # Parallel arcs: keep the lightest (csgraph sums duplicates otherwise).
    order_idx = np.lexsort((w, head, tail))
    t2, h2, w2 = tail[order_idx], head[order_idx], w[order_idx]
    keep = np.ones(len(t2), dtype=bool)
    keep[1:] = (t2[1:] != t2[:-1]) | (h2[1:] != h2[:-1])
    # csgraph drops explicit zeros: nudge zero weights to a tiny positive value.
    wf = np.where(w2[keep] == 0, 1e-9, w2[keep]).astype(np.float64)
    g = sp.csr_matrix((wf, (t2[keep], h2[keep])), shape=(n, n))
    sources = [s for s, _ in queries[: ren["sources"]]]
    t = time.perf_counter()
    for s in sources:
        sp_dijkstra(g, directed=True, indices=s)
    sp_ms = (time.perf_counter() - t) * 1e3 / len(sources)
    rows.append(("one-to-all Dijkstra (input order)", "scipy csgraph", sp_ms, ren["input_order_ms"], "ms"))
    rows.append(("one-to-all Dijkstra (ours renumbered)", "scipy csgraph", sp_ms, ren["renumbered_ms"], "ms"))
    # petgraph runs inside `corridor bench` (same sources, same renumbered graph, same run).
    rows.append(("one-to-all Dijkstra (ours renumbered)", "petgraph dijkstra (Rust)", ren["petgraph_ms"], ren["renumbered_ms"], "ms"))

    # Reference distances for the checked queries (grouped by source).
    checked = om["dijkstra"]["checked"]
    ref = {}
    for s, tt in queries[:checked]:
        if (s, tt) not in ref:
            dist = sp_dijkstra(g, directed=True, indices=s)
            ref[(s, tt)] = None if np.isinf(dist[tt]) else int(round(dist[tt]))

    # igraph: one-to-one.
    try:
        import igraph as ig

        gi = ig.Graph(n=n, edges=list(zip(tail.tolist(), head.tolist())), directed=True)
        gi.es["w"] = w.tolist()
        k = min(checked, 200)
        times = []
        for s, tt in queries[:k]:
            t = time.perf_counter()
            gi.distances(source=s, target=tt, weights="w")
            times.append(time.perf_counter() - t)
        rows.append(("one-to-one median", "igraph", statistics.median(times) * 1e6, om["dijkstra"]["median_us"], "us"))
    except Exception as e:  # noqa: BLE001
        print(f"igraph failed: {e}")

    # networkx: one-to-one (slow: at most 30 queries).
    import networkx as nx

    gx = nx.DiGraph()
    gx.add_nodes_from(range(n))
    for a, b, c in zip(tail.tolist(), head.tolist(), w.tolist()):
        if not gx.has_edge(a, b) or gx[a][b]["weight"] > c:
            gx.add_edge(a, b, weight=c)
    times = []
    for s, tt in queries[: min(checked, 30)]:
        t = time.perf_counter()
        try:
            nx.dijkstra_path_length(gx, s, tt)
        except nx.NetworkXNoPath:
            pass
        times.append(time.perf_counter() - t)
    nx_med = statistics.median(times) * 1e6
    rows.append(("one-to-one median", "networkx", nx_med, om["dijkstra"]["median_us"], "us"))
    rows.append(("one-to-one median", "networkx vs our bidirectional", nx_med, om["bidirectional"]["median_us"], "us"))
    rows.append(("one-to-one median", "networkx vs our CCH", nx_med, om["cch"]["median_us"], "us"))
    del gx  # on a 4M-node graph networkx holds several GiB; RoutingKit needs them next

    # RoutingKit's CCH.
    try:
        import routingkit_cch as rk

        INF = 2147483647
        tl, hl, wl = tail.tolist(), head.tolist(), w.tolist()
        variants = []
        if coords is not None:
            (lon, lat) = ([c[0] for c in coords], [c[1] for c in coords])
            o, secs = timed(rk.compute_order_inertial, n, tl, hl, lat, lon)
            variants.append(("RoutingKit (its inertial order)", o, secs))
        else:
            o, secs = timed(rk.compute_order_degree, n, tl, hl)
            variants.append(("RoutingKit (its degree order)", o, secs))
        variants.append(("RoutingKit (our order)", our_order, None))
        for label, o, order_s in variants:
            cch, contract_s = timed(rk.CCH, o, tl, hl, False)
            metric = rk.CCHMetric(cch, wl)
            cust = []
            for _ in range(5):
                t = time.perf_counter()
                metric.reset(wl)
                cust.append(time.perf_counter() - t)
            cust_ms = statistics.median(cust) * 1e3
            q = rk.CCHQuery(metric)
            times, wrong = [], 0
            for i, (s, tt) in enumerate(queries):
                t = time.perf_counter()
                dist = q.run(s, tt).distance  # the result must be dropped before the next run
                times.append(time.perf_counter() - t)
                if i < checked and dist != ref.get((s, tt), dist):
                    wrong += 1
            del q
            # Close, query, reopen one link (one arc each way when both exist), as ours does.
            upd = rk.CCHMetricPartialUpdater(cch)
            rng = np.random.default_rng(1)
            ctimes = []
            for j in range(100):
                a = int(rng.integers(m))
                s, tt = queries[j % len(queries)]
                # A query may not be alive during an update: its construction (O(n)) is not timed.
                t = time.perf_counter()
                upd.apply(metric, {a: INF})
                spent = time.perf_counter() - t
                q = rk.CCHQuery(metric)
                t = time.perf_counter()
                q.run(s, tt).distance
                spent += time.perf_counter() - t
                del q
                t = time.perf_counter()
                upd.apply(metric, {a: wl[a]})
                ctimes.append(spent + time.perf_counter() - t)
            # 100 x 100 one-to-many.
            k = ours["matrix"]["sources"]
            srcs = [s for s, _ in queries[:k]]
            tgts = [tt for _, tt in queries[:k]]
            t = time.perf_counter()
            otm = rk.CCHOneToMany(metric, tgts)
            for s in srcs:
                otm.distances_from(s)
            mat_ms = (time.perf_counter() - t) * 1e3
            del otm
            pre = f"order {order_s:.2f} s, " if order_s is not None else ""
            print(f"{label}: {pre}contraction {contract_s:.2f} s; query disagreements with scipy: {wrong} / {checked}")
            rows.append(("CCH query median", label, statistics.median(times) * 1e6, om["cch"]["median_us"], "us"))
            rows.append(("CCH query mean", label, statistics.mean(times) * 1e6, om["cch"]["mean_us"], "us"))
            rows.append(("CCH customization", label, cust_ms, ours["preprocessing"]["customize_ms"], "ms"))
            rows.append(("close+query+reopen median", label, statistics.median(ctimes) * 1e3, ours["closures"]["median_ms"], "ms"))
            rows.append((f"{k}x{k} matrix", label, mat_ms, ours["matrix"]["ms"], "ms"))
    except Exception as e:  # noqa: BLE001
        print(f"routingkit-cch failed: {e}")

    print(f"\n{'what':<40} {'peer':<32} {'peer':>12} {'ours':>12}  ratio peer/ours")
    for what, peer, pt, ot, unit in rows:
        ratio = pt / ot if ot > 0 else float("nan")
        print(f"{what:<40} {peer:<32} {pt:>9.3f} {unit:<2} {ot:>9.3f} {unit:<2} {ratio:>8.2f}x")
    print(f"\nours: {json.dumps({x['method']: round(x['median_us'], 2) for x in ours['methods']})} us median; "
          f"disagreements {json.dumps({x['method']: x['disagreements'] for x in ours['methods']})}")
    print("ours batch throughput (method, threads, wall queries/s, speedup, CPU-time queries/s, CPU speedup): "
          + json.dumps([(t['method'], t['threads'], round(t['queries_per_s']), round(t['speedup'], 2),
                         round(t['cpu_queries_per_s'] or 0), round(t['cpu_speedup'] or 0, 2)) for t in ours['throughput']]))


if __name__ == "__main__":
    main()
