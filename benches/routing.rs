//! One-to-one shortest-path queries on the bundled South Caucasus network (the state-expanded
//! compiled graph, baseline-2021 weights by time) and on the TNTP Chicago Sketch network (weights:
//! link length), for our Dijkstra, bidirectional Dijkstra and A* and for petgraph's `dijkstra`
//! (with its early stop at the goal) on the same graph and the same seeded queries.
//!
//! Each benchmark runs a batch of queries; before timing, every algorithm's answers are checked
//! against each other. Run: `cargo bench --bench routing`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use petgraph::graph::{DiGraph, NodeIndex};

use corridor::network::tntp;
use corridor::routing::csr::{self, Csr, SearchState};
use corridor::routing::{Algorithm, Metric, ModeSet, Query, RouteState, Router};
use corridor::scenario::Dataset;
use corridor::util::SplitMix64;

const QUERIES: usize = 200;
const SEED: u64 = 20210111;

/// A graph, its weights and the same graph in petgraph, with a query batch and an A* bound.
struct Case {
    name: &'static str,
    csr: Csr,
    weights: Vec<Option<f64>>,
    pg: DiGraph<(), f64>,
    pg_nodes: Vec<NodeIndex>,
    queries: Vec<(u32, u32)>,
    /// Lower bound on the distance between two nodes.
    bound: Box<dyn Fn(u32, u32) -> f64>,
}

impl Case {
    fn new(
        name: &'static str,
        csr: Csr,
        weights: Vec<Option<f64>>,
        bound: Box<dyn Fn(u32, u32) -> f64>,
    ) -> Case {
        let mut pg = DiGraph::<(), f64>::with_capacity(csr.num_nodes(), csr.num_arcs());
        let pg_nodes: Vec<NodeIndex> = (0..csr.num_nodes()).map(|_| pg.add_node(())).collect();
        for a in 0..csr.num_arcs() as u32 {
            if let Some(w) = weights[a as usize] {
                pg.add_edge(
                    pg_nodes[csr.tail(a) as usize],
                    pg_nodes[csr.head(a) as usize],
                    w,
                );
            }
        }
        // Queries between nodes that have arcs (isolated states of the expanded graph would
        // only measure the set-up of a search).
        let live: Vec<u32> = (0..csr.num_nodes() as u32)
            .filter(|&v| csr.out_arcs(v).any(|a| weights[a as usize].is_some()))
            .collect();
        let mut rng = SplitMix64::new(SEED);
        let queries = (0..QUERIES)
            .map(|_| {
                (
                    live[rng.below(live.len() as u64) as usize],
                    live[rng.below(live.len() as u64) as usize],
                )
            })
            .collect();
        Case {
            name,
            csr,
            weights,
            pg,
            pg_nodes,
            queries,
            bound,
        }
    }

    fn ours(&self, algorithm: Algorithm, f: &mut SearchState, b: &mut SearchState) -> f64 {
        let w = |a: u32| self.weights[a as usize];
        let mut total = 0.0;
        for &(s, t) in &self.queries {
            let d = match algorithm {
                Algorithm::Dijkstra => {
                    csr::one_to_one(&self.csr, &[s], &[t], w, |_| true, f).map(|v| f.dist(v))
                }
                Algorithm::AStar => {
                    let h = |v: u32| (self.bound)(v, t);
                    csr::astar(&self.csr, &[s], &[t], w, h, |_| true, f).map(|v| f.dist(v))
                }
                Algorithm::Bidirectional => {
                    csr::bidirectional(&self.csr, &[s], &[t], w, |_| true, f, b).map(|m| m.dist)
                }
            };
            total += d.unwrap_or(0.0);
        }
        total
    }

    fn petgraph(&self) -> f64 {
        let mut total = 0.0;
        for &(s, t) in &self.queries {
            let (s, t) = (self.pg_nodes[s as usize], self.pg_nodes[t as usize]);
            let d = petgraph::algo::dijkstra(&self.pg, s, Some(t), |e| *e.weight());
            total += d.get(&t).copied().unwrap_or(0.0);
        }
        total
    }

    fn check(&self) {
        let (mut f, mut b) = (SearchState::new(), SearchState::new());
        let reference = self.petgraph();
        for algorithm in [
            Algorithm::Dijkstra,
            Algorithm::Bidirectional,
            Algorithm::AStar,
        ] {
            let ours = self.ours(algorithm, &mut f, &mut b);
            assert!(
                (ours - reference).abs() <= 1e-6 * reference.abs().max(1.0),
                "{}: {algorithm:?} sums to {ours}, petgraph to {reference}",
                self.name
            );
        }
    }
}

fn bundled() -> Option<(Case, Router, Dataset)> {
    let data = Dataset::load(Path::new("data/caucasus")).ok()?;
    let router = Router::new(&data.network, &data.costs).ok()?;
    let scenario = data.resolve("baseline-2021")?;
    let overlay = router.overlay(&scenario);
    let mut state = RouteState::new();
    let q = Query {
        from: data.network.find_place("baku").ok()?,
        to: data.network.find_place("tbilisi").ok()?,
        cargo: corridor::network::Country::parse("AZ")?,
        to_country: None,
        modes: ModeSet::ANY,
        metric: Metric::Time,
        algorithm: Algorithm::Dijkstra,
    };
    let weights = router.weights(&q, &overlay, &mut state);
    let [_, per_km, _] = router.graph.min_per_chord_km();
    let g = router.graph.clone();
    let bound =
        Box::new(move |v: u32, t: u32| per_km * g.chord_km(g.place(v), g.place(t)) * (1.0 - 1e-9));
    let case = Case::new(
        "bundled (expanded)",
        router.graph.csr.clone(),
        weights,
        bound,
    );
    Some((case, router, data))
}

