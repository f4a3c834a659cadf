//! Single-link criticality at scale, in one run, four methods side by side: over every link of
//! the TNTP Chicago Sketch network (by free-flow time; zones never passed through) and of the
//! Isle of Man road graph imported at full resolution from OpenStreetMap (by travel time in whole
//! tenths of a second), for 1,000 seeded origin-destination pairs.
//!
//! - *detours* ([`Criticality::single_link`], the default): per pair one backward search, then
//!   per chain of its best path an A* search from the path's intact prefix guided by the exact
//!   old distances; timed over every link.
//! - *per-link*: for each link, the pairs whose best path uses it searched again from scratch
//!   (Dijkstra); on graphs of more than 20,000 links it is timed on a seeded sample of 300 links
//!   and scaled by the number of re-searches all links need (known exactly from the base paths).
//! - *per-link CCH*: the same re-searches as CCH queries, each link closed by a partial
//!   re-customization of a customizable contraction hierarchy ([`CchClosure`]), on every link;
//!   its time includes the order, contraction and customization. Only where the weights are
//!   whole numbers (the Isle of Man), so that it equals the others bit for bit.
//! - *naive*: every pair searched again for every link; timed on a seeded sample of 20 links and
//!   scaled to all links (its cost per link does not depend on the link).
//!
//! The detour losses are checked equal, bit for bit, to the per-link and naive ones where the
//! samples meet. Every time includes finding the pairs' best paths (the detour method finds them
//! itself, guided by its backward searches; the others by Dijkstra). The detour method's CPU time
//! is printed beside its wall time: on a shared machine the wall time stretches.
//!
//! `cargo bench --bench criticality` (prints a table; `CORRIDOR_SHARED_DATA` when
//! `../shared/data` is not beside the checkout). Threads: `RAYON_NUM_THREADS`, default all cores.

use std::time::Instant;

use corridor::analysis::cch_closure::{cch_graph, CchClosure};
use corridor::analysis::link_loss::{single_link_naive, Criticality, OdPair};
use corridor::network::osm::{import, OsmOptions, Resolution, RoadClasses};
use corridor::network::tntp::read_net;
use corridor::network::{CostModel, Country};
use corridor::routing::cch::Cch;
use corridor::routing::csr::Csr;
use corridor::util::SplitMix64;

mod common;
use common::shared;

const PAIRS: usize = 1000;
const NAIVE_SAMPLE: usize = 20;
/// Above this many links the per-link method is timed on a sample and scaled.
const PER_LINK_ALL_UP_TO: usize = 20_000;
const PER_LINK_SAMPLE: usize = 300;

struct Graph {
    name: &'static str,
    csr: Csr,
    weights: Vec<Option<f64>>,
    link_of_arc: Vec<u32>,
    links: usize,
    passable: Box<dyn Fn(u32) -> bool + Sync>,
    endpoints: Vec<u32>,
}

fn chicago() -> Graph {
    let net = read_net(&shared().join("tntp/ChicagoSketch_net.tntp")).unwrap_or_else(|e| {
        panic!("Chicago Sketch ({e}): set CORRIDOR_SHARED_DATA to the shared data folder")
    });
    let csr = Csr::from_arcs(net.nodes as usize, &net.pairs()).expect("csr");
    let weights = (0..csr.num_arcs() as u32)
        .map(|a| Some(net.arcs[csr.input_index(a) as usize].free_flow_time))
        .collect();
    let link_of_arc = (0..csr.num_arcs() as u32)
        .map(|a| csr.input_index(a))
        .collect();
    let first_thru = net.first_thru_node;
    Graph {
        name: "TNTP Chicago Sketch",
        links: net.arcs.len(),
        csr,
        weights,
        link_of_arc,
        passable: Box::new(move |v| v + 1 >= first_thru),
        endpoints: (0..net.zones).collect(),
    }
}

