//! `corridor bench [--data DIR | --osm FILE | --tntp PATH | --dimacs FILE] [--queries N]
//! [--seed S]`: routing on any network: preprocessing time, query latency (median, p99) of each
//! method, queries where a method disagreed with Dijkstra, throughput at 1 and 2 threads (and
//! `--threads`), and memory; as a table or JSON.
//!
//! Methods: Dijkstra (one-to-one, early stop), bidirectional Dijkstra, and A* with the geodesic
//! bound where the network has coordinates (data folders and OSM imports). Contraction hierarchies
//! are not built yet.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde_json::json;

use corridor::network::osm::{self, OsmOptions, Resolution, RoadClasses};
use corridor::network::{dimacs, tntp, CostModel, Country, Mode, Network, NodeId};
use corridor::routing::csr::{astar, bidirectional, one_to_one, Csr, SearchState};
use corridor::routing::{Metric, ModeSet, Query, RouteState, Router};
use corridor::scenario::{Dataset, ResolvedScenario};
use corridor::util::SplitMix64;

use super::{load_dataset, stdout, Format, Global, DEFAULT_DATA};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("graph").args(["osm", "tntp", "dimacs"])))]
pub struct Args {
    /// An OpenStreetMap extract, imported on the fly (roads; see --all-roads).
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Country code of the OSM extract's places.
    #[arg(long, value_name = "CC", default_value = "ZZ")]
    pub country: String,
    /// With --osm: every highway at full resolution (every OSM node a node).
    #[arg(long)]
    pub all_roads: bool,
    /// A TNTP network (folder or file prefix; only its `_net` file is read).
    #[arg(long, value_name = "PATH")]
    pub tntp: Option<PathBuf>,
    /// A DIMACS arc list (`a FROM TO WEIGHT`).
    #[arg(long, value_name = "FILE")]
    pub dimacs: Option<PathBuf>,
    /// Random queries (origin-destination pairs).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub queries: usize,
    /// Seed of the queries.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A graph ready for the benchmark: CSR, arc weights, queries, and an A* bound if it has one.
struct Bench {
    name: String,
    csr: Csr,
    weights: Vec<Option<f64>>,
    passable: Box<dyn Fn(u32) -> bool + Sync>,
    queries: Vec<(Vec<u32>, Vec<u32>)>,
    /// Lower bound on the cost from a state to query `q`'s target.
    bound: Option<Box<dyn Fn(usize, u32) -> f64 + Sync>>,
    preprocessing_s: f64,
}

fn from_network(
    name: String,
    network: Network,
    costs: CostModel,
    spec: QuerySpec,
    t: Instant,
) -> Result<Bench> {
    let QuerySpec { n, seed } = spec;
    let router = Router::new(&network, &costs).context("compiling the network")?;
    let scenario = ResolvedScenario::as_loaded(&network);
    let overlay = router.overlay(&scenario);
    let mut rng = SplitMix64::new(seed);
    let places = network.nodes.len() as u64;
    anyhow::ensure!(places >= 2, "the network has fewer than two places");
    let modes = ModeSet::of(&[Mode::Rail, Mode::Road]);
    let queries: Vec<Query> = (0..n)
        .map(|_| Query {
            from: NodeId(rng.below(places) as u32),
            to: NodeId(rng.below(places) as u32),
            cargo: Country::parse("ZZ").expect("two letters"),
            modes,
            metric: Metric::Time,
            algorithm: Default::default(),
        })
        .collect();
    let mut rs = RouteState::new();
    // No policy in the data's own statuses: one weight vector serves every query.
    let weights = match queries.first() {
        Some(q) => router.weights(q, &overlay, &mut rs),
        None => Vec::new(),
    };
    let ends: Vec<(Vec<u32>, Vec<u32>)> = queries.iter().map(|q| router.endpoints(q)).collect();
    let preprocessing_s = t.elapsed().as_secs_f64();
    let csr = router.graph.csr.clone();
    let router = std::sync::Arc::new(router);
    let r = router.clone();
    Ok(Bench {
        name,
        csr,
        weights,
        passable: Box::new(|_| true),
        queries: ends,
        bound: Some(Box::new(move |q, v| r.heuristic(&queries[q], v))),
        preprocessing_s,
    })
}

/// How many queries, and their seed.
#[derive(Clone, Copy)]
struct QuerySpec {
    n: usize,
    seed: u64,
}

fn plain(
    name: String,
    nodes: usize,
    arcs: &[(u32, u32, f64)],
    passable: Box<dyn Fn(u32) -> bool + Sync>,
    endpoints: Vec<u32>,
    spec: QuerySpec,
    t: Instant,
) -> Result<Bench> {
    let QuerySpec { n, seed } = spec;
    let pairs: Vec<(u32, u32)> = arcs.iter().map(|a| (a.0, a.1)).collect();
    let csr = Csr::from_arcs(nodes, &pairs)?;
    let weights = (0..csr.num_arcs() as u32)
        .map(|a| Some(arcs[csr.input_index(a) as usize].2))
        .collect();
    anyhow::ensure!(!endpoints.is_empty(), "the graph has no node to route from");
    let mut rng = SplitMix64::new(seed);
    let pick = |rng: &mut SplitMix64| endpoints[rng.below(endpoints.len() as u64) as usize];
    let queries = (0..n)
        .map(|_| (vec![pick(&mut rng)], vec![pick(&mut rng)]))
        .collect();
    Ok(Bench {
        name,
        csr,
        weights,
        passable,
        queries,
        bound: None,
        preprocessing_s: t.elapsed().as_secs_f64(),
    })
}

fn load(global: &Global, args: &Args) -> Result<Bench> {
    let t = Instant::now();
    if let Some(file) = &args.osm {
        let country = Country::parse(&args.country).context("--country is a two-letter code")?;
        let mut options = OsmOptions::new(country);
        options.rail = false;
        if args.all_roads {
            options.road_classes = RoadClasses::All;
            options.resolution = Resolution::Full;
        }
        let imported = osm::import(file, &options)?;
        return from_network(
            file.display().to_string(),
            imported.network,
            CostModel::default(),
            QuerySpec {
                n: args.queries,
                seed: args.seed,
            },
            t,
        );
    }
    if let Some(path) = &args.tntp {
        let files = tntp::locate(path)?;
        let net = tntp::read_net(&files.net)?;
        let arcs: Vec<(u32, u32, f64)> = net
            .arcs
            .iter()
            .map(|a| (a.init - 1, a.term - 1, a.free_flow_time))
            .collect();
        let first = net.first_thru_node;
        let zones: Vec<u32> = (0..net.zones.max(1)).collect();
        return plain(
            files.net.display().to_string(),
            net.nodes as usize,
            &arcs,
            Box::new(move |v| v + 1 >= first),
            zones,
            QuerySpec {
                n: args.queries,
                seed: args.seed,
            },
            t,
        );
    }
    if let Some(file) = &args.dimacs {
        let g = dimacs::read(file)?;
        let arcs: Vec<(u32, u32, f64)> = g.arcs.iter().map(|&(a, b, w)| (a, b, w as f64)).collect();
        return plain(
            file.display().to_string(),
            g.nodes as usize,
            &arcs,
            Box::new(|_| true),
            (0..g.nodes).collect(),
            QuerySpec {
                n: args.queries,
                seed: args.seed,
            },
            t,
        );
    }
    let dir = global
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
    let data: Dataset = load_dataset(&dir)?;
    from_network(
        dir.display().to_string(),
        data.network,
        data.costs,
        QuerySpec {
            n: args.queries,
            seed: args.seed,
        },
        t,
    )
}

/// Latencies (ns) and costs of one method over every query, one thread.
fn timed(b: &Bench, method: &str) -> (Vec<f64>, Vec<f64>) {
    let mut fwd = SearchState::new();
    let mut bwd = SearchState::new();
    let w = |a: u32| b.weights[a as usize];
    let mut lat = Vec::with_capacity(b.queries.len());
    let mut cost = Vec::with_capacity(b.queries.len());
    for (qi, (s, t)) in b.queries.iter().enumerate() {
        let start = Instant::now();
        let c = match method {
            "dijkstra" => one_to_one(&b.csr, s, t, w, &*b.passable, &mut fwd).map(|v| fwd.dist(v)),
            "bidirectional" => {
                bidirectional(&b.csr, s, t, w, &*b.passable, &mut fwd, &mut bwd).map(|m| m.dist)
            }
            _ => {
                let bound = b.bound.as_ref().expect("A* only where a bound exists");
                astar(&b.csr, s, t, w, |v| bound(qi, v), &*b.passable, &mut fwd)
                    .map(|v| fwd.dist(v))
            }
        };
        lat.push(start.elapsed().as_nanos() as f64);
        cost.push(c.unwrap_or(f64::INFINITY));
    }
    (lat, cost)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Queries per second of Dijkstra over every query with `threads` threads.
fn throughput(b: &Bench, threads: usize) -> Result<f64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let start = Instant::now();
    let reached: usize = pool.install(|| {
        b.queries
            .par_iter()
            .map_init(SearchState::new, |st, (s, t)| {
                usize::from(
                    one_to_one(&b.csr, s, t, |a| b.weights[a as usize], &*b.passable, st).is_some(),
                )
            })
            .sum()
    });
    std::hint::black_box(reached);
    Ok(b.queries.len() as f64 / start.elapsed().as_secs_f64())
}

/// Peak resident memory of this process (kB), where the system says (Linux).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let b = load(global, args)?;
    let mut methods = vec!["dijkstra", "bidirectional"];
    if b.bound.is_some() {
        methods.push("astar");
    }
    let mut rows = Vec::new();
    let mut reference: Vec<f64> = Vec::new();
    for m in &methods {
        let (mut lat, cost) = timed(&b, m);
        let disagree = if reference.is_empty() {
            reference = cost.clone();
            0
        } else {
            cost.iter()
                .zip(&reference)
                .filter(|(a, r)| {
                    !((a.is_infinite() && r.is_infinite())
                        || (*a - *r).abs() <= 1e-9 * r.abs().max(1.0))
                })
                .count()
        };
        lat.sort_by(f64::total_cmp);
        rows.push((
            m.to_string(),
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            disagree,
        ));
    }
    let mut threads = vec![1usize, 2];
    if let Some(n) = global.threads {
        if !threads.contains(&n) {
            threads.push(n);
        }
    }
    let tput: Vec<(usize, f64)> = threads
        .iter()
        .map(|&t| Ok((t, throughput(&b, t)?)))
        .collect::<Result<_>>()?;
    let memory = peak_memory_kb();
    let graph_bytes = (b.csr.num_nodes() + 1) * 4 + b.csr.num_arcs() * (4 + 4 + 16);
    let mut w = stdout();
    match global.format {
        Format::Json => {
            let v = json!({
                "graph": b.name,
                "nodes": b.csr.num_nodes(),
                "arcs": b.csr.num_arcs(),
                "queries": b.queries.len(),
                "seed": args.seed,
                "preprocessing_s": b.preprocessing_s,
                "methods": rows.iter().map(|(m, p50, p99, d)| json!({"method": m, "median_us": p50 / 1e3, "p99_us": p99 / 1e3, "disagreements": d})).collect::<Vec<_>>(),
                "throughput_qps": tput.iter().map(|(t, q)| json!({"threads": t, "queries_per_s": q})).collect::<Vec<_>>(),
                "graph_bytes": graph_bytes,
                "peak_memory_kb": memory,
            });
            writeln!(w, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        _ => {
            writeln!(
                w,
                "{}: {} nodes, {} arcs; {} queries (seed {}); preprocessing {:.3} s",
                b.name,
                b.csr.num_nodes(),
                b.csr.num_arcs(),
                b.queries.len(),
                args.seed,
                b.preprocessing_s
            )?;
            writeln!(
                w,
                "{:<14} {:>12} {:>12} {:>13}",
                "method", "median (us)", "p99 (us)", "disagreements"
            )?;
            for (m, p50, p99, d) in &rows {
                writeln!(w, "{m:<14} {:>12.1} {:>12.1} {d:>13}", p50 / 1e3, p99 / 1e3)?;
            }
            for (t, q) in &tput {
                writeln!(
                    w,
                    "throughput, {t} thread{}: {q:.0} queries/s (Dijkstra)",
                    if *t == 1 { "" } else { "s" }
                )?;
            }
            writeln!(
                w,
                "graph {:.1} MB; peak memory {}",
                graph_bytes as f64 / 1e6,
                memory.map_or("unknown".to_string(), |kb| format!(
                    "{:.1} MB",
                    kb as f64 / 1e3
                ))
            )?;
        }
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