fn chicago() -> Option<Case> {
    // `../shared/data` from the project root, as the tests read it; a checkout elsewhere (a git
    // worktree) points `CORRIDOR_SHARED_DATA` at that folder.
    let shared = std::env::var_os("CORRIDOR_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new("../shared/data").to_path_buf());
    let dir = shared.join("tntp");
    let net = tntp::read_net(&dir.join("ChicagoSketch_net.tntp")).ok()?;
    let text = std::fs::read_to_string(dir.join("ChicagoSketch_node.tntp")).ok()?;
    let mut xy = vec![(0.0f64, 0.0f64); net.nodes as usize];
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if let (Some(Ok(id)), Some(Ok(x)), Some(Ok(y))) = (
            cols.first().map(|s| s.parse::<usize>()),
            cols.get(1).map(|s| s.parse::<f64>()),
            cols.get(2).map(|s| s.parse::<f64>()),
        ) {
            if (1..=xy.len()).contains(&id) {
                xy[id - 1] = (x, y);
            }
        }
    }
    let csr = Csr::from_arcs(net.nodes as usize, &net.pairs()).ok()?;
    let weights: Vec<Option<f64>> = (0..csr.num_arcs() as u32)
        .map(|a| Some(net.arcs[csr.input_index(a) as usize].length))
        .collect();
    let euclid = move |a: u32, b: u32| {
        let (p, q) = (xy[a as usize], xy[b as usize]);
        ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
    };
    // The least length per unit of straight-line distance over all arcs: an admissible scale.
    let mut per_unit = f64::INFINITY;
    for a in 0..csr.num_arcs() as u32 {
        let d = euclid(csr.tail(a), csr.head(a));
        if d > 0.0 {
            per_unit = per_unit.min(weights[a as usize].unwrap_or(0.0) / d);
        }
    }
    let per_unit = if per_unit.is_finite() { per_unit } else { 0.0 };
    eprintln!("chicago: A* scale {per_unit:.3e} length per coordinate unit");
    Some(Case::new(
        "chicago-sketch",
        csr,
        weights,
        Box::new(move |v, t| per_unit * euclid(v, t) * (1.0 - 1e-9)),
    ))
}

fn bench_case(c: &mut Criterion, case: &Case) {
    case.check();
    let mut group = c.benchmark_group(format!("{} x{QUERIES} queries", case.name));
    group.sample_size(20);
    group.measurement_time(std::time::Duration::from_secs(4));
    let (mut f, mut b) = (SearchState::new(), SearchState::new());
    for (label, algorithm) in [
        ("corridor-dijkstra", Algorithm::Dijkstra),
        ("corridor-bidirectional", Algorithm::Bidirectional),
        ("corridor-astar", Algorithm::AStar),
    ] {
        group.bench_function(label, |bench| {
            bench.iter(|| black_box(case.ours(algorithm, &mut f, &mut b)))
        });
    }
    group.bench_function("petgraph-dijkstra", |bench| {
        bench.iter(|| black_box(case.petgraph()))
    });
    group.finish();
}

fn routing(c: &mut Criterion) {
    match bundled() {
        Some((case, router, data)) => {
            bench_case(c, &case);
            // The full router: policy tables, multi-layer ends and the Path, per query.
            let scenario = data.resolve("baseline-2021");
            if let Some(scenario) = scenario {
                let overlay = router.overlay(&scenario);
                let mut rng = SplitMix64::new(SEED);
                let n = data.network.nodes.len() as u64;
                let queries: Vec<Query> = (0..QUERIES)
                    .map(|_| {
                        let from = corridor::network::NodeId(rng.below(n) as u32);
                        let to = corridor::network::NodeId(rng.below(n) as u32);
                        Query {
                            from,
                            to,
                            cargo: data.network.node(from).country,
                            to_country: None,
                            modes: ModeSet::ANY,
                            metric: Metric::Time,
                            algorithm: Algorithm::Dijkstra,
                        }
                    })
                    .collect();
                let mut state = RouteState::new();
                let mut group = c.benchmark_group(format!("bundled router.route x{QUERIES}"));
                group.sample_size(20);
                for (label, algorithm) in [
                    ("dijkstra", Algorithm::Dijkstra),
                    ("bidirectional", Algorithm::Bidirectional),
                    ("astar", Algorithm::AStar),
                ] {
                    group.bench_function(label, |bench| {
                        bench.iter(|| {
                            let mut found = 0usize;
                            for q in &queries {
                                let q = Query { algorithm, ..*q };
                                found +=
                                    usize::from(router.route(&q, &overlay, &mut state).is_some());
                            }
                            black_box(found)
                        })
                    });
                }
                group.finish();
            }
        }
        None => eprintln!("skipping the bundled network: data/caucasus did not load"),
    }
    match chicago() {
        Some(case) => bench_case(c, &case),
        None => eprintln!("skipping Chicago Sketch: ../shared/data/tntp (or $CORRIDOR_SHARED_DATA/tntp) not readable"),
    }
}

criterion_group!(benches, routing);
criterion_main!(benches);