fn isle_of_man() -> Graph {
    let mut options = OsmOptions::new(Country::parse("IM").expect("code"));
    options.rail = false;
    options.road_classes = RoadClasses::All;
    options.resolution = Resolution::Full;
    let imported = import(
        &shared().join("osm/isle_of_man_2020-03-14.osm.pbf"),
        &options,
    )
    .unwrap_or_else(|e| {
        panic!("Isle of Man import ({e}): set CORRIDOR_SHARED_DATA to the shared data folder")
    });
    let net = imported.network;
    let costs = CostModel::default();
    let mut arcs = Vec::new();
    let mut hours = Vec::new();
    let mut link = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        // Travel time in whole tenths of a second (at least one): whole weights, which the
        // CCH method needs to equal the others bit for bit.
        let h = (36_000.0 * l.length_km / l.speed_kmh.unwrap_or(costs.speed_kmh.get(l.mode)))
            .round()
            .max(1.0);
        arcs.push((l.from.0, l.to.0));
        hours.push(h);
        link.push(i as u32);
        if !l.oneway {
            arcs.push((l.to.0, l.from.0));
            hours.push(h);
            link.push(i as u32);
        }
    }
    let csr = Csr::from_arcs(net.nodes.len(), &arcs).expect("csr");
    let weights = (0..csr.num_arcs() as u32)
        .map(|a| Some(hours[csr.input_index(a) as usize]))
        .collect();
    let link_of_arc = (0..csr.num_arcs() as u32)
        .map(|a| link[csr.input_index(a) as usize])
        .collect();
    Graph {
        name: "OSM Isle of Man roads (full)",
        links: net.links.len(),
        csr,
        weights,
        link_of_arc,
        passable: Box::new(|_| true),
        endpoints: (0..net.nodes.len() as u32).collect(),
    }
}

/// CPU seconds used by this process so far (all threads), from `/proc/self/stat` (Linux; 0
/// elsewhere): on a shared machine, wall times stretch and CPU times do not.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces, inside parentheses).
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; in clock
    // ticks of 1/100 s on Linux.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

