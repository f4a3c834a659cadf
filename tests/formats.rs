//! Every command in every `--format`: `json` prints one JSON value and nothing else, `csv` a
//! header and rows of the same width, `table` something for people; under `--format json` an
//! error is one JSON object on standard error with the same exit code. Then the vocabulary: an
//! unknown scenario gets a suggestion, ids match in any case, `--top` holds in every format,
//! options that cannot be honoured are refused.

use crate::common::{corridor, shared_data};

/// Every command, once, with arguments that keep it short (`{tntp}` and `{osm}` stand for the
/// shared TNTP and OSM folders).
const COMMANDS: &[&str] = &[
    "check",
    "layers",
    "route baku kars --cargo AZ --alternatives 1",
    "compare --scenario baseline-2021,meghri-rail --route baku-kars",
    "restore",
    "critical --top 3",
    "run --draws 20",
    "simulate --scenario meghri-rail --draws 20",
    "assign --tntp {tntp}/SiouxFalls --max-iter 5",
    "import osm {osm}/monaco.osm.pbf --country FR",
    "bench --tntp {tntp}/SiouxFalls --queries 20",
    "synth grid --nodes 100 --routes 3",
];

fn args_of(line: &str, format: &str, out: &std::path::Path) -> Vec<String> {
    let tntp = shared_data("tntp").display().to_string();
    let osm = shared_data("osm").display().to_string();
    let mut args: Vec<String> = line
        .split_whitespace()
        .map(|a| a.replace("{tntp}", &tntp).replace("{osm}", &osm))
        .collect();
    args.extend(["--format".into(), format.into(), "--quiet".into()]);
    if !line.starts_with("check") {
        args.extend(["--out".into(), out.display().to_string()]);
    }
    args
}

/// CSV rows of `text`: a header, then rows with as many fields.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a CSV header")
        .iter()
        .map(String::from)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| {
            r.expect("a CSV row as wide as the header")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn every_command_prints_each_format_as_promised() {
    for line in COMMANDS {
        for format in ["table", "csv", "json"] {
            let out = tempfile::tempdir().expect("temp dir");
            let run = corridor()
                .args(args_of(line, format, &out.path().join("out")))
                .output()
                .expect("run corridor");
            let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
            assert!(
                run.status.success(),
                "corridor {line} --format {format} failed: {}",
                String::from_utf8_lossy(&run.stderr)
            );
            assert!(
                !stdout.trim().is_empty(),
                "{line} --format {format} printed nothing"
            );
            match format {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&stdout).unwrap_or_else(|e| {
                        panic!("{line} --format json is not one JSON value: {e}\n{stdout}")
                    });
                }
                "csv" => {
                    let (header, rows) = parse_csv(&stdout);
                    assert!(!header.is_empty(), "{line} --format csv: no header");
                    assert!(!rows.is_empty(), "{line} --format csv has no rows");
                }
                _ => assert!(
                    !stdout.trim_start().starts_with('{') && !stdout.contains("|---|"),
                    "{line} --format table printed JSON or raw Markdown:\n{stdout}"
                ),
            }
        }
    }
}

#[test]
fn an_error_under_json_is_one_json_object_with_the_exit_code() {
    let run = corridor()
        .args(["route", "nowhere-at-all", "kars", "--format", "json"])
        .output()
        .expect("run corridor");
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty());
    let err: serde_json::Value =
        serde_json::from_slice(&run.stderr).expect("stderr is one JSON object");
    assert!(err["error"]
        .as_str()
        .is_some_and(|e| e.contains("nowhere-at-all")));
    assert!(err["causes"].is_array());
    assert_eq!(err["exit"], 1);

    let usage = corridor()
        .args(["critical", "--pairs", "some", "--format", "json"])
        .output()
        .expect("run corridor");
    assert_eq!(usage.status.code(), Some(2));
    let err: serde_json::Value =
        serde_json::from_slice(&usage.stderr).expect("stderr is one JSON object");
    assert_eq!(err["exit"], 2);
}

#[test]
fn scenario_names_match_in_any_case_and_a_typo_gets_a_suggestion() {
    let typo = corridor()
        .args(["route", "baku", "kars", "--scenario", "meghri-rial"])
        .output()
        .expect("run corridor");
    assert_eq!(typo.status.code(), Some(1));
    let err = String::from_utf8_lossy(&typo.stderr);
    assert!(
        err.contains("unknown scenario `meghri-rial` (did you mean `meghri-rail`?)"),
        "{err}"
    );
    corridor()
        .args([
            "route",
            "baku",
            "kars",
            "--scenario",
            "Meghri-Rail",
            "--format",
            "json",
        ])
        .assert()
        .success();
}

#[test]
fn critical_top_holds_in_every_format_sorted_by_rank() {
    let out = tempfile::tempdir().expect("temp dir");
    let csv = corridor()
        .args(["critical", "--top", "3", "--format", "csv", "--out"])
        .arg(out.path().join("a"))
        .output()
        .expect("run corridor");
    let (header, rows) = parse_csv(&String::from_utf8_lossy(&csv.stdout));
    assert_eq!(header[0], "rank");
    // Every link of the top three sections, by section rank.
    let mut ranks: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(ranks
        .windows(2)
        .all(|w| w[0].parse::<u32>().unwrap() <= w[1].parse::<u32>().unwrap()));
    ranks.dedup();
    assert_eq!(ranks, ["1", "2", "3"]);
    let json = corridor()
        .args(["critical", "--top", "3", "--format", "json", "--out"])
        .arg(out.path().join("b"))
        .output()
        .expect("run corridor");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["top_sections"].as_array().map(Vec::len), Some(3));
    assert!(v["exposure"].is_array() && v["multi"].is_array());
}

#[test]
fn options_a_command_cannot_honour_are_refused_and_out_is_honoured() {
    corridor()
        .args(["assign", "--data", "/nonexistent", "--tntp"])
        .arg(shared_data("tntp").join("SiouxFalls"))
        .assert()
        .code(1);
    let out = tempfile::tempdir().expect("temp dir");
    corridor()
        .args(["route", "baku", "kars", "--out"])
        .arg(out.path().join("r"))
        .assert()
        .success();
    for f in ["route.json", "route.csv", "route.geojson"] {
        assert!(
            out.path().join("r").join(f).is_file(),
            "route --out wrote no {f}"
        );
    }
    let csv = std::fs::read_to_string(out.path().join("r/route.csv")).expect("route.csv");
    assert!(csv
        .lines()
        .next()
        .is_some_and(|h| h.contains(",reachable,")));
}
