//! Single-link criticality at scale, incremental against naive, in one run: over every link of
//! the TNTP Chicago Sketch network (by free-flow time; zones never passed through) and of the
//! Isle of Man road graph imported at full resolution from OpenStreetMap (by travel time), for
//! 1,000 seeded origin-destination pairs.
//!
//! The incremental method searches each pair once, then re-searches only the pairs whose best
//! path uses the closed link; on graphs of more than 20,000 links it is timed on a seeded sample
//! of 300 links and scaled by the number of re-searches all links need (known exactly from the
//! base paths). The naive method re-searches every pair for every link; it is timed on a seeded
//! sample of links and scaled to all links (its cost per link does not depend on the link), and
//! the two are checked equal where the samples meet.
//!
//! `cargo bench --bench criticality` (prints a table; `CORRIDOR_SHARED_DATA` when
//! `../shared/data` is not beside the checkout). Threads: `RAYON_NUM_THREADS`, default all cores.

use std::path::PathBuf;
use std::time::Instant;

use corridor::analysis::criticality::{single_link_naive, Criticality, OdPair};
use corridor::network::osm::{import, OsmOptions, Resolution, RoadClasses};
use corridor::network::tntp::read_net;
use corridor::network::{CostModel, Country};
use corridor::routing::csr::Csr;
use corridor::util::SplitMix64;

const PAIRS: usize = 1000;
const NAIVE_SAMPLE: usize = 20;
/// Above this many links the incremental method is timed on a sample and scaled.
const INCREMENTAL_ALL_UP_TO: usize = 20_000;
const INCREMENTAL_SAMPLE: usize = 300;

fn shared() -> PathBuf {
    std::env::var_os("CORRIDOR_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}

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
    let net = read_net(&shared().join("tntp/ChicagoSketch_net.tntp")).expect("Chicago Sketch");
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
    .expect("Isle of Man import");
    let net = imported.network;
    let costs = CostModel::default();
    let mut arcs = Vec::new();
    let mut hours = Vec::new();
    let mut link = Vec::new();
    for (i, l) in net.links.iter().enumerate() {
        let h = l.length_km / l.speed_kmh.unwrap_or(costs.speed_kmh.get(l.mode));
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
    let t = Instant::now();
    let base = c.base();
    let base_s = t.elapsed().as_secs_f64();
    // Every link when the graph is small; on a large one, a seeded sample timed and scaled (the
    // incremental cost of a link is the number of pairs using it, so the sample is drawn from
    // all links uniformly and its mean scaled).
    let users = c.users(&base);
    let all_users: usize = users.iter().map(Vec::len).sum();
    let mut order: Vec<u32> = (0..g.links as u32).collect();
    let mut srng = SplitMix64::new(7);
    srng.shuffle(&mut order);
    let timed: Vec<u32> = if g.links > INCREMENTAL_ALL_UP_TO {
        order[..INCREMENTAL_SAMPLE].to_vec()
    } else {
        (0..g.links as u32).collect()
    };
    let t = Instant::now();
    let sub_users: usize = timed.iter().map(|&l| users[l as usize].len()).sum();
    let fast_sample = c.multi_link(&base, &timed.iter().map(|&l| vec![l]).collect::<Vec<_>>());
    let sample_s = t.elapsed().as_secs_f64();
    let incremental = if timed.len() == g.links {
        base_s + sample_s
    } else {
        base_s + sample_s * all_users as f64 / sub_users.max(1) as f64
    };
    let mut fast = vec![None; g.links];
    for (k, &l) in timed.iter().enumerate() {
        fast[l as usize] = Some(fast_sample[k].clone());
    }
    let searches = all_users + PAIRS;

    // Naive on a sample of links: every pair for each sampled link.
    let mut sample: Vec<u32> = (0..g.links as u32).collect();
    rng.shuffle(&mut sample);
    sample.truncate(NAIVE_SAMPLE);
    sample.sort_unstable();
    let sub_links: Vec<u32> = sample.clone();
    let t = Instant::now();
    let naive_one = {
        // The oracle over all links, restricted to the sample by mapping other links to none.
        let map: Vec<u32> = g
            .link_of_arc
            .iter()
            .map(|&l| match sub_links.binary_search(&l) {
                Ok(k) => k as u32,
                Err(_) => corridor::routing::csr::NONE,
            })
            .collect();
        let sub = Criticality {
            csr: &g.csr,
            weight_sets: &sets,
            link_of_arc: &map,
            links: sub_links.len(),
            pairs: &pairs,
            passable: &*g.passable,
        };
        single_link_naive(&sub, &base)
    };
    let naive_sample = t.elapsed().as_secs_f64();
    for (k, &l) in sample.iter().enumerate() {
        let Some(a) = &fast[l as usize] else { continue };
        let b = &naive_one[k];
        assert_eq!(
            (a.disconnected, a.extra_cost.to_bits()),
            (b.disconnected, b.extra_cost.to_bits()),
            "{}: link {l} differs",
            g.name
        );
    }
    let naive_all = naive_sample / NAIVE_SAMPLE as f64 * g.links as f64;
    let how = if timed.len() == g.links {
        String::new()
    } else {
        format!(", extrapolated from {} links", timed.len())
    };
    println!(
        "| {} | {} | {} | {} | {:.2} s ({searches} searches{how}) | {:.0} s (extrapolated from {NAIVE_SAMPLE} links: {:.2} s) | {:.0}x |",
        g.name,
        g.csr.num_nodes(),
        g.links,
        rayon::current_num_threads(),
        incremental,
        naive_all,
        naive_sample,
        naive_all / incremental
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs nothing heavy.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    println!(
        "| graph | nodes | links | threads | incremental (all links) | naive (all links) | ratio |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    run(&chicago());
    run(&isle_of_man());
}