fn run(g: &Graph) {
    let mut rng = SplitMix64::new(1000);
    let pick = |rng: &mut SplitMix64| g.endpoints[rng.below(g.endpoints.len() as u64) as usize];
    let pairs: Vec<OdPair> = (0..PAIRS)
        .map(|_| OdPair {
            sources: vec![pick(&mut rng)],
            targets: vec![pick(&mut rng)],
            weight_set: 0,
            weight: 1.0,
        })
        .collect();
    let sets = vec![g.weights.clone()];
    let c = Criticality {
        csr: &g.csr,
        weight_sets: &sets,
        link_of_arc: &g.link_of_arc,
        links: g.links,
        pairs: &pairs,
        passable: &*g.passable,
    };
    // The detour method over every link, best paths included: the figure that counts.
    let (t, cpu) = (Instant::now(), cpu_seconds());
    let all = c.single_link_all();
    let detours = t.elapsed().as_secs_f64();
    let detours_cpu = cpu_seconds() - cpu;
    let (fast, stats) = (&all.loss, all.stats);

    // The other methods start from Dijkstra's best paths; the costs are the same bit for bit.
    let t = Instant::now();
    let base = c.base();
    let base_s = t.elapsed().as_secs_f64();
    assert!(
        base.cost
            .iter()
            .zip(&all.base.cost)
            .all(|(a, b)| a.to_bits() == b.to_bits()),
        "{}: base costs differ",
        g.name
    );

    // The per-link method (Dijkstra from scratch for each pair using the link), on every link of
    // a small graph, else on a seeded sample scaled by the re-searches all links need (known
    // exactly from the base paths).
    let users = c.users(&base);
    let all_users: usize = users.iter().map(Vec::len).sum();
    let mut order: Vec<u32> = (0..g.links as u32).collect();
    SplitMix64::new(7).shuffle(&mut order);
    let timed: Vec<u32> = if g.links > PER_LINK_ALL_UP_TO {
        order[..PER_LINK_SAMPLE].to_vec()
    } else {
        (0..g.links as u32).collect()
    };
    let sub_users: usize = timed.iter().map(|&l| users[l as usize].len()).sum();
    let t = Instant::now();
    let per_link_sample = c.multi_link(&base, &timed.iter().map(|&l| vec![l]).collect::<Vec<_>>());
    let sample_s = t.elapsed().as_secs_f64();
    let per_link = if timed.len() == g.links {
        base_s + sample_s
    } else {
        base_s + sample_s * all_users as f64 / sub_users.max(1) as f64
    };
    for (k, &l) in timed.iter().enumerate() {
        let (a, b) = (&fast[l as usize], &per_link_sample[k]);
        assert_eq!(
            (a.disconnected, a.extra_cost.to_bits(), &a.cut_pairs),
            (b.disconnected, b.extra_cost.to_bits(), &b.cut_pairs),
            "{}: link {l}: per-link and detours differ",
            g.name
        );
    }

    // The per-link method with a CCH (partial re-customization per closed link, a CCH query per
    // pair using it), on every link, where the weights are whole numbers.
    let cch_column = match cch_graph(&c) {
        Ok(graph) => {
            let t = Instant::now();
            let (cch, _) = Cch::new(&graph);
            let prep = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let search = CchClosure::new(&c, &graph, &cch);
            let by_cch = c.single_link_per_link(&base, &search);
            let run = t.elapsed().as_secs_f64();
            for (a, b) in by_cch.iter().zip(fast) {
                assert_eq!(
                    (a.disconnected, a.extra_cost.to_bits(), &a.cut_pairs),
                    (b.disconnected, b.extra_cost.to_bits(), &b.cut_pairs),
                    "{}: link {}: CCH and detours differ",
                    g.name,
                    a.link
                );
            }
            format!(
                "{:.1} s (order and contraction {prep:.1} s)",
                base_s + prep + run
            )
        }
        Err(e) => {
            eprintln!("{}: no CCH column: {e}", g.name);
            "-".to_string()
        }
    };

    // Naive on a sample of links: every pair for each sampled link.
    let mut sample: Vec<u32> = (0..g.links as u32).collect();
    rng.shuffle(&mut sample);
    sample.truncate(NAIVE_SAMPLE);
    sample.sort_unstable();
    let t = Instant::now();
    let naive_sample_loss = {
        // The oracle over all links, restricted to the sample by mapping other links to none.
        let map: Vec<u32> = g
            .link_of_arc
            .iter()
            .map(|&l| match sample.binary_search(&l) {
                Ok(k) => k as u32,
                Err(_) => corridor::routing::csr::NONE,
            })
            .collect();
        let sub = Criticality {
            csr: &g.csr,
            weight_sets: &sets,
            link_of_arc: &map,
            links: sample.len(),
            pairs: &pairs,
            passable: &*g.passable,
        };
        single_link_naive(&sub, &base)
    };
    let naive_sample = t.elapsed().as_secs_f64();
    for (k, &l) in sample.iter().enumerate() {
        let (a, b) = (&fast[l as usize], &naive_sample_loss[k]);
        assert_eq!(
            (a.disconnected, a.extra_cost.to_bits(), &a.cut_pairs),
            (b.disconnected, b.extra_cost.to_bits(), &b.cut_pairs),
            "{}: link {l}: naive and detours differ",
            g.name
        );
    }
    let naive = base_s + naive_sample / NAIVE_SAMPLE as f64 * g.links as f64;
    let how = if timed.len() == g.links {
        String::new()
    } else {
        format!(", from {} links", timed.len())
    };
    let reachable = base.cost.iter().filter(|c| c.is_finite()).count();
    println!(
        "| {} | {} | {} | {} | {reachable} | **{:.2} s** (CPU {:.1} s) | {:.1} s{how} | {cch_column} | {:.0} s (from {NAIVE_SAMPLE} links: {:.1} s) | {:.0}x | **{:.0}x** |",
        g.name,
        g.csr.num_nodes(),
        g.links,
        rayon::current_num_threads(),
        detours,
        detours_cpu,
        per_link,
        naive,
        naive_sample,
        per_link / detours,
        naive / detours,
    );
    eprintln!(
        "{}: Dijkstra base {base_s:.2} s; {} backward searches, {} (pair, link) losses, {} detour searches \
         ({:.0} nodes settled each), {} bridge cuts; per-link method {} searches",
        g.name,
        stats.backward_searches,
        stats.pair_links,
        stats.detour_searches,
        stats.settled as f64 / stats.detour_searches.max(1) as f64,
        stats.bridge_cuts,
        all_users,
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs nothing heavy.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    println!(
        "| graph | nodes | links | threads | reachable pairs | detours (all links) | per-link Dijkstra | per-link CCH (all links) | naive | per-link / detours | naive / detours |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    run(&chicago());
    run(&isle_of_man());
}
