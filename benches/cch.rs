//! Big-graph routing over every network the project knows, as a scaling curve: one-to-all
//! Dijkstra on the graph renumbered for locality, CCH customization, a batch of seeded CCH
//! one-to-one queries, a 100 x 100 matrix, and batch throughput with the thread count as a
//! parameter (1 and 2).
//!
//! Graphs, smallest first: the bundled network (`data/caucasus`), the TNTP networks (Sioux Falls,
//! Anaheim, Chicago Sketch), Bremen (`graphs/bremen_time.gr`), the Isle of Man road graph (every
//! highway at full resolution, `osm/isle_of_man_2020-03-14.osm.pbf`), and seeded synthetic
//! road-like grids of 1M and 4M nodes. Shared data is read from `../shared/data` (or
//! `$CORRIDOR_SHARED_DATA`); a graph that cannot be read is skipped with a note on stderr.
//!
//! Before timing, each graph's CCH answers are checked against Dijkstra on the batch's first
//! queries. Sample counts are small so that a run is bounded (the 4M graph's preprocessing, done
//! once outside the timing, takes minutes, and its customization is timed once); pick graphs with `CORRIDOR_BENCH_GRAPHS`, a comma
//! list of names (`bundled,sioux-falls,anaheim,chicago-sketch,bremen,isle-of-man,synthetic-1m,
//! synthetic-4m`). Not run by CI: `cargo bench --bench cch`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use corridor::bench::{batch_throughput, random_queries, Searchable};
use corridor::network::osm::{self, OsmOptions, Resolution, RoadClasses};
use corridor::network::{dimacs, load_network, tntp, CostModel, Country};
use corridor::routing::cch::{Cch, CchQuery};
use corridor::routing::csr::SearchState;
use corridor::routing::order::{self, Adjacency};
use corridor::routing::road::RoadGraph;
use corridor::routing::synthetic;

mod common;
use common::shared;

const SEED: u64 = 20210111;
const QUERIES: usize = 1000;
const MATRIX: usize = 100;
/// Above this many nodes, customization is timed once (printed), not sampled.
const BIG: usize = 2_000_000;

type Loader = fn() -> Result<RoadGraph, String>;

fn bundled() -> Result<RoadGraph, String> {
    let dir = Path::new("data/caucasus");
    let costs = CostModel::load(&dir.join("costs.toml")).map_err(|e| e.to_string())?;
    let (net, _) = load_network(dir, &costs).map_err(|e| e.to_string())?;
    RoadGraph::from_network("bundled", &net).map_err(|e| e.to_string())
}

fn tntp_graph(name: &str) -> Result<RoadGraph, String> {
    let net = tntp::read_net(&shared().join("tntp").join(format!("{name}_net.tntp")))
        .map_err(|e| e.to_string())?;
    RoadGraph::from_tntp(name, &net).map_err(|e| e.to_string())
}

fn bremen() -> Result<RoadGraph, String> {
    let g = dimacs::read(&shared().join("graphs/bremen_time.gr")).map_err(|e| e.to_string())?;
    RoadGraph::from_dimacs("bremen", &g).map_err(|e| e.to_string())
}

fn isle_of_man() -> Result<RoadGraph, String> {
    let country = Country::parse("IM").ok_or("country code")?;
    let mut options = OsmOptions::new(country);
    options.rail = false;
    options.road_classes = RoadClasses::All;
    options.resolution = Resolution::Full;
    let file = shared().join("osm/isle_of_man_2020-03-14.osm.pbf");
    let imported = osm::import(&file, &options).map_err(|e| e.to_string())?;
    RoadGraph::from_network("isle-of-man", &imported.network).map_err(|e| e.to_string())
}

const GRAPHS: &[(&str, Loader)] = &[
    ("bundled", bundled),
    ("sioux-falls", || tntp_graph("SiouxFalls")),
    ("anaheim", || tntp_graph("Anaheim")),
    ("chicago-sketch", || tntp_graph("ChicagoSketch")),
    ("bremen", bremen),
    ("isle-of-man", isle_of_man),
    ("synthetic-1m", || {
        synthetic::road_like(1_000_000, SEED).map_err(|e| e.to_string())
    }),
    ("synthetic-4m", || {
        synthetic::road_like(4_000_000, SEED).map_err(|e| e.to_string())
    }),
];

