//! Routing: the search core against slow references on random graphs (seeded; the seed and the
//! graph are printed on failure), the router against Bellman-Ford over an explicitly expanded
//! graph built independently from the network, hand-drawn networks that pin the semantics, and
//! `corridor route` end to end.

// Node ids index the reference arrays: index loops read best here.
#![allow(clippy::needless_range_loop)]

use corridor::network::{
    BorderCrossing, Carries, Confidence, CostModel, Country, CrossingMode, Link, LinkId,
    LinkStatus, LonLat, Mode, Network, Node, NodeId, NodeKind, Transfers,
};
use corridor::routing::csr::{self, Csr, SearchState};
use corridor::routing::{
    Algorithm, AlternativesParams, ArcKind, Metric, ModeSet, Query, RouteState, Router,
};
use corridor::scenario::{decide, Action, Cargo, PolicyRule, ResolvedScenario, Transit};
use corridor::util::SplitMix64;

use crate::common::corridor;

fn cc(s: &str) -> Country {
    Country::parse(s).expect("test country code")
}

fn close(a: f64, b: f64) -> bool {
    (a == b) || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

// ---------------------------------------------------------------------------------------------
// The search core on random plain graphs.

struct PlainGraph {
    n: usize,
    arcs: Vec<(u32, u32)>,
    /// Per input arc; `None` = blocked.
    weights: Vec<Option<f64>>,
    passable: Vec<bool>,
    pos: Vec<(f64, f64)>,
}

impl std::fmt::Display for PlainGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} nodes; impassable: {:?}",
            self.n,
            (0..self.n)
                .filter(|&v| !self.passable[v])
                .collect::<Vec<_>>()
        )?;
        for (i, (&(t, h), w)) in self.arcs.iter().zip(&self.weights).enumerate() {
            writeln!(f, "  arc {i}: {t} -> {h} w={w:?}")?;
        }
        Ok(())
    }
}

/// A random graph whose weights are at least the Euclidean distance between the ends, so that
/// the Euclidean distance is a consistent A* bound.
fn random_plain(rng: &mut SplitMix64) -> PlainGraph {
    let n = 2 + rng.below(14) as usize;
    let m = rng.below(4 * n as u64) as usize;
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.range(0.0, 10.0), rng.range(0.0, 10.0)))
        .collect();
    let mut arcs = Vec::new();
    let mut weights = Vec::new();
    for _ in 0..m {
        let t = rng.below(n as u64) as u32;
        let h = rng.below(n as u64) as u32;
        let (a, b) = (pos[t as usize], pos[h as usize]);
        let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        arcs.push((t, h));
        weights.push(if rng.chance(0.1) {
            None
        } else if rng.chance(0.1) {
            Some(d) // ties and tight bounds
        } else {
            Some(d + rng.range(0.0, 5.0))
        });
    }
    let passable = (0..n).map(|_| !rng.chance(0.15)).collect();
    PlainGraph {
        n,
        arcs,
        weights,
        passable,
        pos,
    }
}

/// Bellman-Ford from `s` where arcs leave only passable nodes or `s` itself.
fn bellman_ford(g: &PlainGraph, s: usize) -> Vec<f64> {
    let mut d = vec![f64::INFINITY; g.n];
    d[s] = 0.0;
    for _ in 0..g.n {
        for (&(t, h), w) in g.arcs.iter().zip(&g.weights) {
            let (t, h) = (t as usize, h as usize);
            let Some(w) = w else { continue };
            if d[t].is_finite() && (t == s || g.passable[t]) && d[t] + w < d[h] {
                d[h] = d[t] + w;
            }
        }
    }
    d
}

#[test]
fn core_searches_agree_with_bellman_ford_on_random_graphs() {
    let mut state = SearchState::new();
    let (mut fwd, mut bwd) = (SearchState::new(), SearchState::new());
    let mut path = Vec::new();
    for seed in 0..400u64 {
        let mut rng = SplitMix64::new(seed);
        let g = random_plain(&mut rng);
        let csr = Csr::from_arcs(g.n, &g.arcs).expect("valid arcs");
        let w = |a: u32| g.weights[csr.input_index(a) as usize];
        let pass = |v: u32| g.passable[v as usize];
        for s in 0..g.n {
            let reference = bellman_ford(&g, s);
            csr::one_to_all(&csr, &[s as u32], w, pass, &mut state);
            for t in 0..g.n {
                let fail = |what: &str, got: f64| {
                    panic!(
                        "seed {seed}: {what} {s}->{t}: got {got}, expected {}\n{g}",
                        reference[t]
                    )
                };
                let got = state.dist(t as u32);
                if !close(got, reference[t]) {
                    fail("one_to_all", got);
                }
                // The parent arcs spell a path of that length.
                state.path_to(&csr, t as u32, &mut path);
                let len: f64 = path.iter().map(|&a| w(a).unwrap_or(f64::NAN)).sum();
                if got.is_finite() && !close(len, got) {
                    fail("path length", len);
                }
            }
            for t in 0..g.n {
                let expected = reference[t];
                let target = [t as u32];
                let r = csr::one_to_one(&csr, &[s as u32], &target, w, pass, &mut state);
                let got = r.map_or(f64::INFINITY, |v| state.dist(v));
                assert!(
                    close(got, expected),
                    "seed {seed}: one_to_one {s}->{t}: {got} vs {expected}\n{g}"
                );
                let (tx, ty) = g.pos[t];
                let h = |v: u32| {
                    let (x, y) = g.pos[v as usize];
                    ((x - tx).powi(2) + (y - ty).powi(2)).sqrt() * (1.0 - 1e-12)
                };
                let r = csr::astar(&csr, &[s as u32], &target, w, h, pass, &mut state);
                let got = r.map_or(f64::INFINITY, |v| state.dist(v));
                assert!(
                    close(got, expected),
                    "seed {seed}: astar {s}->{t}: {got} vs {expected}\n{g}"
                );
                let m = csr::bidirectional(&csr, &[s as u32], &target, w, pass, &mut fwd, &mut bwd);
                let got = m.map_or(f64::INFINITY, |m| m.dist);
                assert!(
                    close(got, expected),
                    "seed {seed}: bidirectional {s}->{t}: {got} vs {expected}\n{g}"
                );
                if let Some(m) = m {
                    csr::bidirectional_path(&csr, m, &fwd, &bwd, &mut path);
                    let len: f64 = path.iter().map(|&a| w(a).unwrap_or(f64::NAN)).sum();
                    assert!(
                        close(len, expected),
                        "seed {seed}: bidirectional path {s}->{t}: {len}\n{g}"
                    );
                    let mut v = s as u32;
                    for &a in &path {
                        assert_eq!(csr.tail(a), v, "seed {seed}: broken path\n{g}");
                        v = csr.head(a);
                    }
                    assert_eq!(v, t as u32, "seed {seed}: path ends elsewhere\n{g}");
                }
            }
        }
    }
}

