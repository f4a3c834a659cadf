//! Restore: which candidate projects restore which routes. Hand-drawn fixture with known answers
//! (`tests/fixtures/restore/`: a synergy pair, two interchangeable projects, a useless one, a
//! threshold case), and the Pareto search + lattice against brute force (one route search per
//! subset of projects) on seeded random networks and on the bundled data.

use std::path::Path;

use corridor::analysis::candidates::Candidates;
use corridor::analysis::lattice::SubsetCosts;
use corridor::analysis::pareto::ParetoState;
use corridor::analysis::restore::{analyse_route, RestoreOptions};
use corridor::network::{CostModel, Mode, Network};
use corridor::routing::{Metric, Query, RouteState, Router};
use corridor::scenario::{Dataset, Scenarios, TradeRoute};
use corridor::util::SplitMix64;

use crate::common::{fixture, root};

/// The brute-force side of the oracle: one plain route search per subset of projects.
struct Brute<'a> {
    router: &'a Router,
    net: &'a Network,
    scenarios: &'a Scenarios,
    base: &'a str,
    projects: &'a [&'a str],
}

impl Brute<'_> {
    /// The cost of `route` with exactly the projects of `mask` open.
    fn cost(&self, mask: u64, route: &TradeRoute, metric: Metric, state: &mut RouteState) -> f64 {
        let chosen: Vec<&str> = (0..self.projects.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| self.projects[i])
            .collect();
        let sc = self
            .scenarios
            .resolve_with(self.net, self.base, &chosen)
            .unwrap();
        let overlay = self.router.overlay(&sc);
        let q = Query::for_route(route, metric);
        self.router
            .route(&q, &overlay, state)
            .map_or(f64::INFINITY, |p| p.cost)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a.is_infinite() && b.is_infinite() && a.signum() == b.signum())
        || (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[test]
fn hand_drawn_projects_have_the_known_answers() {
    let data = Dataset::load(&fixture("restore")).unwrap();
    let router = Router::new(&data.network, &data.costs).unwrap();
    let projects = ["p", "q", "r", "s", "u"];
    let cands =
        Candidates::new(&router, &data.network, &data.scenarios, "base", &projects).unwrap();
    let metric = Metric::Distance;
    let labels = cands.labels(
        &router,
        &data.routes[0],
        metric,
        &mut RouteState::new(),
        &mut ParetoState::new(),
    );
    // p+q: 20 km; r: 30 km; s: 30 km.
    assert_eq!(
        labels,
        vec![(0b00011, 20.0), (0b00100, 30.0), (0b01000, 30.0)]
    );
    let options = RestoreOptions {
        threshold_pct: 10.0,
        ..RestoreOptions::default()
    };
    let r = analyse_route(projects.len(), &labels, &options);
    assert!(r.base_cost.is_infinite());
    assert_eq!(r.all_cost, 20.0);
    // Two interchangeable minimal sets of one project, and the synergy pair.
    assert_eq!(r.restoring_sets, vec![vec![2], vec![3], vec![0, 1]]);
    assert_eq!(r.synergies, vec![(0, 1)]);
    // Within 10 % of 20 km: only p+q; within 60 %: every restoring set.
    assert_eq!(r.threshold_sets, vec![(vec![0, 1], 20.0)]);
    let wide = analyse_route(
        projects.len(),
        &labels,
        &RestoreOptions {
            threshold_pct: 60.0,
            ..options
        },
    );
    assert_eq!(wide.threshold_sets.len(), 3);
    // u is never needed; r and s share equally; p and q share equally.
    assert_eq!(r.shapley[4], 0.0);
    assert!((r.shapley[2] - r.shapley[3]).abs() < 1e-9);
    assert!((r.shapley[0] - r.shapley[1]).abs() < 1e-9);
    // Efficiency: the values add up to the capped base cost minus the best cost.
    let sum: f64 = r.shapley.iter().sum();
    assert!(
        (sum - (r.unreachable_cost - 20.0)).abs() < 1e-9,
        "{sum} vs {}",
        r.unreachable_cost
    );
}

/// A scenarios.toml over a random network: a base with a few deny rules (some by destination), and
/// `k` projects, each either a link project opening one or two closed links (or crossings) or a
/// policy project allowing a cargo through a country.
fn random_projects(rng: &mut SplitMix64, net: &Network, k: usize) -> String {
    const C: [&str; 4] = ["AZ", "AM", "GE", "TR"];
    let mut toml = String::from("[[scenario]]\nid = \"base\"\n");
    for _ in 0..rng.below(3) {
        let to = if rng.chance(0.3) {
            format!("to = \"{}\"\n", C[rng.below(4) as usize])
        } else {
            String::new()
        };
        toml.push_str(&format!(
            "[[scenario.policy]]\ncargo = \"{}\"\n{to}transit = \"{}\"\naction = \"deny\"\n",
            C[rng.below(4) as usize],
            C[rng.below(4) as usize]
        ));
    }
    let closed: Vec<&str> = net
        .links
        .iter()
        .filter(|l| l.status != corridor::network::LinkStatus::Open)
        .map(|l| l.id.as_str())
        .collect();
    let crossings: Vec<&str> = net
        .nodes
        .iter()
        .filter(|n| n.border.is_some())
        .map(|n| n.id.as_str())
        .collect();
    for i in 0..k {
        if rng.chance(0.3) {
            toml.push_str(&format!(
                "[[scenario]]\nid = \"p{i}\"\nbase = \"base\"\nproject = true\n\
                 [[scenario.policy]]\ncargo = \"{}\"\ntransit = \"{}\"\naction = \"allow\"\n",
                C[rng.below(4) as usize],
                C[rng.below(4) as usize]
            ));
            continue;
        }
        let mut open: Vec<String> = Vec::new();
        for _ in 0..1 + rng.below(2) {
            if !closed.is_empty() && (crossings.is_empty() || rng.chance(0.7)) {
                open.push(format!(
                    "\"{}\"",
                    closed[rng.below(closed.len() as u64) as usize]
                ));
            } else if !crossings.is_empty() {
                open.push(format!(
                    "\"{}\"",
                    crossings[rng.below(crossings.len() as u64) as usize]
                ));
            }
        }
        toml.push_str(&format!(
            "[[scenario]]\nid = \"p{i}\"\nbase = \"base\"\nproject = true\nopen = [{}]\n",
            open.join(", ")
        ));
    }
    toml
}

#[test]
fn pareto_lattice_equals_brute_force_over_subsets_on_random_networks() {
    let costs = CostModel::default();
    let mut checked = 0;
    for seed in 0..150u64 {
        let mut rng = SplitMix64::new(seed);
        let net = crate::routing::random_network(&mut rng);
        let k = 1 + rng.below(4) as usize;
        let toml = random_projects(&mut rng, &net, k);
        let scenarios = Scenarios::parse(Path::new("scenarios.toml"), &toml, &net)
            .unwrap_or_else(|e| panic!("seed {seed}: {e:?}\n{toml}"));
        let router = Router::new(&net, &costs).unwrap();
        let projects: Vec<String> = (0..k).map(|i| format!("p{i}")).collect();
        let projects: Vec<&str> = projects.iter().map(String::as_str).collect();
        let cands = Candidates::new(&router, &net, &scenarios, "base", &projects).unwrap();
        let mut rs = RouteState::new();
        let mut ps = ParetoState::new();
        for _ in 0..3 {
            let from = corridor::network::NodeId(rng.below(net.nodes.len() as u64) as u32);
            let to = corridor::network::NodeId(rng.below(net.nodes.len() as u64) as u32);
            if from == to {
                continue;
            }
            let modes = match rng.below(3) {
                0 => vec![Mode::Rail],
                1 => vec![Mode::Road],
                _ => vec![Mode::Rail, Mode::Road],
            };
            let route = TradeRoute {
                id: "r".into(),
                from,
                to,
                cargo: corridor::network::Country::parse(
                    ["AZ", "AM", "GE", "TR"][rng.below(4) as usize],
                )
                .unwrap(),
                modes,
                claim: None,
                demand_t_per_year: None,
                note: None,
            };
            let metric = [Metric::Distance, Metric::Time][rng.below(2) as usize];
            let labels = cands.labels(&router, &route, metric, &mut rs, &mut ps);
            let lattice =
                SubsetCosts::from_labels(k, labels.iter().map(|&(m, c)| (m as u32, c))).unwrap();
            for mask in 0..(1u64 << k) {
                let brute = Brute {
                    router: &router,
                    net: &net,
                    scenarios: &scenarios,
                    base: "base",
                    projects: &projects,
                }
                .cost(mask, &route, metric, &mut rs);
                assert!(
                    close(lattice.cost(mask as u32), brute),
                    "seed {seed}, subset {mask:b}: lattice {} vs search {brute}\nlabels {labels:?}\n{toml}",
                    lattice.cost(mask as u32)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} subsets checked");
}

#[test]
fn bundled_projects_lattice_equals_brute_force() {
    let data = Dataset::load(&root().join("data/caucasus")).unwrap();
    let router = Router::new(&data.network, &data.costs).unwrap();
    // Five projects that touch the claims (32 subsets) for every trade route.
    let projects = [
        "meghri-rail",
        "meghri-road",
        "yeraskh-julfa",
        "kars-igdir-nakhchivan",
        "kars-gyumri",
    ];
    let cands = Candidates::new(
        &router,
        &data.network,
        &data.scenarios,
        "baseline-2021",
        &projects,
    )
    .unwrap();
    let metric = Metric::generalized(&data.costs);
    let mut rs = RouteState::new();
    let mut ps = ParetoState::new();
    for route in &data.routes {
        let labels = cands.labels(&router, route, metric, &mut rs, &mut ps);
        let lattice =
            SubsetCosts::from_labels(projects.len(), labels.iter().map(|&(m, c)| (m as u32, c)))
                .unwrap();
        for mask in 0..(1u64 << projects.len()) {
            let brute = Brute {
                router: &router,
                net: &data.network,
                scenarios: &data.scenarios,
                base: "baseline-2021",
                projects: &projects,
            }
            .cost(mask, route, metric, &mut rs);
            assert!(
                close(lattice.cost(mask as u32), brute),
                "{}: subset {mask:b}: lattice {} vs search {brute}",
                route.id,
                lattice.cost(mask as u32)
            );
        }
    }
}

/// Every route's labels with restore's shortcuts (link projects sharing the base's weights,
/// target pruning) and without (the plain per-route computation), bit for bit; and the analysis
/// `Study::restore` runs (routes grouped by weights key) equal to analysing the plain labels.
fn shortcuts_change_nothing(data: &Dataset, base: &str, metric: Metric) -> usize {
    use corridor::analysis::candidates::Shortcuts;
    use corridor::analysis::study::Study;
    let router = Router::new(&data.network, &data.costs).unwrap();
    let projects: Vec<&str> = data.scenarios.projects().map(|s| s.id.as_str()).collect();
    let cands = Candidates::new(&router, &data.network, &data.scenarios, base, &projects).unwrap();
    let options = RestoreOptions::default();
    let report = Study::new(data, metric)
        .unwrap()
        .restore(base, &projects, &options)
        .unwrap();
    let (mut rs, mut ps) = (RouteState::new(), ParetoState::new());
    let mut labels_seen = 0;
    for (route, found) in data.routes.iter().zip(&report.routes) {
        let fast = cands.labels_with(&router, route, metric, &mut rs, &mut ps, Shortcuts::ALL);
        let plain = cands.labels_with(&router, route, metric, &mut rs, &mut ps, Shortcuts::NONE);
        let bits = |l: &[(u64, f64)]| -> Vec<(u64, u64)> {
            l.iter().map(|&(m, c)| (m, c.to_bits())).collect()
        };
        assert_eq!(bits(&fast), bits(&plain), "{}", route.id);
        assert_eq!(
            &analyse_route(projects.len(), &plain, &options),
            found,
            "{}",
            route.id
        );
        labels_seen += plain.len();
    }
    labels_seen
}

#[test]
fn restore_shortcuts_give_the_plain_labels_on_the_bundled_data() {
    let data = Dataset::load(&root().join("data/caucasus")).unwrap();
    for metric in [Metric::Time, Metric::generalized(&data.costs)] {
        assert!(shortcuts_change_nothing(&data, "baseline-2021", metric) > data.routes.len());
    }
}

#[test]
fn restore_shortcuts_give_the_plain_labels_on_a_synthetic_folder() {
    use corridor::network::Country;
    use corridor::synth::{grid_network, projects, ProjectOptions};
    let dir = tempfile::tempdir().unwrap();
    let aq = Country::parse("AQ").unwrap();
    for (name, text) in corridor::synth::grid(1600, 4, 2, aq).unwrap().files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let made = projects(
        &grid_network(1600, 4, aq).unwrap(),
        &ProjectOptions {
            projects: 5,
            routes: 20,
            seed: 3,
            piece_nodes: 30,
        },
    )
    .unwrap();
    for (name, text) in made.files.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let data = Dataset::load(dir.path()).unwrap();
    assert_eq!(data.routes.len(), 20);
    assert!(shortcuts_change_nothing(&data, "synthetic-base", Metric::Time) >= 20);
}
