//! `corridor critical` and the connectivity analyses on the bundled network: bridges,
//! articulation points and betweenness equal what networkx computes on the same projection
//! (`tests/fixtures/networkx/`, made by its `make_fixture.py`), the command's answers, and outputs
//! identical at `--threads 1` and `--threads 2`.

use std::collections::{BTreeMap, BTreeSet};

use corridor::analysis::betweenness::{betweenness, WeightedGraph};
use corridor::analysis::critical::Pairs;
use corridor::analysis::study::Study;
use corridor::network::LinkStatus;
use corridor::routing::Metric;
use corridor::scenario::Dataset;

use crate::common::{assert_same_outputs, corridor, fixture, root, run_at_one_and_two_threads};

fn fixture_json() -> serde_json::Value {
    let path = fixture("networkx/caucasus.json");
    serde_json::from_slice(&std::fs::read(&path).expect("tests/fixtures/networkx/caucasus.json"))
        .expect("valid JSON")
}

#[test]
fn bridges_and_articulation_points_agree_with_networkx() {
    let data = Dataset::load(&root().join("data/caucasus")).unwrap();
    let study = Study::new(&data, Metric::Distance).unwrap();
    // baseline-2021 has the statuses of the data itself: the projection of the fixture.
    let report = study
        .critical("baseline-2021", Pairs::Routes, 0, 0)
        .unwrap();
    let all = report
        .connectivity
        .iter()
        .find(|c| c.mode == "all")
        .unwrap();
    let net = &data.network;
    let ours: BTreeSet<(String, String)> = all
        .bridges
        .iter()
        .map(|&l| {
            let link = net.link(l);
            let (a, b) = (net.node(link.from).id.clone(), net.node(link.to).id.clone());
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    let nx = fixture_json();
    let theirs: BTreeSet<(String, String)> = nx["bridges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(ours, theirs);
    let ours: BTreeSet<String> = all
        .articulation_points
        .iter()
        .map(|&v| net.node(v).id.clone())
        .collect();
    let theirs: BTreeSet<String> = nx["articulation_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn betweenness_agrees_with_networkx() {
    let data = Dataset::load(&root().join("data/caucasus")).unwrap();
    let net = &data.network;
    let resolved = data.resolve("baseline-2021").unwrap();
    // The fixture's projection: open links whose crossings are open for their mode, parallel
    // links merged into the shortest.
    let mut shortest: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for (i, l) in net.links.iter().enumerate() {
        if l.status != LinkStatus::Open || !resolved.link_open[i] {
            continue;
        }
        let mode = match (l.carries.rail, l.carries.road) {
            (true, false) => Some(corridor::network::Mode::Rail),
            (false, true) => Some(corridor::network::Mode::Road),
            _ => None,
        };
        if let Some(m) = mode {
            if !resolved.is_crossing_open(l.from, m) || !resolved.is_crossing_open(l.to, m) {
                continue;
            }
        }
        let key = (l.from.0.min(l.to.0), l.from.0.max(l.to.0));
        let e = shortest.entry(key).or_insert(f64::INFINITY);
        *e = e.min(l.length_km);
    }
    let mut arcs: Vec<(u32, u32, f64)> = shortest
        .iter()
        .flat_map(|(&(a, b), &w)| [(a, b, w), (b, a, w)])
        .collect();
    arcs.sort_by_key(|a| a.0);
    let n = net.nodes.len();
    let mut first_out = vec![0u32; n + 1];
    for a in &arcs {
        first_out[a.0 as usize + 1] += 1;
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }
    let head: Vec<u32> = arcs.iter().map(|a| a.1).collect();
    let weight: Vec<Option<f64>> = arcs.iter().map(|a| Some(a.2)).collect();
    let b = betweenness(
        WeightedGraph {
            first_out: &first_out,
            head: &head,
            weight: &weight,
        },
        None,
    );
    let nx = fixture_json();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(1.0);
    for (id, v) in nx["node_betweenness"].as_object().unwrap() {
        let ours = b.node[net.node_id(id).unwrap().index()] / 2.0; // ordered pairs -> unordered
        assert!(
            close(ours, v.as_f64().unwrap()),
            "{id}: ours {ours}, networkx {v}"
        );
    }
    let mut checked = 0;
    for e in nx["edge_betweenness"].as_array().unwrap() {
        let (a, c) = (
            net.node_id(e[0].as_str().unwrap()).unwrap().0,
            net.node_id(e[1].as_str().unwrap()).unwrap().0,
        );
        let ours: f64 = arcs
            .iter()
            .enumerate()
            .filter(|(_, x)| (x.0 == a && x.1 == c) || (x.0 == c && x.1 == a))
            .map(|(k, _)| b.arc[k])
            .sum::<f64>()
            / 2.0;
        assert!(close(ours, e[2].as_f64().unwrap()), "{e}: ours {ours}");
        checked += 1;
    }
    assert_eq!(checked, nx["edges"].as_u64().unwrap() as usize);
}

#[test]
fn critical_flags_the_btk_branch_as_hostage_and_is_thread_independent() {
    let (one, two) = run_at_one_and_two_threads(&[
        "critical",
        "--scenario",
        "baseline-2021",
        "--format",
        "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.path().join("critical.json")).unwrap()).unwrap();
    let top = v["top_sections"].as_array().unwrap();
    let marabda = top
        .iter()
        .find(|s| {
            s["links"]
                .as_array()
                .is_some_and(|l| l.iter().any(|l| l == "rail-marabda-tsalka"))
        })
        .expect("the BTK branch is among the top sections");
    assert_eq!(marabda["hostage"], true);
    assert!(marabda["pairs_cut"].as_u64().unwrap() >= 1);
    // Sections are different places: no link is in two of them.
    let mut seen = std::collections::BTreeSet::new();
    for s in top {
        for l in s["links"].as_array().unwrap() {
            assert!(seen.insert(l.as_str().unwrap().to_string()), "{l} twice");
        }
    }
    assert_same_outputs(
        one.path(),
        two.path(),
        &[
            "critical.csv",
            "multi.csv",
            "exposure.csv",
            "critical.json",
            "connectivity.json",
            "criticality.geojson",
            "criticality.qml",
            "corridor.qgs",
        ],
    );
}

/// The detour method against the naive recompute on the compiled bundled network (three layers,
/// transfers, the access policy as per-cargo weight sets, pairs of several start and end
/// states): over the trade routes under three scenarios, every link; over every pair of cities
/// and hubs, a seeded sample of links. Bit for bit.
#[test]
fn detours_equal_the_naive_recompute_on_the_bundled_network() {
    use corridor::analysis::link_loss::{single_link_naive, Criticality};
    use corridor::routing::csr::NONE;
    let data = Dataset::load(&root().join("data/caucasus")).unwrap();
    let study = Study::new(&data, Metric::Time).unwrap();
    let csr = &study.router.graph.csr;
    let same = |fast: &[corridor::analysis::link_loss::LinkLoss],
                slow: &[corridor::analysis::link_loss::LinkLoss],
                links: &[u32],
                what: &str| {
        for (k, &l) in links.iter().enumerate() {
            let (a, b) = (&fast[l as usize], &slow[k]);
            assert_eq!(
                (a.disconnected, a.extra_cost.to_bits(), &a.cut_pairs),
                (b.disconnected, b.extra_cost.to_bits(), &b.cut_pairs),
                "{what}: link {}",
                data.network.links[l as usize].id
            );
        }
    };
    for scenario in ["baseline-2021", "meghri-rail", "status-2026"] {
        let inputs = study.criticality_inputs(scenario, Pairs::Routes).unwrap();
        let c = inputs.criticality(csr);
        let base = c.base();
        let fast = c.single_link(&base);
        let all: Vec<u32> = (0..inputs.links as u32).collect();
        same(&fast, &single_link_naive(&c, &base), &all, scenario);
        assert!(fast
            .iter()
            .any(|l| l.disconnected > 0 || l.extra_cost > 0.0));
    }
    let inputs = study
        .criticality_inputs("baseline-2021", Pairs::Cities)
        .unwrap();
    let c = inputs.criticality(csr);
    let base = c.base();
    let fast = c.single_link(&base);
    // The 12 links used by the most pairs and 12 others, seeded.
    let mut used: Vec<u32> = (0..inputs.links as u32).collect();
    used.sort_by_key(|&l| std::cmp::Reverse(fast[l as usize].pairs_using));
    let mut sample: Vec<u32> = used[..12].to_vec();
    let mut rng = corridor::util::SplitMix64::new(5);
    while sample.len() < 24 {
        let l = rng.below(inputs.links as u64) as u32;
        if !sample.contains(&l) {
            sample.push(l);
        }
    }
    sample.sort_unstable();
    let map: Vec<u32> = inputs
        .link_of_arc
        .iter()
        .map(|&l| sample.binary_search(&l).map_or(NONE, |k| k as u32))
        .collect();
    let sub = Criticality {
        link_of_arc: &map,
        links: sample.len(),
        ..inputs.criticality(csr)
    };
    same(&fast, &single_link_naive(&sub, &base), &sample, "cities");
}

/// The detour method against the naive recompute on TNTP Chicago Sketch (real-valued free-flow
/// times, zones that are never passed through): 150 seeded zone pairs, the 10 links used by the
/// most pairs and 10 seeded others. Bit for bit.
#[test]
fn detours_equal_the_naive_recompute_on_chicago_sketch() {
    use corridor::analysis::link_loss::{single_link_naive, Criticality, OdPair};
    use corridor::routing::csr::{Csr, NONE};
    let dir = crate::common::shared_data("tntp");
    let net = corridor::network::tntp::read_net(&dir.join("ChicagoSketch_net.tntp"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let csr = Csr::from_arcs(net.nodes as usize, &net.pairs()).unwrap();
    let weights = vec![(0..csr.num_arcs() as u32)
        .map(|a| Some(net.arcs[csr.input_index(a) as usize].free_flow_time))
        .collect::<Vec<_>>()];
    let link_of_arc: Vec<u32> = (0..csr.num_arcs() as u32)
        .map(|a| csr.input_index(a))
        .collect();
    let first_thru = net.first_thru_node;
    let passable = move |v: u32| v + 1 >= first_thru;
    let mut rng = corridor::util::SplitMix64::new(42);
    let pairs: Vec<OdPair> = (0..150)
        .map(|_| OdPair {
            sources: vec![rng.below(net.zones as u64) as u32],
            targets: vec![rng.below(net.zones as u64) as u32],
            weight_set: 0,
            weight: 1.0,
        })
        .collect();
    let c = Criticality {
        csr: &csr,
        weight_sets: &weights,
        link_of_arc: &link_of_arc,
        links: net.arcs.len(),
        pairs: &pairs,
        passable: &passable,
    };
    let base = c.base();
    let fast = c.single_link(&base);
    let all = c.single_link_all();
    let mut used: Vec<u32> = (0..c.links as u32).collect();
    used.sort_by_key(|&l| std::cmp::Reverse(fast[l as usize].pairs_using));
    let mut sample: Vec<u32> = used[..10].to_vec();
    while sample.len() < 20 {
        let l = rng.below(c.links as u64) as u32;
        if !sample.contains(&l) {
            sample.push(l);
        }
    }
    sample.sort_unstable();
    let map: Vec<u32> = link_of_arc
        .iter()
        .map(|&l| sample.binary_search(&l).map_or(NONE, |k| k as u32))
        .collect();
    let sub = Criticality {
        link_of_arc: &map,
        links: sample.len(),
        ..c
    };
    let slow = single_link_naive(&sub, &base);
    for (k, &l) in sample.iter().enumerate() {
        for (what, a) in [
            ("given paths", &fast[l as usize]),
            ("own paths", &all.loss[l as usize]),
        ] {
            let b = &slow[k];
            assert_eq!(
                (a.disconnected, a.extra_cost.to_bits(), &a.cut_pairs),
                (b.disconnected, b.extra_cost.to_bits(), &b.cut_pairs),
                "{what}: link {l}"
            );
        }
    }
    assert!(sample.iter().any(|&l| fast[l as usize].extra_cost > 0.0));
}

/// `--links` chooses the links closed together; an unknown id is an input error (exit 1).
#[test]
fn critical_closes_the_links_given_together() {
    let dir = tempfile::tempdir().unwrap();
    let out = corridor()
        .args([
            "critical",
            "--scenario",
            "baseline-2021",
            "--pairs",
            "cities",
        ])
        .args([
            "--links",
            "road-yerevan-sevan-jn,road-yerevan-ararat",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("multi.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(
        rows[0].starts_with("road-yerevan-ararat+road-yerevan-sevan-jn,")
            || rows[0].starts_with("road-yerevan-sevan-jn+road-yerevan-ararat,"),
        "{csv}"
    );
    let conn: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("connectivity.json")).unwrap())
            .unwrap();
    assert!(!conn["disconnected_pairs"].as_array().unwrap().is_empty());
    let bad = corridor()
        .args(["critical", "--links", "no-such-link", "--out"])
        .arg(dir.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no link `no-such-link`"));
    // Triples among every link of the bundled data would be about 4 million link sets: refused up
    // front, with the count and what to do, and nothing written.
    let huge = dir.path().join("huge");
    let refused = corridor()
        .args(["critical", "--top", "100000", "--multi", "3", "--out"])
        .arg(&huge)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("--multi 3 among the top 291 links closes 4,064,785 link sets"),
        "{err}"
    );
    assert!(!huge.exists());
}

#[test]
fn a_folder_without_scenarios_has_the_implicit_as_is_scenario_and_largest_places() {
    // `tiny` without scenarios.toml, and with a population on `c`: `c` is then the largest
    // place, then `a` and `b` (two links each, file order); the border crossing never counts.
    let dir = crate::common::tiny_with_nodes_edited(&[(
        "\"name\": \"Charlie\",",
        "\"name\": \"Charlie\", \"population\": 5000,",
    )]);
    std::fs::remove_file(dir.path().join("scenarios.toml")).expect("remove scenarios.toml");
    let data = Dataset::load(dir.path()).expect("loads");
    assert!(data.scenarios.is_implicit());
    assert_eq!(data.scenarios.ids().collect::<Vec<_>>(), ["as-is"]);
    let as_is = data.resolve("as-is").expect("resolves");
    let loaded = corridor::scenario::ResolvedScenario::as_loaded(&data.network);
    assert_eq!(as_is.link_open, loaded.link_open);
    assert_eq!(as_is.crossing_open, loaded.crossing_open);
    assert!(as_is.policy.is_empty() && as_is.changes.is_empty());
    let ids: Vec<&str> = data
        .network
        .largest_places(10)
        .into_iter()
        .map(|v| data.network.node(v).id.as_str())
        .collect();
    assert_eq!(ids, ["c", "a", "b"]);
    // With routes, the default pairs are the routes; the skips name what is missing.
    assert_eq!(Pairs::default_for(&data), Pairs::Routes);
    let stages: Vec<&str> = data.run_skips().iter().map(|s| s.stage).collect();
    assert_eq!(stages, ["restore", "simulate"]);
    // The bundled data has scenarios of its own.
    let bundled = Dataset::load(&root().join("data/caucasus")).expect("bundled");
    assert!(!bundled.scenarios.is_implicit());
    assert!(bundled.scenario_id("as-is").is_err());
}
