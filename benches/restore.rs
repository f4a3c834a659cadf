//! Restore at scale: 20 synthetic projects x 30 routes on the bundled network, i.e. 2^20 subsets
//! of projects per route. Each synthetic project reopens a few links that the synthetic base
//! closes (seeded); the routes are the bundled trade routes plus seeded random pairs of places.
//! Goal (issue 4): under 10 s on 2 cores for all 30 routes.
//!
//! `cargo bench --bench restore`; the thread count is a parameter (1 and 2).

use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use corridor::analysis::candidates::Candidates;
use corridor::analysis::restore::RestoreOptions;
use corridor::network::{LinkStatus, Mode, NodeId, NodeKind};
use corridor::routing::{Metric, Router};
use corridor::scenario::{Dataset, Scenarios, TradeRoute};
use corridor::util::SplitMix64;

const PROJECTS: usize = 20;
const ROUTES: usize = 30;

struct Setup {
    data: Dataset,
    router: Router,
    scenarios: Scenarios,
    routes: Vec<TradeRoute>,
}

fn setup() -> Setup {
    let data = Dataset::load(Path::new("data/caucasus")).expect("run from the project root");
    let net = &data.network;
    let mut rng = SplitMix64::new(20);
    // Synthetic projects: each closes (in the base) and reopens 1-3 open links.
    let open: Vec<&str> = net
        .links
        .iter()
        .filter(|l| l.status == LinkStatus::Open)
        .map(|l| l.id.as_str())
        .collect();
    let mut used = std::collections::HashSet::new();
    let mut projects: Vec<Vec<&str>> = Vec::new();
    while projects.len() < PROJECTS {
        let n = 1 + rng.below(3) as usize;
        let mut set = Vec::new();
        while set.len() < n {
            let l = open[rng.below(open.len() as u64) as usize];
            if used.insert(l) {
                set.push(l);
            }
        }
        projects.push(set);
    }
    let quote = |v: &[&str]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all: Vec<&str> = projects.iter().flatten().copied().collect();
    let mut toml = format!("[[scenario]]\nid = \"base\"\nclose = [{}]\n", quote(&all));
    for (i, p) in projects.iter().enumerate() {
        toml.push_str(&format!(
            "[[scenario]]\nid = \"s{i}\"\nbase = \"base\"\nproject = true\nopen = [{}]\n",
            quote(p)
        ));
    }
    let scenarios = Scenarios::parse(Path::new("synthetic.toml"), &toml, net).expect("valid");
    let places: Vec<NodeId> = net
        .node_ids()
        .filter(|&v| net.node(v).kind != NodeKind::Border)
        .collect();
    let mut routes = data.routes.clone();
    while routes.len() < ROUTES {
        let a = places[rng.below(places.len() as u64) as usize];
        let b = places[rng.below(places.len() as u64) as usize];
        if a != b {
            routes.push(TradeRoute {
                id: format!("random-{}", routes.len()),
                from: a,
                to: b,
                cargo: net.node(a).country,
                modes: vec![Mode::Rail, Mode::Road],
                claim: None,
                demand_t_per_year: None,
                note: None,
            });
        }
    }
    routes.truncate(ROUTES);
    let router = Router::new(net, &data.costs).expect("compiles");
    Setup {
        data,
        router,
        scenarios,
        routes,
    }
}

fn restore(s: &Setup) -> usize {
    let ids: Vec<String> = (0..PROJECTS).map(|i| format!("s{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let cands =
        Candidates::new(&s.router, &s.data.network, &s.scenarios, "base", &ids).expect("monotone");
    let report = cands.analyse(
        &s.router,
        &s.routes,
        Metric::Time,
        &RestoreOptions::default(),
    );
    report.iter().map(|r| r.restoring_sets.len()).sum()
}

fn bench(c: &mut Criterion) {
    let s = setup();
    let mut group = c.benchmark_group("restore_20_projects_30_routes");
    group.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        let t = Instant::now();
        let sets = pool.install(|| restore(&s));
        eprintln!(
            "restore, {PROJECTS} projects x {ROUTES} routes, {threads} thread(s): {:.2} s once ({sets} minimal restoring sets)",
            t.elapsed().as_secs_f64()
        );
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| pool.install(|| restore(&s)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
