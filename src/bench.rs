//! The routing benchmark behind `corridor bench`: on one [`RoadGraph`], the effect of renumbering
//! for locality, one-to-all Dijkstra, one-to-one latency of each method (Dijkstra, bidirectional
//! Dijkstra, A*, CCH) with the number of answers that disagree with Dijkstra, CCH preprocessing,
//! customization and partial re-customization, a many-to-many matrix, throughput per thread
//! count, and memory.
//!
//! Every random choice comes from one seed. Dijkstra-based one-to-one methods run on at most
//! [`BenchOptions::dijkstra_arc_budget`] / arcs queries (a 4M-node graph would otherwise take
//! hours); CCH runs all of them, and is checked on the ones Dijkstra ran.
//!
//! # Units
//! Latencies in microseconds, preprocessing in seconds, customization in milliseconds, memory in
//! bytes; distances in the graph's weight unit.

use std::fmt::Write as _;
use std::time::Instant;

use serde::Serialize;

use crate::format::thousands;
use crate::routing::cch::{Cch, CchQuery};
use crate::routing::csr::{self, Csr, SearchState};
use crate::routing::order::{self, Adjacency};
use crate::routing::road::{RoadGraph, RoadGraphError, INF};
use crate::util::{SplitMix64, Tick};

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Random one-to-one queries.
    pub queries: usize,
    pub seed: u64,
    /// Thread counts for the throughput table.
    pub threads: Vec<usize>,
    /// Sources and targets of the many-to-many matrix.
    pub matrix_size: usize,
    /// Links closed and reopened one at a time to time partial re-customization.
    pub closures: usize,
    /// The Dijkstra-based methods run `max(20, budget / arcs)` queries at most.
    pub dijkstra_arc_budget: f64,
    /// Told of each phase (its queries, closures or thread counts the steps, outside the timings).
    pub progress: Tick,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            queries: 1000,
            seed: 20210111,
            threads: vec![1, 2],
            matrix_size: 100,
            closures: 100,
            dijkstra_arc_budget: 3e8,
            progress: Tick::none(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphInfo {
    pub name: String,
    pub nodes: usize,
    pub arcs: usize,
    pub weight_unit: String,
    pub coordinates: bool,
}

/// One-to-all Dijkstra on the graph as given, shuffled, and renumbered for locality.
#[derive(Debug, Clone, Serialize)]
pub struct Renumbering {
    /// "hilbert" (coordinates) or "bfs".
    pub method: String,
    pub seconds: f64,
    pub sources: usize,
    pub input_order_ms: f64,
    pub shuffled_ms: f64,
    pub renumbered_ms: f64,
    /// Renumbered one-to-all time per arc, in nanoseconds.
    pub ns_per_arc: f64,
    /// petgraph's `dijkstra` (no goal: one-to-all) from the same sources on the renumbered
    /// graph with the same weights, and its time over ours.
    pub petgraph_ms: f64,
    pub petgraph_ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preprocessing {
    pub order_s: f64,
    pub contract_s: f64,
    pub cch_arcs: usize,
    pub tree_depth: usize,
    /// Median of five customizations.
    pub customize_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodStats {
    pub method: String,
    pub queries: usize,
    pub median_us: f64,
    pub p99_us: f64,
    pub mean_us: f64,
    /// Answers different from Dijkstra's (distance or reachability), over `checked` queries.
    pub disagreements: usize,
    pub checked: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Closures {
    pub links: usize,
    /// Close one link (both directions), answer a query, reopen it: median time.
    pub median_ms: f64,
    pub mean_arcs_recomputed: f64,
    /// Whether the weights after all reopenings equal the first customization's.
    pub restored_exactly: bool,
    /// Queries during a closure that disagreed with Dijkstra on the closed graph.
    pub disagreements: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub sources: usize,
    pub targets: usize,
    /// Wall time on one thread (as RoutingKit's one-to-many, the peer it is compared with).
    pub ms: f64,
    /// Rows checked against one-to-all Dijkstra, and entries that differed.
    pub rows_checked: usize,
    pub disagreements: usize,
}

/// Batch queries: `threads` threads, each with its own query state, each answering the same
/// query list `rounds` times, timed from a common start to the last thread's end.
#[derive(Debug, Clone, Serialize)]
pub struct Throughput {
    pub method: String,
    pub threads: usize,
    pub rounds: usize,
    /// Wall-clock queries per second.
    pub queries_per_s: f64,
    /// `queries_per_s` over the same method's figure at one thread.
    pub speedup: f64,
    /// Queries per second of thread CPU time ([`BatchRate::cpu_qps`]), and its speedup over one
    /// thread; `null` where the thread CPU clock is not available.
    pub cpu_queries_per_s: Option<f64>,
    pub cpu_speedup: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Memory {
    /// CSR graph with weights (what the Dijkstra methods search).
    pub graph_bytes: usize,
    /// Metric-independent CCH.
    pub cch_bytes: usize,
    /// One customized metric.
    pub metric_bytes: usize,
}

/// Everything `corridor bench` measures.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub graph: GraphInfo,
    pub seed: u64,
    pub renumbering: Renumbering,
    pub preprocessing: Preprocessing,
    pub methods: Vec<MethodStats>,
    pub closures: Closures,
    pub matrix: Matrix,
    pub throughput: Vec<Throughput>,
    pub memory: Memory,
}

/// Seeded random queries between nodes that have an arc out and an arc in.
pub fn random_queries(graph: &RoadGraph, count: usize, seed: u64) -> Vec<(u32, u32)> {
    let n = graph.num_nodes();
    let (mut has_out, mut has_in) = (vec![false; n], vec![false; n]);
    for &(t, h) in graph.arcs() {
        has_out[t as usize] = true;
        has_in[h as usize] = true;
    }
    let sources: Vec<u32> = (0..n as u32).filter(|&v| has_out[v as usize]).collect();
    let targets: Vec<u32> = (0..n as u32).filter(|&v| has_in[v as usize]).collect();
    if sources.is_empty() || targets.is_empty() {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|_| {
            (
                sources[rng.below(sources.len() as u64) as usize],
                targets[rng.below(targets.len() as u64) as usize],
            )
        })
        .collect()
}

/// A graph ready for the Dijkstra-family searches: CSR, weights in CSR order, and an A* bound.
pub struct Searchable {
    pub csr: Csr,
    pub weights: Vec<f64>,
    /// Planar coordinates and the least weight per unit of straight-line distance.
    astar: Option<(Vec<[f64; 2]>, f64)>,
}

impl Searchable {
    /// # Errors
    /// As [`RoadGraph::csr`].
    pub fn new(graph: &RoadGraph) -> Result<Searchable, RoadGraphError> {
        let (csr, weights) = graph.csr()?;
        let astar = graph.coords().map(|c| {
            let p = order::planar(c);
            let mut k = f64::INFINITY;
            for a in 0..csr.num_arcs() as u32 {
                let (u, v) = (p[csr.tail(a) as usize], p[csr.head(a) as usize]);
                let d = ((u[0] - v[0]).powi(2) + (u[1] - v[1]).powi(2)).sqrt();
                if d > 0.0 {
                    k = k.min(weights[a as usize] / d);
                }
            }
            (p, if k.is_finite() { k * (1.0 - 1e-9) } else { 0.0 })
        });
        Ok(Searchable {
            csr,
            weights,
            astar,
        })
    }

    pub fn has_astar(&self) -> bool {
        self.astar.is_some()
    }

    /// Dijkstra one-to-one.
    pub fn dijkstra(&self, s: u32, t: u32, state: &mut SearchState) -> Option<u32> {
        let w = |a: u32| Some(self.weights[a as usize]);
        csr::one_to_one(&self.csr, &[s], &[t], w, |_| true, state).map(|v| state.dist(v) as u32)
    }

    /// Dijkstra one-to-all; distances stay in `state`.
    pub fn one_to_all(&self, s: u32, state: &mut SearchState) {
        let w = |a: u32| Some(self.weights[a as usize]);
        csr::one_to_all(&self.csr, &[s], w, |_| true, state);
    }

    pub fn bidirectional(
        &self,
        s: u32,
        t: u32,
        f: &mut SearchState,
        b: &mut SearchState,
    ) -> Option<u32> {
        let w = |a: u32| Some(self.weights[a as usize]);
        csr::bidirectional(&self.csr, &[s], &[t], w, |_| true, f, b).map(|m| m.dist as u32)
    }

    /// A* with the straight-line bound (Dijkstra without coordinates).
    pub fn astar(&self, s: u32, t: u32, state: &mut SearchState) -> Option<u32> {
        let Some((p, k)) = &self.astar else {
            return self.dijkstra(s, t, state);
        };
        let pt = p[t as usize];
        let h = |v: u32| {
            let q = p[v as usize];
            k * ((q[0] - pt[0]).powi(2) + (q[1] - pt[1]).powi(2)).sqrt()
        };
        let w = |a: u32| Some(self.weights[a as usize]);
        csr::astar(&self.csr, &[s], &[t], w, h, |_| true, state).map(|v| state.dist(v) as u32)
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn stats(method: &str, mut us: Vec<f64>, disagreements: usize, checked: usize) -> MethodStats {
    let mean = us.iter().sum::<f64>() / us.len().max(1) as f64;
    us.sort_by(f64::total_cmp);
    MethodStats {
        method: method.to_string(),
        queries: us.len(),
        median_us: percentile(&us, 0.5),
        p99_us: percentile(&us, 0.99),
        mean_us: mean,
        disagreements,
        checked,
    }
}

/// What [`batch_throughput`] measures.
#[derive(Debug, Clone, Copy)]
pub struct BatchRate {
    /// Queries per second of wall time, from the common start to the last thread's end.
    pub wall_qps: f64,
    /// Queries per second had each thread had a core of its own: all queries over the largest
    /// CPU time one thread spent (Linux thread CPU clock; `None` elsewhere). On a shared machine
    /// this separates contention inside the code (locks, shared cache lines, memory bandwidth),
    /// which raises each thread's CPU time, from other processes taking the cores, which does not.
    pub cpu_qps: Option<f64>,
}

/// The CPU time the calling thread has used, in seconds (Linux only).
fn thread_cpu_seconds() -> Option<f64> {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Throughput of `threads` threads answering `queries` `rounds` times each.
///
/// Each thread builds its own state (`make`) before the clock starts and shares nothing mutable
/// with the others (no locks, no shared counters); a barrier lets them start together, and the
/// wall time runs to the last thread's end. Each thread also reads its own CPU clock around its
/// work ([`BatchRate::cpu_qps`]).
pub fn batch_throughput<S, M, Q>(
    threads: usize,
    queries: &[(u32, u32)],
    rounds: usize,
    make: M,
    query: Q,
) -> BatchRate
where
    M: Fn() -> S + Sync,
    Q: Fn(&mut S, u32, u32) -> Option<u32> + Sync,
{
    let barrier = std::sync::Barrier::new(threads + 1);
    let (make, query, barrier) = (&make, &query, &barrier);
    let (secs, cpu) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(move || {
                    let mut state = make();
                    barrier.wait();
                    let cpu0 = thread_cpu_seconds();
                    let mut found = 0usize;
                    for _ in 0..rounds {
                        for &(s, t) in queries {
                            found += usize::from(query(&mut state, s, t).is_some());
                        }
                    }
                    std::hint::black_box(found);
                    let cpu = cpu0.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
                    (Instant::now(), cpu)
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        let mut end = start;
        let mut cpu = Some(0.0f64);
        for h in handles {
            let (e, c) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            end = end.max(e);
            cpu = cpu.zip(c).map(|(a, b)| a.max(b));
        }
        (end.duration_since(start).as_secs_f64(), cpu)
    });
    let total = (threads * rounds * queries.len()) as f64;
    BatchRate {
        wall_qps: total / secs.max(1e-9),
        cpu_qps: cpu.map(|c| total / c.max(1e-9)),
    }
}

/// Rounds of a query list that take about `seconds` on one thread, given the mean latency.
fn rounds_for(seconds: f64, mean_us: f64, queries: usize) -> usize {
    let one_pass = mean_us * 1e-6 * queries as f64;
    if one_pass <= 0.0 {
        return 1;
    }
    ((seconds / one_pass).ceil() as usize).clamp(1, 10_000)
}

/// petgraph's `dijkstra` one-to-all per source, in milliseconds, on the same graph; its
/// distances are checked against ours (in `state`) so that both searched the same thing.
fn petgraph_one_to_all_ms(g: &Searchable, sources: &[u32], state: &mut SearchState) -> f64 {
    use petgraph::graph::{DiGraph, NodeIndex};
    let n = g.csr.num_nodes();
    let mut pg = DiGraph::<(), f64>::with_capacity(n, g.csr.num_arcs());
    let nodes: Vec<NodeIndex> = (0..n).map(|_| pg.add_node(())).collect();
    for a in 0..g.csr.num_arcs() as u32 {
        pg.add_edge(
            nodes[g.csr.tail(a) as usize],
            nodes[g.csr.head(a) as usize],
            g.weights[a as usize],
        );
    }
    let mut total = 0.0;
    for &s in sources {
        let t = Instant::now();
        let dist = petgraph::algo::dijkstra(&pg, nodes[s as usize], None, |e| *e.weight());
        total += t.elapsed().as_secs_f64();
        g.one_to_all(s, state);
        for (v, d) in dist {
            debug_assert_eq!(state.dist(v.index() as u32), d);
        }
    }
    total * 1e3 / sources.len().max(1) as f64
}

fn one_to_all_ms(g: &Searchable, sources: &[u32], state: &mut SearchState) -> f64 {
    let t = Instant::now();
    for &s in sources {
        g.one_to_all(s, state);
    }
    t.elapsed().as_secs_f64() * 1e3 / sources.len().max(1) as f64
}

/// Runs the benchmark.
///
/// # Errors
/// [`RoadGraphError`] when the graph does not fit the CSR's `u32` ids.
pub fn run(graph: &RoadGraph, options: &BenchOptions) -> Result<BenchReport, RoadGraphError> {
    let n = graph.num_nodes();
    let m = graph.num_arcs();
    let queries = random_queries(graph, options.queries, options.seed);
    let progress = &options.progress;
    progress.stage("renumbering", None);

    // Renumbering for locality, measured by one-to-all Dijkstra.
    let t = Instant::now();
    let adj = Adjacency::undirected(n, graph.arcs());
    let new_id = order::locality_order(&adj, graph.coords().map(order::planar).as_deref());
    let renumbered = graph.renumbered(&new_id);
    let renumber_s = t.elapsed().as_secs_f64();
    let mut shuffle: Vec<u32> = (0..n as u32).collect();
    SplitMix64::new(options.seed).shuffle(&mut shuffle);
    let shuffled = graph.renumbered(&shuffle);
    let all_sources: Vec<u32> = queries.iter().map(|q| q.0).take(10).collect();
    let mut state = SearchState::new();
    let input_ms = one_to_all_ms(&Searchable::new(graph)?, &all_sources, &mut state);
    let shuffled_sources: Vec<u32> = all_sources.iter().map(|&s| shuffle[s as usize]).collect();
    let shuffled_ms = one_to_all_ms(&Searchable::new(&shuffled)?, &shuffled_sources, &mut state);
    drop(shuffled);
    let search = Searchable::new(&renumbered)?;
    let local_sources: Vec<u32> = all_sources.iter().map(|&s| new_id[s as usize]).collect();
    let renumbered_ms = one_to_all_ms(&search, &local_sources, &mut state);
    let petgraph_ms = petgraph_one_to_all_ms(&search, &local_sources, &mut state);
    let renumbering = Renumbering {
        method: if graph.coords().is_some() {
            "hilbert"
        } else {
            "bfs"
        }
        .to_string(),
        seconds: renumber_s,
        sources: all_sources.len(),
        input_order_ms: input_ms,
        shuffled_ms,
        renumbered_ms,
        ns_per_arc: renumbered_ms * 1e6 / m.max(1) as f64,
        petgraph_ms,
        petgraph_ratio: petgraph_ms / renumbered_ms.max(1e-9),
    };
    let local: Vec<(u32, u32)> = queries
        .iter()
        .map(|&(s, t)| (new_id[s as usize], new_id[t as usize]))
        .collect();

    // Dijkstra family.
    let cap = ((options.dijkstra_arc_budget / m.max(1) as f64) as usize)
        .max(20)
        .min(local.len());
    let (mut f, mut b) = (SearchState::new(), SearchState::new());
    let mut reference = Vec::with_capacity(cap);
    let mut times = Vec::with_capacity(cap);
    let family = if search.has_astar() { 3 } else { 2 };
    progress.stage(
        "Dijkstra, bidirectional, A* queries",
        Some((family * cap) as u64),
    );
    for &(s, t) in &local[..cap] {
        let t0 = Instant::now();
        let d = search.dijkstra(s, t, &mut f);
        times.push(t0.elapsed().as_secs_f64() * 1e6);
        reference.push(d);
        progress.advance(1);
    }
    let mut methods = vec![stats("dijkstra", times, 0, cap)];
    let run_method = |name: &str, q: &mut dyn FnMut(u32, u32) -> Option<u32>| {
        let mut times = Vec::with_capacity(cap);
        let mut wrong = 0;
        for (i, &(s, t)) in local[..cap].iter().enumerate() {
            let t0 = Instant::now();
            let d = q(s, t);
            times.push(t0.elapsed().as_secs_f64() * 1e6);
            wrong += usize::from(d != reference[i]);
            progress.advance(1);
        }
        stats(name, times, wrong, cap)
    };
    methods.push(run_method("bidirectional", &mut |s, t| {
        search.bidirectional(s, t, &mut f, &mut b)
    }));
    if search.has_astar() {
        methods.push(run_method("astar", &mut |s, t| search.astar(s, t, &mut f)));
    }

    // CCH on the renumbered graph.
    progress.stage("CCH preprocessing", None);
    let (cch, cch_stats) = Cch::new(&renumbered);
    let mut customize = Vec::new();
    for _ in 0..5 {
        let t0 = Instant::now();
        let metric = cch.customize(renumbered.weights());
        customize.push(t0.elapsed().as_secs_f64() * 1e3);
        drop(metric);
    }
    customize.sort_by(f64::total_cmp);
    let mut metric = cch.customize(renumbered.weights());
    let mut q = CchQuery::new(&cch);
    let mut times = Vec::with_capacity(local.len());
    let mut wrong = 0;
    progress.stage("CCH queries", Some(local.len() as u64));
    for (i, &(s, t)) in local.iter().enumerate() {
        let t0 = Instant::now();
        let d = q.distance(&metric, s, t);
        times.push(t0.elapsed().as_secs_f64() * 1e6);
        if i < cap {
            wrong += usize::from(d != reference[i]);
        }
        progress.advance(1);
    }
    methods.push(stats("cch", times, wrong, cap));
    let preprocessing = Preprocessing {
        order_s: cch_stats.order_s + renumber_s,
        contract_s: cch_stats.contract_s,
        cch_arcs: cch_stats.arcs,
        tree_depth: cch_stats.tree_depth,
        customize_ms: percentile(&customize, 0.5),
    };

    // Closures: close both directions of a random arc's link, query, reopen.
    let mut rng = SplitMix64::new(options.seed ^ 0x5eed);
    let arcs = renumbered.arcs();
    let base = renumbered.weights();
    let mut reverse = std::collections::HashMap::new();
    for (i, &a) in arcs.iter().enumerate() {
        reverse.entry(a).or_insert(i as u32);
    }
    let mut close_times = Vec::new();
    let mut recomputed = 0usize;
    let mut closure_wrong = 0usize;
    let checks = options.closures.min(10);
    progress.stage("closures", Some(options.closures.min(m) as u64));
    for k in 0..options.closures.min(m) {
        let i = rng.below(m as u64) as u32;
        let (t, h) = arcs[i as usize];
        let mut link = vec![i];
        if let Some(&r) = reverse.get(&(h, t)) {
            link.push(r);
        }
        let (s, d) = local[k % local.len().max(1)];
        let closed: Vec<(u32, u32)> = link.iter().map(|&a| (a, INF)).collect();
        let reopened: Vec<(u32, u32)> = link.iter().map(|&a| (a, base[a as usize])).collect();
        let t0 = Instant::now();
        recomputed += metric.update(&closed);
        let answer = q.distance(&metric, s, d);
        recomputed += metric.update(&reopened);
        close_times.push(t0.elapsed().as_secs_f64() * 1e3);
        if k < checks {
            let w = |a: u32| {
                let input = search.csr.input_index(a);
                (!link.contains(&input)).then(|| search.weights[a as usize])
            };
            let r = csr::one_to_one(&search.csr, &[s], &[d], w, |_| true, &mut f)
                .map(|v| f.dist(v) as u32);
            closure_wrong += usize::from(r != answer);
        }
        progress.advance(1);
    }
    let fresh = cch.customize(base);
    let restored_exactly = metric.same_weights(&fresh);
    drop(fresh);
    close_times.sort_by(f64::total_cmp);
    let closures = Closures {
        links: close_times.len(),
        median_ms: percentile(&close_times, 0.5),
        mean_arcs_recomputed: recomputed as f64 / close_times.len().max(1) as f64,
        restored_exactly,
        disagreements: closure_wrong,
    };

    // Many-to-many.
    progress.stage("many-to-many matrix", None);
    let k = options.matrix_size.min(local.len());
    let sources: Vec<u32> = local[..k].iter().map(|q| q.0).collect();
    let targets: Vec<u32> = local[..k].iter().map(|q| q.1).collect();
    let timed_matrix = || {
        let t0 = Instant::now();
        let table = metric.matrix(&sources, &targets);
        (table, t0.elapsed().as_secs_f64() * 1e3)
    };
    let (table, matrix_ms) = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool.install(timed_matrix),
        Err(_) => timed_matrix(),
    };
    let rows_checked =
        k.min(((options.dijkstra_arc_budget / 20.0 / m.max(1) as f64) as usize).max(2));
    let mut matrix_wrong = 0;
    for (r, &s) in sources.iter().enumerate().take(rows_checked) {
        search.one_to_all(s, &mut f);
        for (c, &t) in targets.iter().enumerate() {
            let want = f.reached(t).then(|| f.dist(t) as u32);
            matrix_wrong += usize::from(table[r * k + c] != want);
        }
    }
    let matrix = Matrix {
        sources: k,
        targets: k,
        ms: matrix_ms,
        rows_checked: rows_checked.min(k),
        disagreements: matrix_wrong,
    };

    // Throughput per thread count: the same queries at every count, about half a second of
    // work per thread.
    let mean_of = |name: &str| {
        methods
            .iter()
            .find(|m| m.method == name)
            .map_or(0.0, |m| m.mean_us)
    };
    let (cch_rounds, dijkstra_rounds) = (
        rounds_for(0.5, mean_of("cch"), local.len()),
        rounds_for(0.5, mean_of("dijkstra"), cap),
    );
    let mut throughput: Vec<Throughput> = Vec::new();
    progress.stage(
        "throughput (thread counts)",
        Some(options.threads.len() as u64),
    );
    for &threads in &options.threads {
        let cch_qps = batch_throughput(
            threads,
            &local,
            cch_rounds,
            || CchQuery::new(&cch),
            |q, s, t| q.distance(&metric, s, t),
        );
        let dijkstra_qps = batch_throughput(
            threads,
            &local[..cap],
            dijkstra_rounds,
            SearchState::new,
            |st, s, t| search.dijkstra(s, t, st),
        );
        for (method, rounds, rate) in [
            ("cch", cch_rounds, cch_qps),
            ("dijkstra", dijkstra_rounds, dijkstra_qps),
        ] {
            let base = throughput
                .iter()
                .find(|t| t.method == method && t.threads == 1);
            let wall_base = base.map_or(rate.wall_qps, |t| t.queries_per_s);
            let cpu_base = base.map_or(rate.cpu_qps, |t| t.cpu_queries_per_s);
            throughput.push(Throughput {
                method: method.into(),
                threads,
                rounds,
                queries_per_s: rate.wall_qps,
                speedup: rate.wall_qps / wall_base,
                cpu_queries_per_s: rate.cpu_qps,
                cpu_speedup: rate.cpu_qps.zip(cpu_base).map(|(a, b)| a / b),
            });
        }
        progress.advance(1);
    }

    let memory = Memory {
        graph_bytes: search.csr.num_arcs() * (4 * 4 + 8) + (n + 1) * 8,
        cch_bytes: cch.memory_bytes(),
        metric_bytes: metric.memory_bytes(),
    };
    Ok(BenchReport {
        graph: GraphInfo {
            name: graph.name.clone(),
            nodes: n,
            arcs: m,
            weight_unit: graph.weight_unit.clone(),
            coordinates: graph.coords().is_some(),
        },
        seed: options.seed,
        renumbering,
        preprocessing,
        methods,
        closures,
        matrix,
        throughput,
        memory,
    })
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// The terminal's account of a benchmark; `peak_rss` is the process's peak resident memory in
/// bytes (0 when unknown).
pub fn text_report(r: &BenchReport, peak_rss: u64) -> String {
    let mut s = String::new();
    let out = &mut s;
    let g = &r.graph;
    let _ = writeln!(
        out,
        "{}: {} nodes, {} arcs, weights in {}{}; seed {}",
        g.name,
        thousands(g.nodes as f64),
        thousands(g.arcs as f64),
        g.weight_unit,
        if g.coordinates {
            ", with coordinates"
        } else {
            ""
        },
        r.seed
    );
    let n = &r.renumbering;
    let _ = writeln!(
        out,
        "\nrenumbering ({}, {:.3} s); one-to-all Dijkstra over {} sources: input order {:.2} ms, \
         shuffled {:.2} ms, renumbered {:.2} ms ({:.1} ns per arc); petgraph {:.2} ms ({:.1}x ours)",
        n.method,
        n.seconds,
        n.sources,
        n.input_order_ms,
        n.shuffled_ms,
        n.renumbered_ms,
        n.ns_per_arc,
        n.petgraph_ms,
        n.petgraph_ratio
    );
    let p = &r.preprocessing;
    let _ = writeln!(
        out,
        "CCH: order {:.2} s, contraction {:.2} s, {} arcs, elimination tree depth {}, \
         customization {:.1} ms",
        p.order_s,
        p.contract_s,
        thousands(p.cch_arcs as f64),
        p.tree_depth,
        p.customize_ms
    );
    let _ = writeln!(
        out,
        "\n{:<14} {:>8} {:>12} {:>12} {:>12} {:>15}",
        "method", "queries", "median us", "p99 us", "mean us", "disagreements"
    );
    for m in &r.methods {
        let _ = writeln!(
            out,
            "{:<14} {:>8} {:>12.2} {:>12.2} {:>12.2} {:>9} / {:<5}",
            m.method, m.queries, m.median_us, m.p99_us, m.mean_us, m.disagreements, m.checked
        );
    }
    let c = &r.closures;
    let _ = writeln!(
        out,
        "\nclose, query, reopen one link ({} links): median {:.3} ms, {:.0} arcs recomputed on \
         average; weights restored exactly: {}; disagreements {}",
        c.links,
        c.median_ms,
        c.mean_arcs_recomputed,
        if c.restored_exactly { "yes" } else { "NO" },
        c.disagreements
    );
    write_throughput(out, r, peak_rss);
    s
}

/// The many-to-many matrix, the batch throughput per thread count and memory.
fn write_throughput(out: &mut String, r: &BenchReport, peak_rss: u64) {
    let x = &r.matrix;
    let _ = writeln!(
        out,
        "{}x{} matrix (one thread): {:.2} ms; {} rows checked against Dijkstra, {} disagreements",
        x.sources, x.targets, x.ms, x.rows_checked, x.disagreements
    );
    let _ = writeln!(
        out,
        "\nbatch queries (each thread its own state, the same queries; CPU: per second of each \
         thread's own CPU time):\n{:<10} {:>8} {:>8} {:>14} {:>8} {:>14} {:>12}",
        "method", "threads", "rounds", "queries/s", "speedup", "CPU queries/s", "CPU speedup"
    );
    for t in &r.throughput {
        let cpu = |x: Option<f64>, digits: usize, unit: &str| {
            x.map_or("-".to_string(), |v| format!("{v:.digits$}{unit}"))
        };
        let _ = writeln!(
            out,
            "{:<10} {:>8} {:>8} {:>14.0} {:>7.2}x {:>14} {:>12}",
            t.method,
            t.threads,
            t.rounds,
            t.queries_per_s,
            t.speedup,
            cpu(t.cpu_queries_per_s, 0, ""),
            cpu(t.cpu_speedup, 2, "x")
        );
    }
    let m = &r.memory;
    let _ = writeln!(
        out,
        "\nmemory: graph {}, CCH {}, one metric {}; process peak {}",
        mib(m.graph_bytes as u64),
        mib(m.cch_bytes as u64),
        mib(m.metric_bytes as u64),
        mib(peak_rss)
    );
}
