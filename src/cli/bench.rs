//! `corridor bench`: the routing benchmark on any network (a data folder, a TNTP `_net` file, a
//! DIMACS-like arc list, or a seeded synthetic road-like graph): preprocessing, query latency per
//! method with disagreements against Dijkstra, partial re-customization, a many-to-many matrix,
//! throughput per thread count and memory, as a table or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::bench::{self, BenchOptions};
use corridor::network::osm::{self, OsmOptions, Resolution, RoadClasses};
use corridor::network::{dimacs, load_network, tntp, CostModel, Country};
use corridor::routing::road::RoadGraph;
use corridor::routing::{order, synthetic};

use super::{stage_out, stdout, write_key_values, Format, Global, Progress};

/// The most `--queries`: ten million timed queries take minutes with CCH and days with Dijkstra.
const MAX_QUERIES: usize = 10_000_000;

/// The largest `--synthetic` graph: 16M nodes need about 4x the 4M graph's 5.6 GiB.
const MAX_SYNTHETIC_NODES: usize = 16_000_000;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("graph").args(["osm", "tntp", "dimacs", "synthetic"])))]
pub struct Args {
    /// An OpenStreetMap extract, imported on the fly (roads only; see --all-roads).
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// Country code of the OSM extract's places.
    #[arg(long, value_name = "CC", default_value = "ZZ")]
    pub country: String,
    /// With --osm: every highway at full resolution (every OSM node a node), as the Isle of Man
    /// road graph of about 73k nodes.
    #[arg(long)]
    pub all_roads: bool,
    /// A TNTP network: folder or file prefix (only its `_net` file is read).
    #[arg(long, value_name = "PATH")]
    pub tntp: Option<PathBuf>,
    /// A DIMACS-like arc list (`a FROM TO WEIGHT` lines), e.g. the Bremen graphs.
    #[arg(long, value_name = "FILE")]
    pub dimacs: Option<PathBuf>,
    /// A seeded synthetic road-like grid of about N nodes (4 to 16,000,000).
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// Random one-to-one queries (1 to 10,000,000).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub queries: usize,
    /// Seed of every random choice (queries, closures, the synthetic graph).
    #[arg(long, default_value_t = 20210111, value_name = "S")]
    pub seed: u64,
    /// Write the graph, the queries, the coordinates and our CCH order as text for the peer
    /// scripts (`graph.txt`, `queries.txt`, `coords.txt`, `order.txt`), then benchmark as usual.
    #[arg(long, value_name = "DIR", hide = true)]
    pub export: Option<PathBuf>,
}

/// The graph a bench runs on, from the arguments.
fn load_graph(global: &Global, args: &Args) -> Result<RoadGraph> {
    if let Some(file) = &args.osm {
        let country = Country::parse(&args.country).context("--country is a two-letter code")?;
        let mut options = OsmOptions::new(country);
        options.rail = false;
        if args.all_roads {
            options.road_classes = RoadClasses::All;
            options.resolution = Resolution::Full;
        }
        let imported = osm::import(file, &options)?;
        return Ok(RoadGraph::from_network(
            &format!("OSM {} ({})", file.display(), options.describe()),
            &imported.network,
        )?);
    }
    if let Some(path) = &args.tntp {
        let files = tntp::locate_net(path)?;
        let net = tntp::read_net(&files.net)?;
        return Ok(RoadGraph::from_tntp(&format!("TNTP {}", files.name), &net)?);
    }
    if let Some(path) = &args.dimacs {
        let g = dimacs::read(path)?;
        let name = path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(RoadGraph::from_dimacs(&name, &g)?);
    }
    if let Some(n) = args.synthetic {
        anyhow::ensure!(n >= 4, "--synthetic needs at least 4 nodes");
        anyhow::ensure!(
            n <= MAX_SYNTHETIC_NODES,
            "--synthetic {n}: at most {MAX_SYNTHETIC_NODES} nodes (the bench of 4,000,000 \
             peaks at about 5.6 GiB; memory grows a little faster than the node count)"
        );
        return Ok(synthetic::road_like(n, args.seed)?);
    }
    let dir = global
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(super::DEFAULT_DATA));
    let costs_path = dir.join("costs.toml");
    let costs = if costs_path.exists() {
        CostModel::load(&costs_path).map_err(|e| anyhow::anyhow!("{e}"))?
    } else {
        CostModel::default()
    };
    let (network, _) = load_network(&dir, &costs).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(RoadGraph::from_network(
        &format!("data folder {}", dir.display()),
        &network,
    )?)
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        (1..=MAX_QUERIES).contains(&args.queries),
        "--queries {}: from 1 to {MAX_QUERIES} (each is timed and kept for the percentiles)",
        args.queries
    );
    let graph = load_graph(global, args)?;
    if let Some(dir) = &args.export {
        let queries = bench::random_queries(&graph, args.queries, args.seed);
        corridor::output::peer::write_peer_graph(&graph, dir, &queries)?;
        // Our nested-dissection order, as RoutingKit takes one: the nodes by increasing rank.
        let adj = order::Adjacency::undirected(graph.num_nodes(), graph.arcs());
        let coords = graph.coords().map(order::planar);
        let rank = order::nested_dissection(&adj, coords.as_deref(), &order::NdOptions::default());
        let mut by_rank = vec![0u32; rank.len()];
        for (v, &r) in rank.iter().enumerate() {
            by_rank[r as usize] = v as u32;
        }
        let text: String = by_rank.iter().map(|v| format!("{v}\n")).collect();
        let path = dir.join("order.txt");
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let max_threads = global
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut threads: Vec<usize> = vec![1];
    let mut t = 2;
    while t < max_threads {
        threads.push(t);
        t *= 2;
    }
    if max_threads > 1 {
        threads.push(max_threads);
    }
    let progress = Progress::spinner(global, &format!("benchmarking {}", graph.name));
    let options = BenchOptions {
        queries: args.queries,
        seed: args.seed,
        threads,
        progress: progress.tick(),
        ..BenchOptions::default()
    };
    let report = bench::run(&graph, &options);
    progress.finish();
    let report = report?;
    let mut value = serde_json::to_value(&report)?;
    if let Some(obj) = value.as_object_mut() {
        obj.insert("peak_rss_bytes".into(), peak_rss().into());
    }
    let json = serde_json::to_string_pretty(&value)? + "\n";
    // With --out, the report is also kept as `bench.json`; without, bench writes nothing.
    let written = match &global.out {
        Some(_) => {
            let staged = stage_out(global, "bench")?;
            corridor::output::write_atomic(&staged.path().join("bench.json"), json.as_bytes())?;
            Some(staged.commit()?)
        }
        None => None,
    };
    let mut out = stdout();
    match global.format {
        Format::Json => out.write_all(json.as_bytes())?,
        Format::Csv => write_key_values(&mut out, &value)?,
        Format::Table => {
            write!(out, "{}", bench::text_report(&report, peak_rss()))?;
            if let Some(dir) = written {
                writeln!(out, "\nwrote {}", dir.join("bench.json").display())?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory (Linux `VmHWM`), in bytes; 0 elsewhere.
fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
