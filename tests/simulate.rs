//! The freight simulation: the multi-class assignment on the hand-drawn `freight` fixture (a class
//! denied transit detours while another passes; a saturated crossing splits the flow at equal
//! costs), conservation of tonnes on the bundled data, the Monte Carlo acceptance tests
//! (thread-count independence, closure probability 0 equals the deterministic result, a link
//! closed with probability p on the only path), and `corridor simulate` through the binary.
//!
//! The `freight` fixture (road only, lengths in km; crossings dwell 2 h; 0.1 USD/t-km, 50 km/h,
//! value of time 1 USD/t-h):
//!
//! ```text
//!              50            50         50              50
//!   o (AM) ------ bx-ab ------ m (AZ) ------ bx-bg ------ d (GE)
//!     \                        |30                       /
//!      \                       e (AZ), a dead end        /
//!       \ 100         100             100          100 /
//!        `---- bx-at ------ w (TR) ------ bx-tg -------'
//! ```
//!
//! North costs 28 USD/t, south 52; in `base` Armenian cargo may not transit Azerbaijan.

use std::path::Path;

use corridor::network::LinkId;
use corridor::routing::{Metric, ModeSet, Query, Router};
use corridor::scenario::{Dataset, Disruption, Triangular};
use corridor::sim::freight::{Element, FreightOptions, FreightProblem, FreightResult};
use corridor::sim::reliability::{reliability, ReliabilityOptions, RouteReliability};
use corridor::sim::Method;

use crate::common::{
    assert_same_outputs, copy_dir, corridor, fixture, root, run_at_one_and_two_threads,
};