#[test]
fn our_dijkstra_agrees_with_petgraph_on_plain_graphs() {
    use petgraph::graph::{DiGraph, NodeIndex};
    let mut state = SearchState::new();
    for seed in 1000..1200u64 {
        let mut rng = SplitMix64::new(seed);
        let mut g = random_plain(&mut rng);
        // petgraph has no blocked arcs nor impassable nodes: a plain graph.
        g.passable.iter_mut().for_each(|p| *p = true);
        for w in &mut g.weights {
            *w = Some(w.unwrap_or(7.5));
        }
        let csr = Csr::from_arcs(g.n, &g.arcs).expect("valid arcs");
        let mut pg = DiGraph::<(), f64>::new();
        let nodes: Vec<NodeIndex> = (0..g.n).map(|_| pg.add_node(())).collect();
        for (&(t, h), w) in g.arcs.iter().zip(&g.weights) {
            pg.add_edge(nodes[t as usize], nodes[h as usize], w.unwrap_or(0.0));
        }
        for s in 0..g.n {
            let theirs = petgraph::algo::dijkstra(&pg, nodes[s], None, |e| *e.weight());
            csr::one_to_all(
                &csr,
                &[s as u32],
                |a| g.weights[csr.input_index(a) as usize],
                |_| true,
                &mut state,
            );
            for t in 0..g.n {
                let expected = theirs.get(&nodes[t]).copied().unwrap_or(f64::INFINITY);
                let got = state.dist(t as u32);
                assert!(
                    close(got, expected),
                    "seed {seed}: {s}->{t}: ours {got}, petgraph {expected}\n{g}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building networks in code.

/// A network under construction; places sit on a line of longitudes unless placed.
#[derive(Default)]
struct Net {
    nodes: Vec<Node>,
    links: Vec<Link>,
}

impl Net {
    fn place(&mut self, id: &str, country: &str, lon: f64, lat: f64) -> NodeId {
        self.nodes.push(Node {
            id: id.into(),
            name: id.to_uppercase(),
            aliases: Vec::new(),
            country: cc(country),
            region: None,
            kind: NodeKind::City,
            population: None,
            position: LonLat { lon, lat },
            coord_confidence: Confidence::High,
            transfers: Transfers::default(),
            border: None,
            source: "test".into(),
            note: None,
        });
        NodeId(self.nodes.len() as u32 - 1)
    }

    fn border(
        &mut self,
        id: &str,
        countries: [&str; 2],
        lon: f64,
        rail: Option<bool>,
        road: Option<bool>,
    ) -> NodeId {
        let v = self.place(id, countries[0], lon, 40.0);
        let node = &mut self.nodes[v.index()];
        node.kind = NodeKind::Border;
        node.border = Some(BorderCrossing {
            countries: [cc(countries[0]), cc(countries[1])],
            rail: rail.map(|open| CrossingMode { open, dwell_h: 5.0 }),
            road: road.map(|open| CrossingMode { open, dwell_h: 7.0 }),
            fee_usd_per_t: 2.0,
        });
        v
    }

    fn link(&mut self, id: &str, from: NodeId, to: NodeId, mode: Mode, km: f64) -> LinkId {
        let (a, b) = (
            self.nodes[from.index()].position,
            self.nodes[to.index()].position,
        );
        let country = {
            let c = |v: NodeId| match &self.nodes[v.index()].border {
                Some(b) => b.countries.to_vec(),
                None => vec![self.nodes[v.index()].country],
            };
            let (cf, ct) = (c(from), c(to));
            let shared: Vec<Country> = cf.iter().filter(|x| ct.contains(x)).copied().collect();
            if mode == Mode::Ferry && shared.is_empty() {
                None
            } else {
                shared.first().copied().or(Some(cf[0]))
            }
        };
        self.links.push(Link {
            id: id.into(),
            from,
            to,
            mode,
            status: LinkStatus::Open,
            name: id.into(),
            line: None,
            gauge_mm: (mode == Mode::Rail).then_some(1520),
            dual_gauge: false,
            carries: Carries {
                rail: mode == Mode::Rail,
                road: mode == Mode::Road,
            },
            tracks: None,
            electrified: None,
            speed_kmh: None,
            length_km: km,
            published_length_km: Some(km),
            geodesic_km: a.geodesic_m(b) / 1000.0,
            length_note: None,
            capacity_t_per_day: None,
            headway_h: None,
            oneway: false,
            country,
            geometry: vec![a, b],
            source: "test".into(),
            note: None,
        });
        LinkId(self.links.len() as u32 - 1)
    }

    fn build(self) -> Network {
        Network::new(self.nodes, self.links)
    }
}

/// Round figures so that hand-computed answers are exact: rail 50 km/h and 0.04 USD/t-km, road
/// 50 km/h and 0.1, ferry 25 km/h and 0.05; gauge change 10 h and 6 USD/t; transship 4 h, 3 USD/t.
fn costs() -> CostModel {
    let text = r#"
        value_of_time_usd_per_t_h = 0.5
        [tariff_usd_per_tkm]
        rail = 0.04
        road = 0.1
        ferry = 0.05
        [speed_kmh]
        rail = 50.0
        road = 50.0
        ferry = 25.0
        [border]
        dwell_h_rail = 5.0
        dwell_h_road = 7.0
        fee_usd_per_t = 2.0
        [transfer]
        gauge_change_h = 10.0
        gauge_change_usd_per_t = 6.0
        transship_h = 4.0
        transship_usd_per_t = 3.0
    "#;
    toml::from_str(text).expect("test cost model")
}

fn query(from: NodeId, to: NodeId, cargo: &str, modes: ModeSet, metric: Metric) -> Query {
    Query {
        from,
        to,
        cargo: cc(cargo),
        to_country: None,
        modes,
        metric,
        algorithm: Algorithm::Dijkstra,
    }
}

fn rule(cargo: Option<&str>, transit: Transit, mode: Option<Mode>, action: Action) -> PolicyRule {
    PolicyRule {
        cargo: cargo.map(cc),
        to: None,
        transit,
        mode,
        action,
        why: "test".into(),
    }
}

/// Routes with every algorithm, checks they agree, returns the Dijkstra path.
fn route_all(
    router: &Router,
    q: Query,
    scenario: &ResolvedScenario,
) -> Option<corridor::routing::Path> {
    let overlay = router.overlay(scenario);
    let mut state = RouteState::new();
    let best = router.route(&q, &overlay, &mut state);
    for algorithm in [Algorithm::Bidirectional, Algorithm::AStar] {
        let other = router.route(&Query { algorithm, ..q }, &overlay, &mut state);
        assert_eq!(
            best.as_ref().map(|p| (p.cost * 1e6).round()),
            other.as_ref().map(|p| (p.cost * 1e6).round()),
            "{algorithm:?}"
        );
    }
    best
}

// ---------------------------------------------------------------------------------------------
// Hand-drawn networks.

/// ```text
///   a (AZ) ==1520, 100 km== g (AZ, gauge) ==1435, 100 km== h (AZ, gauge) ==1520, 100 km== b (AZ)
/// ```
/// Two breaks of gauge, each priced once: 300 km / 50 km/h = 6 h + 2 x 10 h.
#[test]
fn a_gauge_break_is_priced_once_per_change() {
    let mut n = Net::default();
    let a = n.place("a", "AZ", 45.0, 40.0);
    let g = n.place("g", "AZ", 46.0, 40.0);
    let h = n.place("h", "AZ", 47.0, 40.0);
    let b = n.place("b", "AZ", 48.0, 40.0);
    n.nodes[g.index()].transfers.gauge = true;
    n.nodes[h.index()].transfers.gauge = true;
    n.link("r1", a, g, Mode::Rail, 100.0);
    let mid = n.link("r2", g, h, Mode::Rail, 100.0);
    n.links[mid.index()].gauge_mm = Some(1435);
    n.link("r3", h, b, Mode::Rail, 100.0);
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let sc = ResolvedScenario::as_loaded(&net);
    let p =
        route_all(&router, query(a, b, "AZ", ModeSet::RAIL, Metric::Time), &sc).expect("reachable");
    assert!(close(p.totals.hours, 26.0), "{}", p.totals.hours);
    assert!(
        close(p.totals.usd_per_t, 300.0 * 0.04 + 12.0),
        "{}",
        p.totals.usd_per_t
    );
    assert_eq!(p.transfers.len(), 2);
    assert!(p.transfers.iter().all(|t| t.kind == ArcKind::GaugeChange));
    assert_eq!(p.nodes, vec![a, g, h, b]);
    assert!(
        p.summary.ends_with("no borders, 2 gauge changes"),
        "{}",
        p.summary
    );
    // Without the gauge facility at h, the 1520 tail is out of reach by rail.
    let mut n2 = Net {
        nodes: net.nodes.clone(),
        links: net.links.clone(),
    };
    n2.nodes[h.index()].transfers.gauge = false;
    let net2 = n2.build();
    let router2 = Router::new(&net2, &costs()).expect("compiles");
    assert!(route_all(
        &router2,
        query(a, b, "AZ", ModeSet::RAIL, Metric::Time),
        &ResolvedScenario::as_loaded(&net2)
    )
    .is_none());
}

/// ```text
///   a (AM) --rail 100-- x (AM|GE, rail crossing) --rail 100-- c (GE)
///    \                                                        /
///     `------rail 400------ y (AM|GE, rail crossing) --------'
/// ```
#[test]
fn a_closed_crossing_is_impassable() {
    let mut n = Net::default();
    let a = n.place("a", "AM", 45.0, 40.0);
    let x = n.border("x", ["AM", "GE"], 45.5, Some(true), None);
    let y = n.border("y", ["AM", "GE"], 45.6, Some(true), None);
    let c = n.place("c", "GE", 46.0, 40.0);
    n.link("ax", a, x, Mode::Rail, 100.0);
    n.link("xc", x, c, Mode::Rail, 100.0);
    n.link("ay", a, y, Mode::Rail, 400.0);
    n.link("yc", y, c, Mode::Rail, 100.0);
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let mut sc = ResolvedScenario::as_loaded(&net);
    let q = query(a, c, "AM", ModeSet::ANY, Metric::Distance);
    let p = route_all(&router, q, &sc).expect("reachable");
    assert_eq!((p.totals.km, p.borders.clone()), (200.0, vec![x]));
    // Dwell (5 h) and fee (2 USD/t) are paid once, at the crossing.
    assert!(close(p.totals.hours, 4.0 + 5.0) && close(p.totals.usd_per_t, 8.0 + 2.0));
    sc.crossing_open[x.index()] = [false, false];
    let p = route_all(&router, q, &sc).expect("via y");
    assert_eq!((p.totals.km, p.borders.clone()), (500.0, vec![y]));
    sc.crossing_open[y.index()] = [false, false];
    assert!(route_all(&router, q, &sc).is_none());
    // The road mode of a rail-only crossing stays closed even when "open".
    sc.crossing_open[x.index()] = [false, true];
    assert!(route_all(&router, q, &sc).is_none());
}

/// ```text
///   am (AM) --rail 100-- x1 (AM|AZ) --rail 100-- az (AZ) --rail 100-- x2 (AZ|GE) --rail 100-- ge (GE)
/// ```
/// Cargo from Armenia may not transit Azerbaijan; Azerbaijan's own cargo from `az` and Georgian
/// cargo bound for `az` pass; a penalty instead of a ban is charged once on entry.
#[test]
fn cargo_from_a_is_denied_transit_through_b_while_b_cargo_passes() {
    let mut n = Net::default();
    let am = n.place("am", "AM", 44.0, 40.0);
    let x1 = n.border("x1", ["AM", "AZ"], 44.5, Some(true), None);
    let az = n.place("az", "AZ", 45.0, 40.0);
    let x2 = n.border("x2", ["AZ", "GE"], 45.5, Some(true), None);
    let ge = n.place("ge", "GE", 46.0, 40.0);
    n.link("l1", am, x1, Mode::Rail, 100.0);
    n.link("l2", x1, az, Mode::Rail, 100.0);
    n.link("l3", az, x2, Mode::Rail, 100.0);
    n.link("l4", x2, ge, Mode::Rail, 100.0);
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let mut sc = ResolvedScenario::as_loaded(&net);
    sc.policy = vec![rule(
        Some("AM"),
        Transit::Country(cc("AZ")),
        None,
        Action::Deny,
    )];
    let t = Metric::Time;
    assert!(route_all(&router, query(am, ge, "AM", ModeSet::RAIL, t), &sc).is_none());
    // Azerbaijani cargo on the same path passes; so does Armenian cargo bound for Azerbaijan
    // (a destination is never transit).
    let p =
        route_all(&router, query(am, ge, "AZ", ModeSet::RAIL, t), &sc).expect("AZ cargo passes");
    assert_eq!(p.transit, vec![cc("AZ")]);
    assert!(
        p.summary.contains("via Azerbaijan, 2 borders"),
        "{}",
        p.summary
    );
    assert!(route_all(&router, query(am, az, "AM", ModeSet::RAIL, t), &sc).is_some());
    // A later rule lifts the ban (the last matching rule wins) ...
    sc.policy.push(rule(
        Some("AM"),
        Transit::Country(cc("AZ")),
        Some(Mode::Rail),
        Action::Allow,
    ));
    assert!(route_all(&router, query(am, ge, "AM", ModeSet::RAIL, t), &sc).is_some());
    // ... and a penalty is charged once, on entry, not on every arc in the country.
    sc.policy.push(rule(
        Some("AM"),
        Transit::Country(cc("AZ")),
        None,
        Action::Penalty {
            hours: 30.0,
            usd_per_t: 1.0,
        },
    ));
    let p = route_all(&router, query(am, ge, "AM", ModeSet::RAIL, t), &sc).expect("penalised");
    let base = route_all(&router, query(am, ge, "AZ", ModeSet::RAIL, t), &sc).expect("AZ cargo");
    assert!(
        close(p.totals.hours, base.totals.hours + 30.0),
        "{} vs {}",
        p.totals.hours,
        base.totals.hours
    );
    assert_eq!(p.penalties.len(), 1);
    // A rule on a crossing blocks that crossing whatever the route's ends.
    sc.policy
        .push(rule(None, Transit::Crossing(x1), None, Action::Deny));
    assert!(route_all(&router, query(am, az, "AZ", ModeSet::RAIL, t), &sc).is_none());
}

/// ```text
///   p (AZ) ~~ferry 100 km, headway 24 h~~ q (TM)      and, for comparison, a road:
///   p (AZ) --road 100 (oneway, closed)-- q
/// ```
/// 100 km at 25 km/h = 4 h, plus half the headway = 12 h: 16 h.
#[test]
fn a_ferry_wait_is_added() {
    let mut n = Net::default();
    let p = n.place("p", "AZ", 50.0, 40.0);
    let q = n.place("q", "TM", 52.0, 40.0);
    let f = n.link("ferry", p, q, Mode::Ferry, 100.0);
    n.links[f.index()].headway_h = Some(24.0);
    n.links[f.index()].carries = Carries {
        rail: true,
        road: true,
    };
    n.links[f.index()].gauge_mm = Some(1520);
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let sc = ResolvedScenario::as_loaded(&net);
    for modes in [ModeSet::RAIL, ModeSet::ROAD] {
        let path = route_all(&router, query(p, q, "AZ", modes, Metric::Time), &sc).expect("ferry");
        assert!(close(path.totals.hours, 16.0), "{}", path.totals.hours);
        assert!(close(path.totals.usd_per_t, 5.0));
        assert_eq!(path.countries.len(), 1);
        assert_eq!(path.countries[0].country, None, "ferry km are at sea");
    }
}

/// ```text
///   a (AZ, transship) --road 100-- b (AZ, transship) ==rail 1000== c (AZ)
/// ```
/// From a by any mode: road, transship at b, rail on: 2 h + 4 h + 20 h.
#[test]
fn a_mode_change_pays_a_transshipment_where_allowed() {
    let mut n = Net::default();
    let a = n.place("a", "AZ", 45.0, 40.0);
    let b = n.place("b", "AZ", 46.0, 40.0);
    let c = n.place("c", "AZ", 50.0, 40.0);
    n.nodes[b.index()].transfers.transship = true;
    n.link("road", a, b, Mode::Road, 100.0);
    n.link("rail", b, c, Mode::Rail, 1000.0);
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let sc = ResolvedScenario::as_loaded(&net);
    let p =
        route_all(&router, query(a, c, "AZ", ModeSet::ANY, Metric::Time), &sc).expect("reachable");
    assert!(close(p.totals.hours, 26.0), "{}", p.totals.hours);
    assert!(
        p.summary.contains("by road and rail") && p.summary.contains("1 transshipment"),
        "{}",
        p.summary
    );
    assert!(route_all(&router, query(a, c, "AZ", ModeSet::RAIL, Metric::Time), &sc).is_none());
}

// ---------------------------------------------------------------------------------------------
// The router against an independent reference on random networks.

const COUNTRIES: [&str; 4] = ["AZ", "AM", "GE", "TR"];

pub fn random_network(rng: &mut SplitMix64) -> Network {
    let mut n = Net::default();
    let places = 3 + rng.below(8) as usize;
    for i in 0..places {
        let lon = 44.0 + rng.range(0.0, 4.0);
        let lat = 39.0 + rng.range(0.0, 3.0);
        let c = COUNTRIES[rng.below(4) as usize];
        if rng.chance(0.3) {
            let mut other = COUNTRIES[rng.below(4) as usize];
            if other == c {
                other = if c == "AZ" { "GE" } else { "AZ" };
            }
            let rail = rng.chance(0.8).then(|| rng.chance(0.7));
            let road = if rail.is_none() {
                Some(rng.chance(0.7))
            } else {
                rng.chance(0.6).then(|| rng.chance(0.7))
            };
            let v = n.border(&format!("x{i}"), [c, other], lon, rail, road);
            n.nodes[v.index()].position.lat = lat;
            if let Some(b) = n.nodes[v.index()].border.as_mut() {
                b.fee_usd_per_t = rng.range(0.0, 5.0);
                if let Some(m) = b.rail.as_mut() {
                    m.dwell_h = rng.range(0.0, 10.0)
                }
                if let Some(m) = b.road.as_mut() {
                    m.dwell_h = rng.range(0.0, 10.0)
                }
            }
        } else {
            let v = n.place(&format!("p{i}"), c, lon, lat);
            n.nodes[v.index()].transfers = Transfers {
                gauge: rng.chance(0.3),
                transship: rng.chance(0.3),
            };
        }
    }
    let links = rng.below(3 * places as u64 + 1) as usize;
    for i in 0..links {
        let from = NodeId(rng.below(places as u64) as u32);
        let mut to = NodeId(rng.below(places as u64) as u32);
        if to == from {
            to = NodeId((from.0 + 1) % places as u32);
        }
        let mode = match rng.below(5) {
            0 | 1 => Mode::Rail,
            2 | 3 => Mode::Road,
            _ => Mode::Ferry,
        };
        let chord = n.nodes[from.index()]
            .position
            .geodesic_m(n.nodes[to.index()].position)
            / 1000.0;
        // Published lengths may be shorter than the chord (the A* bound must cope).
        let km = chord * rng.range(0.8, 1.6) + rng.range(0.0, 5.0);
        let l = n.link(&format!("l{i}"), from, to, mode, km);
        let link = &mut n.links[l.index()];
        link.oneway = rng.chance(0.15);
        link.status = if rng.chance(0.8) {
            LinkStatus::Open
        } else {
            LinkStatus::Closed
        };
        if rng.chance(0.3) {
            link.speed_kmh = Some(rng.range(10.0, 120.0))
        }
        match mode {
            Mode::Rail => {
                link.gauge_mm = Some(if rng.chance(0.4) { 1435 } else { 1520 });
                link.dual_gauge = rng.chance(0.1);
            }
            Mode::Ferry => {
                link.headway_h = Some(rng.range(0.0, 48.0));
                let (rail, road) = match rng.below(3) {
                    0 => (true, false),
                    1 => (false, true),
                    _ => (true, true),
                };
                link.carries = Carries { rail, road };
                link.gauge_mm = rail.then(|| if rng.chance(0.5) { 1435 } else { 1520 });
            }
            Mode::Road => {}
        }
    }
    n.build()
}

fn random_scenario(rng: &mut SplitMix64, net: &Network) -> ResolvedScenario {
    let mut sc = ResolvedScenario::as_loaded(net);
    for open in &mut sc.crossing_open {
        for m in open.iter_mut() {
            if rng.chance(0.2) {
                *m = !*m
            }
        }
    }
    let borders: Vec<NodeId> = net
        .node_ids()
        .filter(|&v| net.node(v).border.is_some())
        .collect();
    for _ in 0..rng.below(5) {
        let cargo = rng.chance(0.7).then(|| COUNTRIES[rng.below(4) as usize]);
        let transit = match rng.below(4) {
            0 if !borders.is_empty() => {
                Transit::Crossing(borders[rng.below(borders.len() as u64) as usize])
            }
            1 => Transit::Any,
            _ => Transit::Country(cc(COUNTRIES[rng.below(4) as usize])),
        };
        let mode = match rng.below(4) {
            0 => Some(Mode::Rail),
            1 => Some(Mode::Road),
            2 => Some(Mode::Ferry),
            _ => None,
        };
        let action = match rng.below(3) {
            0 => Action::Deny,
            1 => Action::Allow,
            _ => Action::Penalty {
                hours: rng.range(0.0, 20.0),
                usd_per_t: rng.range(0.0, 5.0),
            },
        };
        let to = rng
            .chance(0.3)
            .then(|| cc(COUNTRIES[rng.below(4) as usize]));
        sc.policy.push(PolicyRule {
            to,
            ..rule(cargo, transit, mode, action)
        });
    }
    sc
}

/// The reference: the state-expanded graph written out edge by edge from the network, the
/// scenario and the policy, with the semantics stated plainly, then Bellman-Ford.
fn reference_cost(net: &Network, costs: &CostModel, sc: &ResolvedScenario, q: &Query) -> f64 {
    const L: usize = 3; // 0: rail 1520, 1: rail 1435, 2: road
    let layer_mode = |l: usize| if l == 2 { Mode::Road } else { Mode::Rail };
    let allowed = |l: usize| if l == 2 { q.modes.road } else { q.modes.rail };
    let ends = [net.node(q.from).country, net.node(q.to).country];
    let cargo = Cargo {
        origin: q.cargo,
        to: q.to_country.unwrap_or(ends[1]),
    };
    // In an end country only the rules on the whole path (`transit = "*"`) apply.
    let path_rules: Vec<PolicyRule> = sc
        .policy
        .iter()
        .filter(|r| r.transit == Transit::Any)
        .cloned()
        .collect();
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for (i, link) in net.links.iter().enumerate() {
        if !sc.link_open[i] {
            continue;
        }
        let mut layers = Vec::new();
        if link.carries.rail {
            if link.dual_gauge {
                layers.extend([0, 1]);
            } else {
                layers.push(if link.gauge_mm == Some(1435) { 1 } else { 0 });
            }
        }
        if link.carries.road {
            layers.push(2);
        }
        let speed = link.speed_kmh.unwrap_or(costs.speed_kmh.get(link.mode));
        let wait = if link.mode == Mode::Ferry {
            link.headway_h.unwrap_or(0.0) / 2.0
        } else {
            0.0
        };
        for (from, to) in [(link.from, link.to), (link.to, link.from)] {
            if link.oneway && from != link.from {
                continue;
            }
            let (tail, head) = (net.node(from), net.node(to));
            let country = link.country.unwrap_or(head.country);
            for &l in &layers {
                if !allowed(l) {
                    continue;
                }
                let mut hours = link.length_km / speed + wait;
                let mut usd = link.length_km * costs.tariff_usd_per_tkm.get(link.mode);
                let mut blocked = false;
                let rules = if ends.contains(&country) {
                    &path_rules
                } else {
                    &sc.policy
                };
                {
                    match decide(rules, cargo, Transit::Country(country), link.mode) {
                        Action::Deny => blocked = true,
                        Action::Penalty {
                            hours: h,
                            usd_per_t: u,
                        } => {
                            let enters = tail.border.is_some()
                                || tail.country != country
                                || (link.mode == Mode::Ferry && link.country.is_none());
                            if enters {
                                hours += h;
                                usd += u;
                            }
                        }
                        Action::Allow => {}
                    }
                }
                if let (Some(b), false) = (&head.border, link.mode == Mode::Ferry) {
                    let m = layer_mode(l);
                    if !sc.is_crossing_open(to, m) {
                        blocked = true;
                    }
                    hours += b.mode(m).map_or(0.0, |x| x.dwell_h);
                    usd += b.fee_usd_per_t;
                    let crossing_rule = sc.policy.iter().rev().find(|r| {
                        r.transit == Transit::Crossing(to)
                            && r.cargo.is_none_or(|c| c == q.cargo)
                            && r.to.is_none_or(|c| c == cargo.to)
                            && r.mode.is_none_or(|x| x == link.mode)
                    });
                    match crossing_rule.map(|r| r.action) {
                        Some(Action::Deny) => blocked = true,
                        Some(Action::Penalty {
                            hours: h,
                            usd_per_t: u,
                        }) => {
                            hours += h;
                            usd += u;
                        }
                        _ => {}
                    }
                }
                if !blocked {
                    edges.push((
                        from.index() * L + l,
                        to.index() * L + l,
                        q.metric.cost(link.length_km, hours, usd),
                    ));
                }
            }
        }
    }
    let t = &costs.transfer;
    for v in net.node_ids() {
        let node = net.node(v);
        let s = |l: usize| v.index() * L + l;
        let mut both = |a: usize, b: usize, cost: f64| {
            if allowed(a) && allowed(b) {
                edges.push((s(a), s(b), cost));
                edges.push((s(b), s(a), cost));
            }
        };
        if node.transfers.gauge {
            both(
                0,
                1,
                q.metric
                    .cost(0.0, t.gauge_change_h, t.gauge_change_usd_per_t),
            );
        }
        if node.transfers.transship {
            let c = q.metric.cost(0.0, t.transship_h, t.transship_usd_per_t);
            both(0, 2, c);
            both(1, 2, c);
        }
    }
    let n = net.nodes.len() * L;
    let mut d = vec![f64::INFINITY; n];
    for l in 0..L {
        if allowed(l) {
            d[q.from.index() * L + l] = 0.0;
        }
    }
    for _ in 0..n {
        let mut changed = false;
        for &(a, b, w) in &edges {
            if d[a] + w < d[b] {
                d[b] = d[a] + w;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    (0..L)
        .filter(|&l| allowed(l))
        .map(|l| d[q.to.index() * L + l])
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn router_agrees_with_the_reference_on_random_networks() {
    let costs = costs();
    let mut state = RouteState::new();
    let mut checked = 0;
    let mut reachable = 0;
    for seed in 0..300u64 {
        let mut rng = SplitMix64::new(seed);
        let net = random_network(&mut rng);
        let sc = random_scenario(&mut rng, &net);
        let router = Router::new(&net, &costs).expect("compiles");
        let overlay = router.overlay(&sc);
        for _ in 0..6 {
            let from = NodeId(rng.below(net.nodes.len() as u64) as u32);
            let to = NodeId(rng.below(net.nodes.len() as u64) as u32);
            let cargo = COUNTRIES[rng.below(4) as usize];
            let modes = [ModeSet::RAIL, ModeSet::ROAD, ModeSet::ANY][rng.below(3) as usize];
            let metric = [
                Metric::Time,
                Metric::Distance,
                Metric::Money,
                Metric::generalized(&costs),
            ][rng.below(4) as usize];
            let to_country = rng
                .chance(0.2)
                .then(|| cc(COUNTRIES[rng.below(4) as usize]));
            let q = Query {
                to_country,
                ..query(from, to, cargo, modes, metric)
            };
            let expected = reference_cost(&net, &costs, &sc, &q);
            for algorithm in [
                Algorithm::Dijkstra,
                Algorithm::Bidirectional,
                Algorithm::AStar,
            ] {
                let q = Query { algorithm, ..q };
                let got = router.route(&q, &overlay, &mut state);
                let cost = got.as_ref().map_or(f64::INFINITY, |p| p.cost);
                assert!(
                    close(cost, expected),
                    "seed {seed}: {algorithm:?} {q:?}: got {cost}, reference {expected}\nnetwork: {:#?}\nscenario: {:#?}",
                    net.links.iter().map(|l| (&l.id, net.node(l.from).id.as_str(), net.node(l.to).id.as_str(), l.mode, l.gauge_mm, l.status, l.oneway, l.length_km)).collect::<Vec<_>>(),
                    sc.policy
                );
                if let Some(p) = got {
                    // The path is connected, starts and ends at the right places, and its totals
                    // add up to its cost.
                    assert_eq!(p.nodes.first(), Some(&from), "seed {seed}");
                    assert_eq!(p.nodes.last(), Some(&to), "seed {seed}");
                    assert!(close(p.totals.cost(metric), p.cost), "seed {seed}");
                    for w in p.arcs.windows(2) {
                        assert_eq!(
                            router.graph.csr.head(w[0]),
                            router.graph.csr.tail(w[1]),
                            "seed {seed}"
                        );
                    }
                }
            }
            checked += 1;
            reachable += usize::from(expected.is_finite());
        }
    }
    // The generator must exercise both outcomes.
    assert!(
        reachable > checked / 5 && reachable < checked,
        "{reachable} of {checked} reachable"
    );
}

#[test]
fn alternatives_are_distinct_and_sorted() {
    // ```text
    //   a --100-- b --100-- d        three corridors a -> d of 200, 220 and 260 km
    //    \--110-- c --110--/
    //     \-130-- e --130-/
    // ```
    let mut n = Net::default();
    let a = n.place("a", "AZ", 45.0, 40.0);
    let b = n.place("b", "AZ", 45.5, 40.2);
    let c = n.place("c", "AZ", 45.5, 40.0);
    let e = n.place("e", "AZ", 45.5, 39.8);
    let d = n.place("d", "AZ", 46.0, 40.0);
    for (id, x, y, km) in [
        ("ab", a, b, 100.0),
        ("bd", b, d, 100.0),
        ("ac", a, c, 110.0),
        ("cd", c, d, 110.0),
        ("ae", a, e, 130.0),
        ("ed", e, d, 130.0),
    ] {
        n.link(id, x, y, Mode::Rail, km);
    }
    let net = n.build();
    let router = Router::new(&net, &costs()).expect("compiles");
    let overlay = router.overlay(&ResolvedScenario::as_loaded(&net));
    let mut state = RouteState::new();
    let q = query(a, d, "AZ", ModeSet::RAIL, Metric::Distance);
    let paths = router.alternatives(&q, &overlay, &AlternativesParams::new(2), &mut state);
    let kms: Vec<f64> = paths.iter().map(|p| p.totals.km).collect();
    assert_eq!(kms, vec![200.0, 220.0, 260.0]);
    let paths = router.alternatives(&q, &overlay, &AlternativesParams::new(5), &mut state);
    assert_eq!(paths.len(), 3, "only three distinct corridors exist");
    // The state is clean afterwards: a plain route is unpenalised.
    assert_eq!(
        router.route(&q, &overlay, &mut state).map(|p| p.totals.km),
        Some(200.0)
    );
}

// ---------------------------------------------------------------------------------------------
// `corridor route` end to end.

#[test]
fn route_cli_prints_json_and_reports_unreachable_with_exit_0() {
    let dir = crate::common::fixture("tiny");
    let out = corridor()
        .args([
            "--data",
            dir.to_str().unwrap_or_default(),
            "route",
            "alfa",
            "CHARLIE",
            "--scenario",
            "open-line",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["reachable"], true);
    assert_eq!(v["from"], "a");
    assert_eq!(v["to"], "c");
    assert_eq!(v["borders"], serde_json::json!(["bx-ab"]));
    assert_eq!(v["links"].as_array().map(Vec::len), Some(3));
    for key in [
        "km",
        "hours_running_dwell",
        "usd_per_t",
        "countries",
        "transfers",
        "nodes",
        "summary",
        "alternatives",
        "scenario",
        "cargo",
        "by",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let out = corridor()
        .args([
            "--data",
            dir.to_str().unwrap_or_default(),
            "route",
            "a",
            "c",
            "--scenario",
            "base",
            "--format",
            "json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["reachable"], false);
    assert_eq!(v["nodes"], serde_json::json!([]));
}

#[test]
fn route_cli_suggests_names_for_an_unknown_place_and_writes_geojson() {
    let dir = crate::common::fixture("tiny");
    let data = dir.to_str().unwrap_or_default();
    let out = corridor()
        .args(["--data", data, "route", "alpah", "c"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown place `alpah`") && err.contains("closest: a"),
        "{err}"
    );
    let out = corridor()
        .args(["--data", data, "route", "a", "c", "--scenario", "nope"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("known: base"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("route.geojson");
    let out = corridor()
        .args([
            "--data",
            data,
            "route",
            "a",
            "c",
            "--scenario",
            "both",
            "--alternatives",
            "1",
            "--geojson",
            file.to_str().unwrap_or_default(),
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("best: Alpha -> Charlie by rail")
            && text.contains("alternative 1: Alpha -> Charlie by road"),
        "{text}"
    );
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("GeoJSON");
    assert_eq!(g["features"].as_array().map(Vec::len), Some(2));
    assert_eq!(g["features"][0]["geometry"]["type"], "LineString");
}

// ---------------------------------------------------------------------------------------------
// The bundled data, end to end.

fn bundled_route(
    from: &str,
    to: &str,
    scenario: &str,
    cargo: &str,
) -> (Router, Option<corridor::routing::Path>) {
    let data = corridor::scenario::Dataset::load(&crate::common::root().join("data/caucasus"))
        .expect("bundled data loads");
    let router = Router::new(&data.network, &data.costs).expect("compiles");
    let sc = data.resolve(scenario).expect("scenario exists");
    let q = query(
        data.network.find_place(from).expect("place"),
        data.network.find_place(to).expect("place"),
        cargo,
        ModeSet::RAIL,
        Metric::Time,
    );
    let path = route_all(&router, q, &sc);
    (router, path)
}

#[test]
fn bundled_baku_nakhchivan_by_rail_needs_the_meghri_line_and_transit_through_armenia() {
    // 2021: no rail path at all (Culfa–Jolfa out of use, caucasus-facts §12.1).
    let (_, base) = bundled_route("baku", "nakhchivan", "baseline-2021", "AZ");
    assert!(base.is_none(), "{:?}", base.map(|p| p.summary));
    // The line alone carries no Azerbaijani cargo through Armenia: that is a policy lever.
    let (_, line) = bundled_route("baku", "nakhchivan", "meghri-rail", "AZ");
    assert!(line.is_none(), "{:?}", line.map(|p| p.summary));
    let (_, meghri) = bundled_route("baku", "nakhchivan", "statement-2021", "AZ");
    let meghri = meghri.expect("reachable through Meghri");
    assert!(meghri.transit.contains(&cc("AM")), "{}", meghri.summary);
    // Far quicker than the other way in: Kars–Iğdır–Dilucu round through Georgia and Turkey.
    let (_, dilucu) = bundled_route("baku", "nakhchivan", "kars-igdir-nakhchivan", "AZ");
    let dilucu = dilucu.expect("reachable through Kars and Dilucu");
    assert!(!dilucu.transit.contains(&cc("AM")), "{}", dilucu.summary);
    assert!(
        meghri.totals.hours < dilucu.totals.hours,
        "{} vs {}",
        meghri.summary,
        dilucu.summary
    );
}

#[test]
fn bundled_yerevan_moscow_by_rail_for_armenian_cargo_matches_2021() {
    let (_, path) = bundled_route("yerevan", "moscow", "baseline-2021", "AM");
    // The Abkhazia rail link is closed and Azerbaijan and Turkey deny Armenian cargo: by rail the
    // route is unreachable, or goes through Georgia and a rail ferry.
    if let Some(p) = path {
        assert!(p.transit.first() == Some(&cc("GE")), "{}", p.summary);
        assert!(p.modes.contains(&Mode::Ferry), "{}", p.summary);
        assert!(
            !p.transit.contains(&cc("AZ")) && !p.transit.contains(&cc("TR")),
            "{}",
            p.summary
        );
    }
}

#[test]
fn bench_cli_reports_methods_that_agree_with_dijkstra() {
    for extra in [
        vec![],
        vec![
            "--dimacs".to_string(),
            crate::common::shared_data("graphs")
                .join("bremen_time.gr")
                .display()
                .to_string(),
        ],
    ] {
        let out = corridor()
            .args(["bench", "--queries", "40", "--format", "json"])
            .args(&extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let methods = v["methods"].as_array().unwrap();
        assert!(methods.len() >= 2, "{v}");
        for m in methods {
            assert_eq!(m["disagreements"], 0, "{v}");
        }
        let throughput = v["throughput"].as_array().unwrap();
        assert!(throughput.iter().any(|t| t["threads"] == 1), "{v}");
        assert_eq!(v["matrix"]["disagreements"], 0, "{v}");
        assert_eq!(v["closures"]["disagreements"], 0, "{v}");
        assert_eq!(v["closures"]["restored_exactly"], true, "{v}");
    }
}