fn cch(c: &mut Criterion) {
    let chosen: Option<Vec<String>> = std::env::var("CORRIDOR_BENCH_GRAPHS")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_string()).collect());
    for &(name, load) in GRAPHS {
        if chosen
            .as_ref()
            .is_some_and(|c| !c.iter().any(|x| x == name))
        {
            continue;
        }
        let graph = match load() {
            Ok(g) => g,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        let n = graph.num_nodes();
        let adj = Adjacency::undirected(n, graph.arcs());
        let new_id = order::locality_order(&adj, graph.coords().map(order::planar).as_deref());
        drop(adj);
        let graph = graph.renumbered(&new_id);
        let queries = random_queries(&graph, QUERIES, SEED);
        let Ok(search) = Searchable::new(&graph) else {
            eprintln!("skipping {name}: ids do not fit u32");
            continue;
        };
        let (cch, stats) = Cch::new(&graph);
        let t = std::time::Instant::now();
        let metric = cch.customize(graph.weights());
        let customize_s = t.elapsed().as_secs_f64();
        let mut q = CchQuery::new(&cch);
        let mut state = SearchState::new();
        for &(s, t) in queries.iter().take(20) {
            assert_eq!(
                q.distance(&metric, s, t),
                search.dijkstra(s, t, &mut state),
                "{name}: CCH disagrees with Dijkstra on {s} -> {t}"
            );
        }
        eprintln!(
            "{name}: {n} nodes, {} arcs; CCH order {:.2} s, contraction {:.2} s, {} chordal arcs, \
             elimination tree depth {}, one customization {:.3} s",
            graph.num_arcs(),
            stats.order_s,
            stats.contract_s,
            stats.arcs,
            stats.tree_depth,
            customize_s
        );

        let mut group = c.benchmark_group(format!("cch/{name}"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(3));
        let sources: Vec<u32> = queries.iter().take(5).map(|q| q.0).collect();
        group.bench_function("dijkstra one-to-all x5", |b| {
            b.iter(|| {
                for &s in &sources {
                    search.one_to_all(s, &mut state);
                }
            })
        });
        // Ten customizations of the 4M graph would take minutes: there the one above is all.
        if n <= BIG {
            group.bench_function("customize", |b| {
                b.iter(|| black_box(cch.customize(graph.weights())))
            });
        }
        group.throughput(Throughput::Elements(QUERIES as u64));
        group.bench_function(format!("query x{QUERIES}"), |b| {
            b.iter(|| {
                let mut found = 0usize;
                for &(s, t) in &queries {
                    found += usize::from(q.distance(&metric, s, t).is_some());
                }
                black_box(found)
            })
        });
        let k = MATRIX.min(queries.len());
        let (from, to): (Vec<u32>, Vec<u32>) = queries[..k].iter().copied().unzip();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a one-thread pool");
        group.throughput(Throughput::Elements((k * k) as u64));
        group.bench_function(format!("matrix {k}x{k} (1 thread)"), |b| {
            b.iter(|| one.install(|| black_box(metric.matrix(&from, &to))))
        });
        // Batch throughput: each thread answers the whole batch with its own state, so the
        // elements per iteration grow with the thread count.
        for threads in [1usize, 2] {
            group.throughput(Throughput::Elements((threads * QUERIES) as u64));
            group.bench_with_input(
                BenchmarkId::new("batch queries, threads", threads),
                &threads,
                |b, &threads| {
                    b.iter(|| {
                        batch_throughput(
                            threads,
                            &queries,
                            1,
                            || CchQuery::new(&cch),
                            |q, s, t| q.distance(&metric, s, t),
                        )
                        .wall_qps
                    })
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, cch);
criterion_main!(benches);
