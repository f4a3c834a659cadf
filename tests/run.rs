//! `corridor compare`, `corridor restore` and `corridor run` through the real binary: answers on
//! the bundled data and the restore fixture, clear errors, and outputs that do not depend on the
//! thread count.

use crate::common::{assert_same_outputs, corridor, fixture, run_at_one_and_two_threads};

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn compare_explains_the_meghri_line_for_baku_nakhchivan_by_rail() {
    let dir = tempfile::tempdir().unwrap();
    let out = corridor()
        .args([
            "compare",
            "--scenarios",
            "baseline-2021,statement-2021",
            "--routes",
            "baku-nakhchivan-rail",
        ])
        .args(["--format", "json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out);
    let cells = v["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[0]["scenario"], "baseline-2021");
    assert_eq!(cells[0]["change"], "base");
    // No rail path joined Baku and Nakhchivan in 2021 (caucasus-facts §12.1); the statement's
    // Meghri line with Azerbaijani transit through Armenia restores one.
    assert_eq!(cells[0]["reachable"], false, "{v}");
    let meghri = &cells[1];
    assert_eq!(meghri["change"], "restored");
    let text = meghri["explanation"].as_str().unwrap();
    assert!(
        text.starts_with("restored: was unreachable") && text.contains("Armenia"),
        "{text}"
    );
    assert!(meghri["km"].as_f64().unwrap() < 600.0, "{v}");
    assert!(dir.path().join("compare.csv").exists());
}

#[test]
fn compare_rejects_an_unknown_scenario_and_names_the_known_ones() {
    let out = corridor()
        .args(["compare", "--scenarios", "baseline-2021,meghri"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown scenario `meghri`") && err.contains("meghri-rail"),
        "{err}"
    );
}

#[test]
fn restore_on_the_fixture_finds_the_synergy_and_the_interchangeable_projects() {
    let dir = tempfile::tempdir().unwrap();
    let out = corridor()
        .arg("--data")
        .arg(fixture("restore"))
        .args([
            "restore",
            "--by",
            "distance",
            "--threshold",
            "10",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let v = json_of(&out);
    let route = &v["routes"][0];
    let sets: Vec<String> = route["restoring_sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["projects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    assert_eq!(sets, vec!["r", "s", "p+q"]);
    assert_eq!(route["synergies"], serde_json::json!([["p", "q"]]));
    assert_eq!(route["all_cost"], 20.0);
    let u = route["shapley"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["project"] == "u")
        .unwrap();
    assert_eq!(u["value"], 0.0);
}

#[test]
fn run_writes_the_report_with_a_verdict_for_every_claim_whatever_the_thread_count() {
    let (one, two) = run_at_one_and_two_threads(&["run"]);
    assert_same_outputs(
        one.path(),
        two.path(),
        &[
            "report.md",
            "manifest.json",
            "compare.csv",
            "compare.json",
            "restore.json",
            "restore_sets.csv",
            "shapley.csv",
            "claims.json",
            "nodes.geojson",
            "links.geojson",
            "routes.geojson",
            "corridor.qgs",
            "cost_by_scenario.png",
            "restoration_matrix.svg",
            "shapley_credit.png",
            "map.png",
            "flows.geojson",
            "crossings.csv",
            "transit.csv",
            "reliability.csv",
            "simulate.json",
            "crossing_throughput.png",
            "critical.csv",
            "critical.json",
            "critical_links.png",
        ],
    );
    let report = String::from_utf8(std::fs::read(one.path().join("report.md")).unwrap()).unwrap();
    // The answer first: the first table is the restore table, with project names, kinds and
    // what they open, and no raw set notation.
    let first = report
        .lines()
        .find(|l| l.starts_with('|'))
        .expect("report.md has a table");
    assert!(first.starts_with("| trade route |"), "{first}");
    let table: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let body = table.join("\n");
    assert!(body.contains("Southern railway through Meghri"), "{body}");
    assert!(
        body.contains("link: ") && body.contains("policy: "),
        "{body}"
    );
    assert!(
        !body.contains("{}") && !body.contains("(reachable)"),
        "{body}"
    );
    // Unchanged scenarios stay in the compare tables.
    assert!(report.contains("| no change |"));
    for section in [
        "## Critical links in",
        "## Freight flows and reliability",
        "## Which projects restore which trade routes",
    ] {
        assert!(report.contains(section), "{section} missing from report.md");
    }
    // The cost chart, as the report shows it (900 px wide): every text at least 10 px, scenarios
    // by their names, restored and cut as marks of their own.
    let svg = std::fs::read_to_string(one.path().join("cost_by_scenario.svg")).unwrap();
    let px = crate::output::smallest_text_at(&svg, 900.0);
    assert!(
        px >= 10.0,
        "cost_by_scenario: smallest text {px:.1} px at 900 px"
    );
    for text in [
        "What the 11 Jan 2021 statement asks for",
        "restored: no path in 2021",
        "cut: no path",
        "yerevan-moscow: Yerevan – Moscow",
    ] {
        assert!(svg.contains(text), "cost_by_scenario lacks {text:?}");
    }
    assert!(
        !svg.contains(">statement-2021<"),
        "scenario ids instead of names"
    );
    let claims: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.path().join("claims.json")).unwrap()).unwrap();
    let list = claims["claims"].as_array().unwrap();
    assert_eq!(list.len(), 5, "one verdict per claim of seeds/claims.toml");
    for c in list {
        let id = c["claim"].as_str().unwrap();
        let verdict = c["verdict"].as_str().unwrap();
        assert!(["new", "already true", "partly", "not supported"].contains(&verdict));
        let why = c["why"].as_str().unwrap();
        assert!(
            report.contains(&format!("**{id}** ({verdict}): {why}")),
            "{id} not in the report with why it is {verdict}"
        );
        assert!(!c["figures"].as_array().unwrap().is_empty());
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(one.path().join("manifest.json")).unwrap()).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(inputs
        .iter()
        .all(|i| i["sha256"].as_str().unwrap().len() == 64));
    assert_eq!(manifest["run"]["threads"], 1);
    // The build, as `corridor --version` prints it.
    let build = &manifest["corridor_build"];
    let version = corridor().arg("--version").output().expect("runs");
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    for key in ["version", "git_commit", "build_date"] {
        let value = build[key].as_str().expect("a string");
        assert!(version.contains(value), "{key} {value} not in {version}");
    }
}
