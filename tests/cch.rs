//! Customizable contraction hierarchies against plain Dijkstra on the shared real graphs and a
//! synthetic one: 10,000 seeded random pairs per graph (100 sources x 100 targets, so that the
//! reference is 100 one-to-all searches), as one-to-one queries and as a many-to-many matrix; and
//! partial re-customization after closing links, against Dijkstra on the graph without them.
//! The Isle of Man road graph (73k nodes, imported at full resolution) is `#[ignore]`d here and
//! run in release by `.ci/run`.

use corridor::network::dimacs;
use corridor::network::osm::{self, OsmOptions, Resolution, RoadClasses};
use corridor::network::{tntp, Country};
use corridor::routing::cch::{Cch, CchQuery};
use corridor::routing::csr::{one_to_all, SearchState};
use corridor::routing::road::{RoadGraph, INF};
use corridor::routing::synthetic;
use corridor::util::SplitMix64;

use crate::common::shared_data;

const SEED: u64 = 20210111;

/// Dijkstra from `s` over the graph's weights with the `closed` input arcs removed.
fn dijkstra(g: &RoadGraph, s: u32, closed: &[u32]) -> Vec<Option<u32>> {
    let (csr, w) = g.csr().expect("graph fits u32 ids");
    let mut st = SearchState::new();
    let weight = |a: u32| (!closed.contains(&csr.input_index(a))).then(|| w[a as usize]);
    one_to_all(&csr, &[s], weight, |_| true, &mut st);
    (0..g.num_nodes() as u32)
        .map(|v| st.reached(v).then(|| st.dist(v) as u32))
        .collect()
}

/// 100 x 100 seeded pairs, one-to-one and as a matrix, then 5 rounds of closing 10 random arcs
/// (partial update) checked on 10 sources, reopening them after each round.
fn check(g: &RoadGraph) {
    let n = g.num_nodes() as u64;
    let mut rng = SplitMix64::new(SEED);
    let sources: Vec<u32> = (0..100).map(|_| rng.below(n) as u32).collect();
    let targets: Vec<u32> = (0..100).map(|_| rng.below(n) as u32).collect();
    let (cch, _) = Cch::new(g);
    let mut metric = cch.customize(g.weights());
    let mut q = CchQuery::new(&cch);
    let matrix = metric.matrix(&sources, &targets);
    let mut reached = 0;
    for (i, &s) in sources.iter().enumerate() {
        let reference = dijkstra(g, s, &[]);
        for (j, &t) in targets.iter().enumerate() {
            let want = reference[t as usize];
            reached += usize::from(want.is_some());
            assert_eq!(
                q.distance(&metric, s, t),
                want,
                "{}: query {s} -> {t} (seed {SEED})",
                g.name
            );
            assert_eq!(matrix[i * 100 + j], want, "{}: matrix {s} -> {t}", g.name);
        }
    }
    assert!(
        reached > 5_000,
        "{}: only {reached} of 10,000 pairs connected",
        g.name
    );
    for round in 0..5 {
        let closed: Vec<u32> = (0..10)
            .map(|_| rng.below(g.num_arcs() as u64) as u32)
            .collect();
        let changes: Vec<(u32, u32)> = closed.iter().map(|&a| (a, INF)).collect();
        metric.update(&changes);
        for &s in &sources[..10] {
            let reference = dijkstra(g, s, &closed);
            for &t in &targets {
                assert_eq!(
                    q.distance(&metric, s, t),
                    reference[t as usize],
                    "{}: round {round}, {s} -> {t} with arcs {closed:?} closed",
                    g.name
                );
            }
        }
        let reopened: Vec<(u32, u32)> = closed
            .iter()
            .map(|&a| (a, g.weights()[a as usize]))
            .collect();
        metric.update(&reopened);
    }
    assert!(
        metric.same_weights(&cch.customize(g.weights())),
        "{}: reopening every closed arc must restore the first customization exactly",
        g.name
    );
}

#[test]
fn cch_equals_dijkstra_on_bremen() {
    let path = shared_data("graphs").join("bremen_time.gr");
    let g = dimacs::read(&path).expect("the Bremen graph reads");
    check(&RoadGraph::from_dimacs("bremen_time", &g).expect("Bremen fits the u32 core"));
}

#[test]
fn cch_equals_dijkstra_on_chicago_sketch() {
    let files = tntp::locate(&shared_data("tntp").join("ChicagoSketch")).expect("Chicago Sketch");
    let net = tntp::read_net(&files.net).expect("Chicago Sketch reads");
    check(&RoadGraph::from_tntp("Chicago Sketch", &net).expect("fits"));
}

#[test]
fn cch_equals_dijkstra_on_a_synthetic_road_like_graph() {
    check(&synthetic::road_like(5_000, SEED).expect("fits"));
}

#[test]
#[ignore = "release only: imports the Isle of Man at full resolution (run by .ci/run)"]
fn cch_equals_dijkstra_on_the_isle_of_man_road_graph() {
    let file = shared_data("osm").join("isle_of_man_2020-03-14.osm.pbf");
    let mut options = OsmOptions::new(Country::parse("IM").expect("two letters"));
    options.rail = false;
    options.road_classes = RoadClasses::All;
    options.resolution = Resolution::Full;
    let imported = osm::import(&file, &options).expect("the Isle of Man imports");
    let g = RoadGraph::from_network("Isle of Man", &imported.network).expect("fits");
    assert!(g.num_nodes() > 60_000, "{} nodes", g.num_nodes());
    check(&g);
}
