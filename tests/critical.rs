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

use crate::common::{corridor, fixture, root};

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
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        let out = corridor()
            .args([
                "critical",
                "--scenario",
                "baseline-2021",
                "--threads",
                threads,
            ])
            .args(["--format", "json", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.path().join("critical.json")).unwrap()).unwrap();
    let top = v["top_links"].as_array().unwrap();
    let marabda = top
        .iter()
        .find(|l| l["link"] == "rail-marabda-tsalka")
        .expect("the BTK branch is among the top links");
    assert_eq!(marabda["hostage"], true);
    assert!(marabda["disconnected"].as_u64().unwrap() >= 1);
    for name in [
        "critical.csv",
        "multi.csv",
        "exposure.csv",
        "critical.json",
        "criticality.geojson",
        "criticality.qml",
        "corridor.qgs",
    ] {
        let a = std::fs::read(one.path().join(name)).unwrap_or_else(|_| panic!("{name} written"));
        let b = std::fs::read(two.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between --threads 1 and 2");
    }
}