fn load(dir: &Path) -> Dataset {
    Dataset::load(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn link(data: &Dataset, id: &str) -> LinkId {
    data.network
        .link_id(id)
        .unwrap_or_else(|| panic!("no link {id}"))
}

fn assign(data: &Dataset, scenario: &str, method: Method) -> FreightResult {
    let router = Router::new(&data.network, &data.costs).unwrap();
    let overlay = router.overlay(&data.resolve(scenario).unwrap());
    let metric = Metric::generalized(&data.costs);
    let problem = FreightProblem::new(
        &router,
        &data.network,
        &overlay,
        &data.demand,
        data.capacity.as_ref(),
        metric,
    );
    let options = FreightOptions {
        method,
        gap: 1e-6,
        max_iter: 500,
        metric,
    };
    problem.solve(&options)
}

/// For every place, tonnes out minus tonnes in over its links equals its supply minus its
/// demand: nothing is created or lost on the way.
fn assert_conserved(data: &Dataset, r: &FreightResult) {
    let n = data.network.nodes.len();
    let mut net = vec![0.0; n];
    for (l, link) in data.network.links.iter().enumerate() {
        let [fwd, back] = r.link_flow_dir[l];
        net[link.from.index()] += fwd - back;
        net[link.to.index()] += back - fwd;
    }
    for row in r.rows.iter().filter(|x| x.served) {
        let d = &data.demand[row.row];
        net[d.from.index()] -= row.tonnes;
        net[d.to.index()] += row.tonnes;
    }
    let total: f64 = data.demand.iter().map(|d| d.tonnes_per_year).sum();
    for (v, x) in net.iter().enumerate() {
        assert!(
            x.abs() <= 1e-9 * total,
            "{}: {} t/yr unbalanced at {}",
            r.scenario,
            x,
            data.network.nodes[v].id
        );
    }
    let (served, unserved) = r.served_tonnes();
    assert!((served + unserved - total).abs() <= 1e-9 * total);
}

#[test]
fn a_class_denied_transit_detours_while_another_class_passes() {
    let data = load(&fixture("freight"));
    let base = assign(&data, "base", Method::Fw);
    let north = base.link_flow[link(&data, "road-m-bx-bg").index()];
    let south = base.link_flow[link(&data, "road-w-bx-tg").index()];
    assert_eq!(north, 1000.0, "Russian cargo through Azerbaijan");
    assert_eq!(south, 1000.0, "Armenian cargo round by Turkey");
    let am = &base.rows[0];
    assert_eq!(data.demand[am.row].id, "am-o-d");
    assert_eq!(
        am.transit.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["TR"]
    );
    assert!((am.cost - 52.0).abs() < 1e-9, "{}", am.cost);
    assert!((base.rows[1].cost - 28.0).abs() < 1e-9);
    // Transit revenue: 100 km in Azerbaijan and 200 km in Turkey at 0.1 USD/t-km, 1000 t each.
    let country = |r: &FreightResult, c: &str| {
        r.countries
            .iter()
            .find(|(k, _)| k.as_str() == c)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    assert!((country(&base, "AZ").transit_revenue_usd - 10_000.0).abs() < 1e-6);
    assert!((country(&base, "TR").transit_revenue_usd - 20_000.0).abs() < 1e-6);
    assert_eq!(country(&base, "AZ").transit_tonnes, 1000.0);
    assert_eq!(country(&base, "TR").transit_tonnes, 1000.0);
    assert_eq!(
        country(&base, "GE").transit_tonnes,
        0.0,
        "GE is the destination"
    );
    assert_conserved(&data, &base);

    let free = assign(&data, "free", Method::Fw);
    assert_eq!(free.link_flow[link(&data, "road-m-bx-bg").index()], 2000.0);
    assert_eq!(free.link_flow[link(&data, "road-w-bx-tg").index()], 0.0);
    assert_eq!(country(&free, "TR").transit_revenue_usd, 0.0);
    assert_conserved(&data, &free);
}

/// The fixture with one capacity: the north crossing bx-bg takes `t_per_day`.
fn capacitated(t_per_day: f64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("freight"), dir.path());
    std::fs::write(
        dir.path().join("capacity.toml"),
        format!(
            "bpr_alpha = 0.15\nbpr_beta = 4.0\n[[crossing]]\nid = \"bx-bg\"\nmode = \"road\"\n\
             t_per_day = {t_per_day}\nconfidence = \"L\"\nsource = \"test\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("demand.csv"),
        "id,origin,destination,cargo,modes,tonnes_per_year,confidence,source\n\
         ru-o-d,o,d,RU,road,200000,L,test\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_saturated_crossing_splits_the_flow_where_both_paths_cost_the_same() {
    let dir = capacitated(100.0);
    let data = load(dir.path());
    // At equilibrium the BPR delay at bx-bg, 2 h x 0.15 x (x / C)^4 at 1 USD/t-h, makes up the
    // 24 USD/t the south path costs more: x / C = 80^(1/4).
    let capacity = 100.0 * 365.0;
    let expected_north = capacity * 80f64.powf(0.25);
    for method in [Method::Fw, Method::Msa] {
        let r = assign(&data, "base", method);
        let north = r.link_flow[link(&data, "road-m-bx-bg").index()];
        let south = r.link_flow[link(&data, "road-w-bx-tg").index()];
        let tol = if method == Method::Fw { 0.002 } else { 0.02 };
        assert!(
            (north - expected_north).abs() <= tol * expected_north,
            "{method}: north {north}, expected {expected_north}"
        );
        assert!(
            (north + south - 200_000.0).abs() < 1e-6,
            "{north} + {south}"
        );
        let state = r
            .elements
            .iter()
            .find(|e| matches!(e.element, Element::Crossing(..)))
            .unwrap();
        assert!(
            (state.delay_hours - 24.0).abs() < 24.0 * 5.0 * tol,
            "{state:?}"
        );
        // The row's cheapest path costs what the south path costs (52 USD/t).
        assert!(
            (r.rows[0].cost - 52.0).abs() < 52.0 * tol,
            "{}",
            r.rows[0].cost
        );
        assert!((r.rows[0].free_flow_cost - 28.0).abs() < 1e-9);
        assert_conserved(&data, &r);
        if method == Method::Fw {
            assert!(r.converged, "{:?}", r.trace.last());
        }
    }
    // All or nothing ignores the capacity: everything on the north path.
    let aon = assign(&data, "base", Method::Aon);
    assert_eq!(
        aon.link_flow[link(&data, "road-m-bx-bg").index()],
        200_000.0
    );
    // The delay rises with the load: a wider crossing carries everything with a small delay.
    let wide = load(capacitated(1000.0).path());
    let r = assign(&wide, "base", Method::Fw);
    assert_eq!(r.link_flow[link(&wide, "road-w-bx-tg").index()], 0.0);
    let delay = r.elements[0].delay_hours;
    assert!(delay > 0.0 && delay < 0.5, "{delay}");
}

#[test]
fn tonnes_are_conserved_on_the_bundled_data() {
    let data = load(&root().join("data/caucasus"));
    assert!(!data.demand.is_empty() && data.capacity.is_some());
    for scenario in ["baseline-2021", "statement-2021", "iran-disruption"] {
        let r = assign(&data, scenario, Method::Fw);
        assert_conserved(&data, &r);
        assert!(r.converged, "{scenario}: {:?}", r.trace.last());
    }
}

fn queries(data: &Dataset, metric: Metric) -> Vec<Query> {
    data.routes
        .iter()
        .map(|r| Query {
            from: r.from,
            to: r.to,
            cargo: r.cargo,
            to_country: None,
            modes: ModeSet::of(&r.modes),
            metric,
            algorithm: Default::default(),
        })
        .collect()
}

fn draws(
    data: &Dataset,
    scenario: &str,
    disruptions: &[Disruption],
    n: usize,
    seed: u64,
) -> Vec<RouteReliability> {
    let router = Router::new(&data.network, &data.costs).unwrap();
    let overlay = router.overlay(&data.resolve(scenario).unwrap());
    let q = queries(data, Metric::generalized(&data.costs));
    reliability(
        &router,
        &overlay,
        &q,
        disruptions,
        &ReliabilityOptions {
            draws: n,
            seed,
            progress: Default::default(),
        },
    )
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn monte_carlo_gives_identical_results_for_any_thread_count() {
    let data = load(&root().join("data/caucasus"));
    assert!(!data.disruptions.is_empty());
    let one = in_pool(1, || {
        draws(&data, "baseline-2021", &data.disruptions, 300, 7)
    });
    let two = in_pool(2, || {
        draws(&data, "baseline-2021", &data.disruptions, 300, 7)
    });
    let three = in_pool(3, || {
        draws(&data, "baseline-2021", &data.disruptions, 300, 7)
    });
    assert_eq!(one, two);
    assert_eq!(one, three);
    // The seed matters: another seed draws other closures.
    let other = in_pool(2, || {
        draws(&data, "baseline-2021", &data.disruptions, 300, 8)
    });
    assert_ne!(one, other);
    // The freight assignment too.
    let f1 = in_pool(1, || assign(&data, "statement-2021", Method::Fw));
    let f2 = in_pool(2, || assign(&data, "statement-2021", Method::Fw));
    assert_eq!(f1, f2);
}

#[test]
fn monte_carlo_with_closure_probability_zero_equals_the_deterministic_result() {
    let data = load(&root().join("data/caucasus"));
    let never: Vec<Disruption> = data
        .disruptions
        .iter()
        .map(|d| Disruption {
            closure_probability: 0.0,
            dwell_h: Triangular {
                min: 0.0,
                mode: 0.0,
                max: 0.0,
            },
            ..d.clone()
        })
        .collect();
    let router = Router::new(&data.network, &data.costs).unwrap();
    let overlay = router.overlay(&data.resolve("baseline-2021").unwrap());
    let metric = Metric::generalized(&data.costs);
    let mut state = corridor::routing::RouteState::new();
    let rel = draws(&data, "baseline-2021", &never, 50, 2021);
    for ((route, q), r) in data.routes.iter().zip(queries(&data, metric)).zip(&rel) {
        let det = router.route(&q, &overlay, &mut state);
        match det {
            Some(p) => {
                assert_eq!(r.p_reachable, 1.0, "{}", route.id);
                assert_eq!(r.deterministic.map(|s| s.cost), Some(p.cost));
                assert!(r.samples.iter().all(|s| s.map(|s| s.cost) == Some(p.cost)));
                assert_eq!(r.expected_extra_cost, Some(0.0));
                assert_eq!(r.cost_percentiles, Some([p.cost; 3]));
            }
            None => {
                assert_eq!(r.p_reachable, 0.0, "{}", route.id);
                assert!(r.deterministic.is_none() && r.cost_percentiles.is_none());
            }
        }
    }
    // With dwell times but no closures, reachability is still the deterministic one and costs
    // never fall below it.
    let waits: Vec<Disruption> = data
        .disruptions
        .iter()
        .map(|d| Disruption {
            closure_probability: 0.0,
            ..d.clone()
        })
        .collect();
    let rel = draws(&data, "baseline-2021", &waits, 50, 2021);
    for r in &rel {
        match r.deterministic {
            Some(d) => {
                assert_eq!(r.p_reachable, 1.0);
                assert!(r.samples.iter().flatten().all(|s| s.cost >= d.cost - 1e-9));
            }
            None => assert_eq!(r.p_reachable, 0.0),
        }
    }
}

#[test]
fn a_link_closed_with_probability_p_on_the_only_path_is_reachable_with_probability_1_minus_p() {
    let data = load(&fixture("freight"));
    let m_e = data.routes.iter().position(|r| r.id == "m-e").unwrap();
    for (seed, p) in [(1u64, 0.3), (99, 0.05), (2021, 0.5)] {
        let only: Vec<Disruption> = data
            .disruptions
            .iter()
            .filter(|d| d.id == "m-e-closed")
            .map(|d| Disruption {
                closure_probability: p,
                ..d.clone()
            })
            .collect();
        let n = 4000;
        let r = &draws(&data, "base", &only, n, seed)[m_e];
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (r.p_reachable - (1.0 - p)).abs() <= 3.0 * se,
            "seed {seed}, p {p}: P(reachable) {} vs {} (3 s.e. = {})",
            r.p_reachable,
            1.0 - p,
            3.0 * se
        );
        assert!(
            (r.std_error - (r.p_reachable * (1.0 - r.p_reachable) / n as f64).sqrt()).abs() < 1e-15
        );
    }
    // A dwell on the crossing of the other route raises its cost by the dwell's mean, on
    // average: triangular (0, 2, 10) has mean 4 h, at 1 USD/t-h; closed 10 % of the time, when
    // the south path (24 USD/t dearer) is taken.
    let o_d = data.routes.iter().position(|r| r.id == "o-d").unwrap();
    let r = &draws(&data, "base", &data.disruptions, 4000, 5)[o_d];
    assert_eq!(r.p_reachable, 1.0);
    let expected = 0.9 * 4.0 + 0.1 * 24.0;
    let extra = r.expected_extra_cost.unwrap();
    assert!((extra - expected).abs() < 0.3, "{extra} vs {expected}");
}

#[test]
fn simulate_writes_identical_outputs_at_one_and_two_threads() {
    let (one, two) = run_at_one_and_two_threads(&[
        "simulate",
        "--scenario",
        "statement-2021",
        "--draws",
        "150",
        "--seed",
        "11",
    ]);
    assert_same_outputs(
        one.path(),
        two.path(),
        &[
            "flows.csv",
            "crossings.csv",
            "transit.csv",
            "freight_od.csv",
            "reliability.csv",
            "simulate.json",
            "flows.geojson",
            "flows.qml",
            "nodes.geojson",
            "links.geojson",
            "corridor.qgs",
            "crossing_throughput.png",
            "transit_revenue.svg",
            "reliability.png",
        ],
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.path().join("simulate.json")).unwrap()).unwrap();
    assert_eq!(json["seed"], 11);
    assert_eq!(json["draws"], 150);
    assert_eq!(
        json["scenarios"],
        serde_json::json!(["baseline-2021", "statement-2021"])
    );
    // The statement moves Baku–Nakhchivan freight from Iran to the Meghri line through Armenia.
    let od = String::from_utf8(std::fs::read(one.path().join("freight_od.csv")).unwrap()).unwrap();
    let az_nx: Vec<&str> = od.lines().filter(|l| l.contains(",az-nx,")).collect();
    assert_eq!(az_nx.len(), 2, "{od}");
    assert!(
        az_nx[0].starts_with("baseline-2021") && az_nx[0].contains(",IR,"),
        "{}",
        az_nx[0]
    );
    assert!(
        az_nx[1].starts_with("statement-2021")
            && az_nx[1].contains(",AM,")
            && az_nx[1].ends_with(",rerouted"),
        "{}",
        az_nx[1]
    );
}

#[test]
fn simulate_rejects_an_unknown_scenario() {
    let out = corridor()
        .args(["simulate", "--scenario", "meghri", "--draws", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown scenario `meghri`") && err.contains("meghri-rail"),
        "{err}"
    );
}
